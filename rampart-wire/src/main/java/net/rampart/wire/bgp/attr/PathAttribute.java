package net.rampart.wire.bgp.attr;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * A path attribute of an UPDATE. IPv4 addresses are 32-bit ints, ASNs and 32-bit counters
 * unsigned in longs. Attributes Rampart does not model are kept raw as {@link Unknown}.
 */
public sealed interface PathAttribute {

    int ORIGIN = 1;
    int AS_PATH = 2;
    int NEXT_HOP = 3;
    int MULTI_EXIT_DISC = 4;
    int LOCAL_PREF = 5;
    int ATOMIC_AGGREGATE = 6;
    int AGGREGATOR = 7;
    int COMMUNITIES = 8;
    int ORIGINATOR_ID = 9;
    int CLUSTER_LIST = 10;
    int MP_REACH_NLRI = 14;
    int MP_UNREACH_NLRI = 15;
    int EXTENDED_COMMUNITIES = 16;
    int AS4_PATH = 17;
    int AS4_AGGREGATOR = 18;
    int LARGE_COMMUNITY = 32;
    int ONLY_TO_CUSTOMER = 35;

    int FLAG_OPTIONAL = 0x80;
    int FLAG_TRANSITIVE = 0x40;
    int FLAG_PARTIAL = 0x20;
    int FLAG_EXTENDED_LENGTH = 0x10;

    int typeCode();

    /** The optional and transitive flags this attribute is sent with (RFC 4271 and each attribute's RFC). */
    default int flags() {
        return PathAttributeCodec.standardFlags(typeCode());
    }

    record Origin(int value) implements PathAttribute {
        public static final int IGP = 0;
        public static final int EGP = 1;
        public static final int INCOMPLETE = 2;

        public Origin {
            if (value < 0 || value > 2) {
                throw new IllegalArgumentException("ORIGIN is 0, 1 or 2: " + value);
            }
        }

        public int typeCode() {
            return ORIGIN;
        }
    }

    record AsPath(List<AsPathSegment> segments) implements PathAttribute {
        public AsPath {
            segments = List.copyOf(segments);
        }

        public static AsPath sequence(long... asns) {
            return new AsPath(asns.length == 0 ? List.of() : List.of(AsPathSegment.sequence(asns)));
        }

        public int typeCode() {
            return AS_PATH;
        }

        /** RFC 4271 section 9.1.2.2 path length. */
        public int pathLength() {
            int n = 0;
            for (AsPathSegment s : segments) {
                n += s.pathLength();
            }
            return n;
        }

        /** The origin AS: the last AS of a final AS_SEQUENCE, or -1 when the path ends otherwise or is empty. */
        public long originAs() {
            if (segments.isEmpty()) {
                return -1;
            }
            AsPathSegment last = segments.get(segments.size() - 1);
            return last.type() == AsPathSegment.Type.AS_SEQUENCE ? last.asn(last.size() - 1) : -1;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("AsPath[");
            for (int i = 0; i < segments.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(segments.get(i));
            }
            return sb.append(']').toString();
        }
    }

    /** AS4_PATH as received from a 2-octet-AS session; the decoder merges it into AS_PATH (RFC 6793). */
    record As4Path(List<AsPathSegment> segments) implements PathAttribute {
        public As4Path {
            segments = List.copyOf(segments);
        }

        public int typeCode() {
            return AS4_PATH;
        }
    }

    record NextHop(int address) implements PathAttribute {
        public int typeCode() {
            return NEXT_HOP;
        }

        @Override
        public String toString() {
            return "NextHop[" + Ipv4Prefix.formatAddress(address) + "]";
        }
    }

    record MultiExitDisc(long value) implements PathAttribute {
        public MultiExitDisc {
            checkU32(value);
        }

        public int typeCode() {
            return MULTI_EXIT_DISC;
        }
    }

    record LocalPref(long value) implements PathAttribute {
        public LocalPref {
            checkU32(value);
        }

        public int typeCode() {
            return LOCAL_PREF;
        }
    }

    record AtomicAggregate() implements PathAttribute {
        public int typeCode() {
            return ATOMIC_AGGREGATE;
        }
    }

    record Aggregator(long asn, int address) implements PathAttribute {
        public Aggregator {
            checkU32(asn);
        }

        public int typeCode() {
            return AGGREGATOR;
        }
    }

    record As4Aggregator(long asn, int address) implements PathAttribute {
        public As4Aggregator {
            checkU32(asn);
        }

        public int typeCode() {
            return AS4_AGGREGATOR;
        }
    }

    /** RFC 1997 communities, each a 32-bit value (high 16 bits the AS). */
    record Communities(int[] values) implements PathAttribute {
        public static final int NO_EXPORT = 0xFFFFFF01;
        public static final int NO_ADVERTISE = 0xFFFFFF02;
        public static final int NO_EXPORT_SUBCONFED = 0xFFFFFF03;

