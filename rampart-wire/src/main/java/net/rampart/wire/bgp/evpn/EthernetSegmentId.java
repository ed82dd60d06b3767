package net.rampart.wire.bgp.evpn;

import java.util.Arrays;
import java.util.HexFormat;

/** The 10-byte Ethernet Segment Identifier of RFC 7432 section 5 (first byte is the ESI type). */
public final class EthernetSegmentId {

    public static final int LENGTH = 10;
    /** ESI 0: a single-homed segment. */
    public static final EthernetSegmentId ZERO = new EthernetSegmentId(new byte[LENGTH]);

    private final byte[] value;

    private EthernetSegmentId(byte[] value) {
        this.value = value;
    }

    public static EthernetSegmentId of(byte[] value) {
        if (value.length != LENGTH) {
            throw new IllegalArgumentException("an ESI is 10 bytes, not " + value.length);
        }
        return new EthernetSegmentId(value.clone());
    }

    public int type() {
        return value[0] & 0xFF;
    }

    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EthernetSegmentId e && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(value);
    }
}
