package net.rampart.wire.bmp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.rampart.wire.WireCursor;

/**
 * One type-length-value item of an Initiation, Termination, Peer Up or Peer Down message
 * (RFC 7854 sections 4.4, 4.5, 4.10; RFC 9069 section 5). The meaning of the type depends
 * on the message; the constants below name the registered ones.
 */
public record InformationTlv(int type, byte[] value) {

    /** Initiation, Peer Up, Termination: free-form UTF-8 text. */
    public static final int STRING = 0;
    /** Initiation: sysDescr. */
    public static final int SYS_DESCR = 1;
    /** Initiation: sysName. */
    public static final int SYS_NAME = 2;
    /** Peer Up and Peer Down (RFC 9069): VRF or table name. */
    public static final int VRF_TABLE_NAME = 3;
    /** Peer Up: admin label (IANA). */
    public static final int ADMIN_LABEL = 4;
    /** Termination: a two-octet reason code. */
    public static final int TERMINATION_REASON = 1;

    /** The value as UTF-8 text (what string-typed TLVs carry). */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value as a big-endian unsigned number, for TLVs with a fixed-size numeric value. */
    public long number() {
        long n = 0;
        for (int i = 0; i < Math.min(value.length, 8); i++) {
            n = (n << 8) | (value[i] & 0xff);
        }
        return n;
    }

    static List<InformationTlv> decodeAll(WireCursor in) {
        List<InformationTlv> tlvs = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.uint16("information TLV type");
            int length = in.uint16("information TLV length");
            tlvs.add(new InformationTlv(type, in.bytes(length, "information TLV value")));
        }
        return List.copyOf(tlvs);
    }

    /** The text of the first TLV of {@code type}, or {@code null}. */
    public static String firstText(List<InformationTlv> tlvs, int type) {
        for (InformationTlv tlv : tlvs) {
            if (tlv.type == type) {
                return tlv.text();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InformationTlv other && other.type == type && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "InformationTlv[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
