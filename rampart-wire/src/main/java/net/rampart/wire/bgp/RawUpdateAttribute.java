package net.rampart.wire.bgp;

import java.util.Arrays;

/**
 * Finds one path attribute's bytes, as sent, in an encoded UPDATE: for explaining a route the
 * decoder refused (RFC 7606 treat-as-withdraw) with the attribute that made it so. Reads only
 * within the buffer and the UPDATE's own length fields.
 */
public final class RawUpdateAttribute {
    private static final int BGP_HEADER = 19;

    private RawUpdateAttribute() {
    }

    /**
     * The first attribute of {@code type} (flags, type, length and value) in the UPDATE that
     * starts at {@code offset} (its marker) in {@code buffer}, cut at the end of the attributes
     * when its length overruns them (a malformed attribute is what this is for); null when there
     * is none or the UPDATE's lengths do not lead to it.
     */
    public static byte[] find(byte[] buffer, int offset, int type) {
        if (offset < 0 || offset > buffer.length - BGP_HEADER - 4) {
            return null;
        }
        int end = Math.min(buffer.length, offset + u16(buffer, offset + 16));
        int p = offset + BGP_HEADER;
        p += 2 + u16(buffer, p); // withdrawn routes
        if (p + 2 > end) {
            return null;
        }
        int attributesEnd = Math.min(end, p + 2 + u16(buffer, p));
        p += 2;
        while (p + 3 <= attributesEnd) {
            int flags = buffer[p] & 0xFF;
            boolean extended = (flags & 0x10) != 0;
            int header = extended ? 4 : 3;
            if (p + header > attributesEnd) {
                return null;
            }
            int length = extended ? u16(buffer, p + 2) : buffer[p + 2] & 0xFF;
            int next = p + header + length;
            if ((buffer[p + 1] & 0xFF) == type) {
                return Arrays.copyOfRange(buffer, p, Math.min(next, attributesEnd));
            }
            p = next;
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
