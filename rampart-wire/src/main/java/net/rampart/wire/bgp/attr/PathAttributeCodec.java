package net.rampart.wire.bgp.attr;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.ErrorAction;

/**
 * Value codecs for the path attributes that carry no NLRI (MP_REACH/MP_UNREACH are decoded
 * with the NLRI codecs), the flags each is sent with, and the RFC 7606 action a malformed
 * value calls for.
 */
public final class PathAttributeCodec {

    private static final int WELL_KNOWN = PathAttribute.FLAG_TRANSITIVE;
    private static final int OPTIONAL_NON_TRANSITIVE = PathAttribute.FLAG_OPTIONAL;
    private static final int OPTIONAL_TRANSITIVE = PathAttribute.FLAG_OPTIONAL | PathAttribute.FLAG_TRANSITIVE;

    private PathAttributeCodec() {
    }

    /** Optional/transitive flags an attribute type is defined with, or -1 for types Rampart does not know. */
    public static int standardFlags(int typeCode) {
        return switch (typeCode) {
            case PathAttribute.ORIGIN, PathAttribute.AS_PATH, PathAttribute.NEXT_HOP, PathAttribute.LOCAL_PREF,
                 PathAttribute.ATOMIC_AGGREGATE -> WELL_KNOWN;
            case PathAttribute.MULTI_EXIT_DISC, PathAttribute.ORIGINATOR_ID, PathAttribute.CLUSTER_LIST,
                 PathAttribute.MP_REACH_NLRI, PathAttribute.MP_UNREACH_NLRI -> OPTIONAL_NON_TRANSITIVE;
            case PathAttribute.AGGREGATOR, PathAttribute.COMMUNITIES, PathAttribute.EXTENDED_COMMUNITIES,
                 PathAttribute.AS4_PATH, PathAttribute.AS4_AGGREGATOR, PathAttribute.LARGE_COMMUNITY,
                 PathAttribute.ONLY_TO_CUSTOMER -> OPTIONAL_TRANSITIVE;
            default -> -1;
        };
    }

    /**
     * RFC 7606 section 7 (and RFC 6793, 8092, 9234): what to do when the value of an attribute of
     * this type is malformed.
     */
    public static ErrorAction actionForMalformed(int typeCode) {
        return switch (typeCode) {
            case PathAttribute.ATOMIC_AGGREGATE, PathAttribute.AGGREGATOR, PathAttribute.AS4_PATH,
                 PathAttribute.AS4_AGGREGATOR -> ErrorAction.ATTRIBUTE_DISCARD;
            case PathAttribute.MP_REACH_NLRI, PathAttribute.MP_UNREACH_NLRI -> ErrorAction.SESSION_RESET;
            default -> ErrorAction.TREAT_AS_WITHDRAW;
        };
    }

