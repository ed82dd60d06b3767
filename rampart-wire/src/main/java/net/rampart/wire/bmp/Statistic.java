package net.rampart.wire.bmp;

import java.util.Arrays;
import java.util.HexFormat;
import net.rampart.wire.WireCursor;

/**
 * One counter or gauge of a Statistics Report (RFC 7854 section 4.8, RFC 8671 section 5,
 * later IANA "BMP Statistics Types" registrations).
 *
 * <p>The registry uses three encodings, told apart by the stat length: a 32-bit counter
 * (length 4), a 64-bit gauge (length 8), and a per-AFI/SAFI 64-bit gauge (length 11: AFI,
 * SAFI, gauge). Every type, registered or not (vendor and experimental types included), is
 * read by its length, which keeps its value bytes exactly: a 4- or 8-octet value is the
 * number, an 11-octet one AFI, SAFI and number. Any other length is kept raw in {@link #raw()}.
 *
 * @param type  the statistics type
 * @param afi   the AFI of a per-AFI/SAFI gauge, else -1
 * @param safi  the SAFI of a per-AFI/SAFI gauge, else -1
 * @param value the counter or gauge when {@link #hasValue()} (gauges are unsigned 64-bit: use
 *              {@link Long#toUnsignedString})
 * @param raw   the value's bytes when its length is none of the three encodings, else {@code null}
 */
public record Statistic(int type, int afi, int safi, long value, byte[] raw) {

    public static final int PREFIXES_REJECTED = 0;
    public static final int DUPLICATE_PREFIX_ADVERTISEMENTS = 1;
    public static final int DUPLICATE_WITHDRAWS = 2;
    public static final int INVALIDATED_CLUSTER_LIST_LOOP = 3;
    public static final int INVALIDATED_AS_PATH_LOOP = 4;
    public static final int INVALIDATED_ORIGINATOR_ID = 5;
    public static final int INVALIDATED_AS_CONFED_LOOP = 6;
    public static final int ROUTES_ADJ_RIB_IN = 7;
    public static final int ROUTES_LOC_RIB = 8;
    public static final int ROUTES_ADJ_RIB_IN_PER_AFI_SAFI = 9;
    public static final int ROUTES_LOC_RIB_PER_AFI_SAFI = 10;
    public static final int UPDATES_TREAT_AS_WITHDRAW = 11;
    public static final int PREFIXES_TREAT_AS_WITHDRAW = 12;
    public static final int DUPLICATE_UPDATES = 13;
    public static final int ROUTES_ADJ_RIB_OUT_PRE_POLICY = 14;
    public static final int ROUTES_ADJ_RIB_OUT_POST_POLICY = 15;
    public static final int ROUTES_ADJ_RIB_OUT_PRE_POLICY_PER_AFI_SAFI = 16;
    public static final int ROUTES_ADJ_RIB_OUT_POST_POLICY_PER_AFI_SAFI = 17;

    private static final String[] NAMES = {
        "prefixes rejected by inbound policy",
        "duplicate prefix advertisements",
        "duplicate withdraws",
        "updates invalidated due to CLUSTER_LIST loop",
        "updates invalidated due to AS_PATH loop",
        "updates invalidated due to ORIGINATOR_ID",
        "updates invalidated due to AS_CONFED loop",
        "routes in Adj-RIBs-In",
        "routes in Loc-RIB",
        "routes in per-AFI/SAFI Adj-RIB-In",
        "routes in per-AFI/SAFI Loc-RIB",
        "updates subjected to treat-as-withdraw",
        "prefixes subjected to treat-as-withdraw",
        "duplicate update messages received",
        "routes in pre-policy Adj-RIB-Out",
        "routes in post-policy Adj-RIB-Out",
        "routes in per-AFI/SAFI pre-policy Adj-RIB-Out",
        "routes in per-AFI/SAFI post-policy Adj-RIB-Out",
        "routes in pre-policy Adj-RIB-In",
        "routes in per-AFI/SAFI pre-policy Adj-RIB-In",
        "routes in post-policy Adj-RIB-In",
        "routes in per-AFI/SAFI post-policy Adj-RIB-In",
        "routes in per-AFI/SAFI pre-policy Adj-RIB-In rejected by inbound policy",
        "routes in per-AFI/SAFI post-policy Adj-RIB-In accepted by inbound policy",
    };

    static Statistic decode(WireCursor in) {
        int type = in.uint16("stat type");
        int length = in.uint16("stat length");
        WireCursor value = in.slice(length, "stat value");
        byte[] raw = encodedByLength(length) ? null : value.rest();
        return switch (length) {
            case 4 -> new Statistic(type, -1, -1, value.uint32("stat counter"), raw);
            case 8 -> new Statistic(type, -1, -1, value.int64("stat gauge"), raw);
            case 11 -> new Statistic(type, value.uint16("stat AFI"), value.uint8("stat SAFI"), value.int64("stat gauge"), raw);
            default -> new Statistic(type, -1, -1, 0, raw);
        };
    }

    private static boolean encodedByLength(int length) {
        return length == 4 || length == 8 || length == 11;
    }

    /** Whether the type is one of the registered ones named here. */
    public static boolean isRegistered(int type) {
        return type >= 0 && type < NAMES.length;
    }

    /** Whether this is a per-AFI/SAFI gauge. */
    public boolean isPerAfiSafi() {
        return afi >= 0;
    }

    /** Whether {@link #value()} holds a number: the length was one of the three encodings. */
    public boolean hasValue() {
        return raw == null;
    }

    /** The registry's description of the type, or {@code "type N"} for one not named here. */
    public String name() {
        return isRegistered(type) ? NAMES[type] : "type " + type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Statistic s && s.type == type && s.afi == afi && s.safi == safi && s.value == value
                && Arrays.equals(s.raw, raw);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + afi) * 31 + safi) * 31 + Long.hashCode(value) + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Statistic[" + name() + (isPerAfiSafi() ? " afi=" + afi + " safi=" + safi : "") + " = "
                + (hasValue() ? Long.toUnsignedString(value) : HexFormat.of().formatHex(raw)) + "]";
    }
}
