package net.rampart.wire.bmp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.rampart.wire.WireCursor;

/**
 * One TLV that a router appended after the BGP UPDATE of a BMP version 3 Route Monitoring
 * message, in the layout draft-ietf-grow-bmp-tlv gives Route Monitoring TLVs: type (2 octets),
 * length of the value (2 octets), index (2 octets), value. The index ties the TLV to an NLRI of
 * the UPDATE by its position.
 *
 * <p>No type code is IANA-assigned yet, and the draft has renumbered them: revision 20 moves
 * the UPDATE itself into a TLV of a BMP version 4 message (which this decoder rejects by
 * version) and proposes code 5 for the VRF/table name. The two codes read here are the ones
 * Wireshark (after draft-ietf-grow-bmp-tlv-13 and draft-ietf-grow-bmp-path-marking-tlv-02) and
 * NetGauze decode. A TLV whose value does not have the size its type needs is not read as that
 * type: it counts as unknown, like any other type, and stays here raw.
 */
public record RouteMonitoringTlv(int type, int index, byte[] value) {

    /** draft-ietf-grow-bmp-tlv: the VRF or table name, 1 to 255 octets of UTF-8. */
    public static final int VRF_TABLE_NAME = 3;
    /**
     * draft-ietf-grow-bmp-path-marking-tlv: a 4-octet path status bit field (best, non-selected,
     * invalid, ...), optionally followed by a 2-octet reason code.
     */
    public static final int PATH_STATUS = 5;

    private static final int HEADER_LENGTH = 6;

    /** Whether this is a type read here and its value has the size that type needs. */
    public boolean isKnown() {
        return switch (type) {
            case VRF_TABLE_NAME -> value.length >= 1 && value.length <= 255;
            case PATH_STATUS -> value.length == 4 || value.length == 6;
            default -> false;
        };
    }

    /** The value as UTF-8 text (what the VRF/table name TLV carries). */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The path status bits of a {@link #PATH_STATUS} TLV. */
    public long pathStatus() {
        requirePathStatus();
        return ((value[0] & 0xffL) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
    }

    /** The reason code of a {@link #PATH_STATUS} TLV, or -1 when it carries none. */
    public int reasonCode() {
        requirePathStatus();
        return value.length == 6 ? ((value[4] & 0xff) << 8) | (value[5] & 0xff) : -1;
    }

    private void requirePathStatus() {
        if (type != PATH_STATUS || !isKnown()) {
            throw new IllegalStateException(this + " is not a path status TLV");
        }
    }

    /**
     * Reads TLVs for as long as the next one fits in what remains, and leaves the cursor on the
     * first byte that does not start one. What is left is the caller's to report: a trailer
     * that stops making sense as TLVs must not cost the UPDATE before it.
     */
    static List<RouteMonitoringTlv> decodeWhileWellFormed(WireCursor in) {
        List<RouteMonitoringTlv> tlvs = new ArrayList<>();
        while (in.remaining() >= HEADER_LENGTH) {
            byte[] bytes = in.array();
            int at = in.arrayOffset();
            int length = ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
            if (length > in.remaining() - HEADER_LENGTH) {
                break;
            }
            int type = in.uint16("route monitoring TLV type");
            in.skip(2, "route monitoring TLV length");
            int index = in.uint16("route monitoring TLV index");
            tlvs.add(new RouteMonitoringTlv(type, index, in.bytes(length, "route monitoring TLV value")));
        }
        return List.copyOf(tlvs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteMonitoringTlv other && other.type == type && other.index == index
                && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return (31 * type + index) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RouteMonitoringTlv[type=" + type + ", index=" + index + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
