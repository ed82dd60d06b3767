package net.rampart.wire.openbmp;

import static net.rampart.wire.openbmp.OpenBmpRawFrame.ADDRESS_BYTES;
import static net.rampart.wire.openbmp.OpenBmpRawFrame.FIXED_HEADER_BYTES;
import static net.rampart.wire.openbmp.OpenBmpRawFrame.FLAG_IPV6;
import static net.rampart.wire.openbmp.OpenBmpRawFrame.FLAG_ROUTER;
import static net.rampart.wire.openbmp.OpenBmpRawFrame.TYPE_BMP_RAW;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import net.rampart.wire.bgp.ByteSink;

/**
 * Wraps one router's BMP messages in OpenBMP v1.7 raw frames ({@link OpenBmpRawFrame}). The
 * header is the same for every message of the router but for its length and time fields, so it
 * is built once and each frame is one array: the header copied, those fields set, the message
 * after it.
 */
public final class OpenBmpRawEncoder {

    private static final int LENGTH_OFFSET = 8;
    private static final int SECONDS_OFFSET = 14;
    private static final int MICROS_OFFSET = 18;

    private final byte[] header;
    private final byte[] routerHash;

    /**
     * @param adminId     the collector's name, hashed into the collector hash
     * @param router      the router's address
     * @param routerGroup the router's group, empty for none
     * @throws IllegalArgumentException when the admin id and the group together do not fit the
     *                                  header's 16-bit length
     */
    public OpenBmpRawEncoder(String adminId, InetAddress router, String routerGroup) {
        byte[] admin = adminId.getBytes(StandardCharsets.UTF_8);
        byte[] group = routerGroup.getBytes(StandardCharsets.UTF_8);
        int headerLength = FIXED_HEADER_BYTES + admin.length + group.length;
        if (headerLength > 0xFFFF) {
            throw new IllegalArgumentException("admin id and router group take " + (admin.length + group.length)
                    + " bytes; an OpenBMP header holds at most " + (0xFFFF - FIXED_HEADER_BYTES));
        }
        this.routerHash = OpenBmpHashes.router(router);
        byte[] address = new byte[ADDRESS_BYTES];
        byte[] raw = router.getAddress();
        System.arraycopy(raw, 0, address, 0, raw.length);
        ByteSink sink = new ByteSink(headerLength)
                .u32(OpenBmpRawFrame.MAGIC).u8(OpenBmpRawFrame.MAJOR).u8(OpenBmpRawFrame.MINOR)
                .u16(headerLength).u32(0)
                .u8(FLAG_ROUTER | (router instanceof Inet6Address ? FLAG_IPV6 : 0)).u8(TYPE_BMP_RAW)
                .u32(0).u32(0)
                .bytes(OpenBmpHashes.collector(adminId))
                .u16(admin.length).bytes(admin)
                .bytes(routerHash)
                .bytes(address)
                .u16(group.length).bytes(group)
                .u32(1);
        this.header = sink.toByteArray();
    }

    /** The router's hash, the key of its frames on the topic; a copy. */
    public byte[] routerHash() {
        return routerHash.clone();
    }

    /**
     * One frame.
     *
     * @param collectedMicros when the message was received, microseconds since the epoch
     * @param bmp             the array holding the BMP message, common header included
     */
    public byte[] frame(long collectedMicros, byte[] bmp, int offset, int length) {
        byte[] frame = new byte[header.length + length];
        System.arraycopy(header, 0, frame, 0, header.length);
        putU32(frame, LENGTH_OFFSET, length);
        putU32(frame, SECONDS_OFFSET, Math.floorDiv(collectedMicros, 1_000_000));
        putU32(frame, MICROS_OFFSET, Math.floorMod(collectedMicros, 1_000_000));
        System.arraycopy(bmp, offset, frame, header.length, length);
        return frame;
    }

    private static void putU32(byte[] to, int at, long value) {
        to[at] = (byte) (value >>> 24);
        to[at + 1] = (byte) (value >>> 16);
        to[at + 2] = (byte) (value >>> 8);
        to[at + 3] = (byte) value;
    }
}