        public Communities {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        public int size() {
            return values.length;
        }

        public int get(int i) {
            return values[i];
        }

        public int typeCode() {
            return COMMUNITIES;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Communities c && Arrays.equals(c.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Communities[");
            for (int i = 0; i < values.length; i++) {
                sb.append(i == 0 ? "" : " ").append(values[i] >>> 16).append(':').append(values[i] & 0xFFFF);
            }
            return sb.append(']').toString();
        }
    }

    record OriginatorId(int address) implements PathAttribute {
        public int typeCode() {
            return ORIGINATOR_ID;
        }
    }

    record ClusterList(int[] clusterIds) implements PathAttribute {
        public ClusterList {
            clusterIds = clusterIds.clone();
        }

        @Override
        public int[] clusterIds() {
            return clusterIds.clone();
        }

        public int typeCode() {
            return CLUSTER_LIST;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClusterList c && Arrays.equals(c.clusterIds, clusterIds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(clusterIds);
        }

        @Override
        public String toString() {
            return "ClusterList" + Arrays.toString(clusterIds);
        }
    }

    /**
     * MP_REACH_NLRI (RFC 4760). {@code nextHop} is as on the wire (4 or 16 bytes, 32 for global
     * plus link-local, with an 8-byte zero RD in front for VPN families, empty for FlowSpec).
     * For a family Rampart does not decode, {@code nlri} is empty and the UPDATE counts it as skipped.
     */
    record MpReach(AfiSafi afiSafi, byte[] nextHop, List<Nlri> nlri) implements PathAttribute {
        public MpReach {
            Objects.requireNonNull(afiSafi);
            if (nextHop.length > 255) {
                throw new IllegalArgumentException("next hop longer than 255 bytes");
            }
            nextHop = nextHop.clone();
            nlri = List.copyOf(nlri);
        }

        @Override
        public byte[] nextHop() {
            return nextHop.clone();
        }

        public int typeCode() {
            return MP_REACH_NLRI;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MpReach m && m.afiSafi.equals(afiSafi) && Arrays.equals(m.nextHop, nextHop)
                    && m.nlri.equals(nlri);
        }

        @Override
        public int hashCode() {
            return (afiSafi.hashCode() * 31 + Arrays.hashCode(nextHop)) * 31 + nlri.hashCode();
        }

        @Override
        public String toString() {
            return "MpReach[" + afiSafi + ", nextHop=" + HexFormat.of().formatHex(nextHop) + ", nlri=" + nlri + "]";
        }
    }

    record MpUnreach(AfiSafi afiSafi, List<Nlri> nlri) implements PathAttribute {
        public MpUnreach {
            Objects.requireNonNull(afiSafi);
            nlri = List.copyOf(nlri);
        }

        public int typeCode() {
            return MP_UNREACH_NLRI;
        }
    }

    /** RFC 4360 extended communities, each 8 bytes in a long (type in the top byte). */
    record ExtendedCommunities(long[] values) implements PathAttribute {
        public ExtendedCommunities {
            values = values.clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        public int size() {
            return values.length;
        }

        public long get(int i) {
            return values[i];
        }

        public int typeCode() {
            return EXTENDED_COMMUNITIES;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExtendedCommunities c && Arrays.equals(c.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("ExtendedCommunities[");
            for (int i = 0; i < values.length; i++) {
                sb.append(i == 0 ? "" : " ").append(String.format("%016x", values[i]));
            }
            return sb.append(']').toString();
        }
    }

    record LargeCommunities(List<LargeCommunity> values) implements PathAttribute {
        public LargeCommunities {
            values = List.copyOf(values);
        }

        public int typeCode() {
            return LARGE_COMMUNITY;
        }
    }

    /** RFC 9234 Only to Customer: the AS that marked the route. */
    record OnlyToCustomer(long asn) implements PathAttribute {
        public OnlyToCustomer {
            checkU32(asn);
        }

        public int typeCode() {
            return ONLY_TO_CUSTOMER;
        }
    }

    /** An attribute Rampart does not model, kept with its flags as received (minus extended length). */
    record Unknown(int flags, int typeCode, byte[] value) implements PathAttribute {
        public Unknown {
            if (typeCode < 0 || typeCode > 255 || flags < 0 || flags > 255 || value.length > 0xFFFF) {
                throw new IllegalArgumentException("attribute field out of range");
            }
            flags &= ~FLAG_EXTENDED_LENGTH & 0xF0;
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.flags == flags && u.typeCode == typeCode && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return (flags * 31 + typeCode) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[flags=" + flags + ", type=" + typeCode + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    private static void checkU32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unsigned 32-bit value out of range: " + v);
        }
    }
}