    /**
     * Decodes the value of a known non-MP attribute; the cursor is limited to the value. Throws
     * {@link DecodeException} when the value is malformed, which the UPDATE decoder turns into
     * the attribute's RFC 7606 action.
     */
    public static PathAttribute decode(int typeCode, int flags, WireCursor in, boolean fourOctetAs) {
        int len = in.remaining();
        return switch (typeCode) {
            case PathAttribute.ORIGIN -> {
                expectLength(in, len, 1, "ORIGIN");
                int v = in.uint8("ORIGIN");
                if (v > 2) {
                    throw in.error("ORIGIN value " + v);
                }
                yield new PathAttribute.Origin(v);
            }
            case PathAttribute.AS_PATH -> new PathAttribute.AsPath(decodeSegments(in, fourOctetAs, false));
            case PathAttribute.AS4_PATH -> new PathAttribute.As4Path(decodeSegments(in, true, true));
            case PathAttribute.NEXT_HOP -> {
                expectLength(in, len, 4, "NEXT_HOP");
                yield new PathAttribute.NextHop(in.int32("NEXT_HOP"));
            }
            case PathAttribute.MULTI_EXIT_DISC -> {
                expectLength(in, len, 4, "MULTI_EXIT_DISC");
                yield new PathAttribute.MultiExitDisc(in.uint32("MULTI_EXIT_DISC"));
            }
            case PathAttribute.LOCAL_PREF -> {
                expectLength(in, len, 4, "LOCAL_PREF");
                yield new PathAttribute.LocalPref(in.uint32("LOCAL_PREF"));
            }
            case PathAttribute.ATOMIC_AGGREGATE -> {
                expectLength(in, len, 0, "ATOMIC_AGGREGATE");
                yield new PathAttribute.AtomicAggregate();
            }
            case PathAttribute.AGGREGATOR -> {
                expectLength(in, len, fourOctetAs ? 8 : 6, "AGGREGATOR");
                long asn = fourOctetAs ? in.uint32("AGGREGATOR AS") : in.uint16("AGGREGATOR AS");
                yield new PathAttribute.Aggregator(asn, in.int32("AGGREGATOR address"));
            }
            case PathAttribute.AS4_AGGREGATOR -> {
                expectLength(in, len, 8, "AS4_AGGREGATOR");
                yield new PathAttribute.As4Aggregator(in.uint32("AS4_AGGREGATOR AS"), in.int32("AS4_AGGREGATOR address"));
            }
            case PathAttribute.COMMUNITIES -> {
                expectMultiple(in, len, 4, "COMMUNITIES");
                int[] v = new int[len / 4];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.int32("community");
                }
                yield new PathAttribute.Communities(v);
            }
            case PathAttribute.ORIGINATOR_ID -> {
                expectLength(in, len, 4, "ORIGINATOR_ID");
                yield new PathAttribute.OriginatorId(in.int32("ORIGINATOR_ID"));
            }
            case PathAttribute.CLUSTER_LIST -> {
                expectMultiple(in, len, 4, "CLUSTER_LIST");
                int[] v = new int[len / 4];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.int32("cluster ID");
                }
                yield new PathAttribute.ClusterList(v);
            }
            case PathAttribute.EXTENDED_COMMUNITIES -> {
                expectMultiple(in, len, 8, "EXTENDED_COMMUNITIES");
                long[] v = new long[len / 8];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.int64("extended community");
                }
                yield new PathAttribute.ExtendedCommunities(v);
            }
            case PathAttribute.LARGE_COMMUNITY -> {
                expectMultiple(in, len, 12, "LARGE_COMMUNITY");
                List<LargeCommunity> v = new ArrayList<>(len / 12);
                for (int i = 0; i < len / 12; i++) {
                    v.add(new LargeCommunity(in.uint32("large community global administrator"),
                            in.uint32("large community local data 1"), in.uint32("large community local data 2")));
                }
                yield new PathAttribute.LargeCommunities(v);
            }
            case PathAttribute.ONLY_TO_CUSTOMER -> {
                expectLength(in, len, 4, "ONLY_TO_CUSTOMER");
                yield new PathAttribute.OnlyToCustomer(in.uint32("ONLY_TO_CUSTOMER"));
            }
            default -> new PathAttribute.Unknown(flags, typeCode, in.bytes(len, "attribute value"));
        };
    }

    private static void expectLength(WireCursor in, int len, int expected, String name) {
        if (len != expected) {
            throw in.error(name + " length " + len + ", expected " + expected);
        }
    }

    private static void expectMultiple(WireCursor in, int len, int unit, String name) {
        if (len == 0 || len % unit != 0) {
            throw in.error(name + " length " + len + " is not a positive multiple of " + unit);
        }
    }

    private static List<AsPathSegment> decodeSegments(WireCursor in, boolean fourOctet, boolean as4Path) {
        List<AsPathSegment> segments = null;
        AsPathSegment first = null;
        int width = fourOctet ? 4 : 2;
        while (in.hasRemaining()) {
            int typeCode = in.uint8("AS path segment type");
            AsPathSegment.Type type = AsPathSegment.Type.of(typeCode);
            if (type == null) {
                throw in.error("AS path segment type " + typeCode);
            }
            if (as4Path && type.isConfederation()) {
                throw in.error("AS4_PATH carries a confederation segment");
            }
            int count = in.uint8("AS path segment length");
            if (count == 0) {
                throw in.error("empty AS path segment");
            }
            in.require(count * width, "AS path segment");
            int[] asns = new int[count];
            for (int i = 0; i < count; i++) {
                asns[i] = fourOctet ? in.int32("AS path segment") : in.uint16("AS path segment");
            }
            AsPathSegment segment = AsPathSegment.wrap(type, asns);
            // Most paths are one AS_SEQUENCE: keep that case to a single immutable one-element list.
            if (first == null) {
                first = segment;
            } else {
                if (segments == null) {
                    segments = new ArrayList<>(4);
                    segments.add(first);
                }
                segments.add(segment);
            }
        }
        return segments != null ? segments : first != null ? List.of(first) : List.of();
    }

    /** Writes the value of a non-MP attribute. ASNs above 65535 become AS_TRANS on a 2-octet session. */
    public static void encode(PathAttribute attribute, ByteSink out, boolean fourOctetAs) {
        switch (attribute) {
            case PathAttribute.Origin o -> out.u8(o.value());
            case PathAttribute.AsPath p -> encodeSegments(p.segments(), out, fourOctetAs);
            case PathAttribute.As4Path p -> encodeSegments(p.segments(), out, true);
            case PathAttribute.NextHop n -> out.u32(n.address());
            case PathAttribute.MultiExitDisc m -> out.u32(m.value());
            case PathAttribute.LocalPref l -> out.u32(l.value());
            case PathAttribute.AtomicAggregate a -> {
                // no value
            }
            case PathAttribute.Aggregator a -> {
                if (fourOctetAs) {
                    out.u32(a.asn());
                } else {
                    out.u16(twoOctet(a.asn()));
                }
                out.u32(a.address());
            }
            case PathAttribute.As4Aggregator a -> out.u32(a.asn()).u32(a.address());
            case PathAttribute.Communities c -> {
                for (int i = 0; i < c.size(); i++) {
                    out.u32(c.get(i));
                }
            }
            case PathAttribute.OriginatorId o -> out.u32(o.address());
            case PathAttribute.ClusterList c -> {
                for (int id : c.clusterIds()) {
                    out.u32(id);
                }
            }
            case PathAttribute.ExtendedCommunities c -> {
                for (int i = 0; i < c.size(); i++) {
                    out.i64(c.get(i));
                }
            }
            case PathAttribute.LargeCommunities l -> {
                for (LargeCommunity c : l.values()) {
                    out.u32(c.globalAdministrator()).u32(c.localData1()).u32(c.localData2());
                }
            }
            case PathAttribute.OnlyToCustomer o -> out.u32(o.asn());
            case PathAttribute.Unknown u -> out.bytes(u.value());
            case PathAttribute.MpReach m -> throw new IllegalArgumentException("MP_REACH_NLRI is encoded with its NLRI codec");
            case PathAttribute.MpUnreach m -> throw new IllegalArgumentException("MP_UNREACH_NLRI is encoded with its NLRI codec");
        }
    }

    private static int twoOctet(long asn) {
        return asn > 0xFFFF ? 23456 : (int) asn;
    }

    private static void encodeSegments(List<AsPathSegment> segments, ByteSink out, boolean fourOctet) {
        for (AsPathSegment s : segments) {
            out.u8(s.type().wire()).u8(s.size());
            for (int i = 0; i < s.size(); i++) {
                if (fourOctet) {
                    out.u32(s.asn(i));
                } else {
                    out.u16(twoOctet(s.asn(i)));
                }
            }
        }
    }

    /**
     * RFC 6793 section 4.2.3: rebuilds the real AS path from an AS_PATH received over a 2-octet
     * session and the AS4_PATH beside it. Returns {@code null} when AS4_PATH must be ignored
     * because it is longer than AS_PATH.
     */
    public static PathAttribute.AsPath mergeAs4Path(PathAttribute.AsPath asPath, PathAttribute.As4Path as4Path) {
        int keep = asPath.pathLength() - new PathAttribute.AsPath(as4Path.segments()).pathLength();
        if (keep < 0) {
            return null;
        }
        List<AsPathSegment> merged = new ArrayList<>();
        for (AsPathSegment s : asPath.segments()) {
            if (keep == 0 && !s.type().isConfederation()) {
                break;
            }
            if (s.type() == AsPathSegment.Type.AS_SEQUENCE && s.size() > keep) {
                int[] head = new int[keep];
                System.arraycopy(s.asns(), 0, head, 0, keep);
                if (keep > 0) {
                    merged.add(AsPathSegment.wrap(s.type(), head));
                }
                keep = 0;
            } else {
                merged.add(s);
                keep -= s.pathLength();
            }
        }
        int kept = merged.size();
        for (AsPathSegment s : as4Path.segments()) {
            AsPathSegment last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            // Only the seam between the kept head and AS4_PATH is joined; AS4_PATH's own segments stay as sent.
            if (merged.size() == kept && last != null && last.type() == AsPathSegment.Type.AS_SEQUENCE
                    && s.type() == AsPathSegment.Type.AS_SEQUENCE && last.size() + s.size() <= 255) {
                // One sequence, as the sender would have encoded it with 4-octet ASNs.
                int[] joined = java.util.Arrays.copyOf(last.asns(), last.size() + s.size());
                System.arraycopy(s.asns(), 0, joined, last.size(), s.size());
                merged.set(merged.size() - 1, AsPathSegment.wrap(AsPathSegment.Type.AS_SEQUENCE, joined));
            } else {
                merged.add(s);
            }
        }
        return new PathAttribute.AsPath(merged);
    }
}
