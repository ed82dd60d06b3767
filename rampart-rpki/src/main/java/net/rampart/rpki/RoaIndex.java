package net.rampart.rpki;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.RouteOriginState;
import net.rampart.wire.ip.IpPrefix;

/**
 * RFC 6811 route origin validation over one {@link VrpSet}. The VRPs of each distinct
 * prefix are contiguous in the set, so a {@link CoveringIndex} node maps to a range of
 * VRPs; validating a route touches only the VRPs whose prefixes cover it. Each VRP's AS
 * and maximum length sit packed in one long, so checking a candidate is one memory read.
 *
 * <p>Each node is tagged with a 64-bit signature of the ASes (one bit per AS, by hash) of
 * the VRPs of its prefix and of the prefixes covering it whose maximum length reaches the
 * node's prefix length: only those can match a route the node covers. When the route's
 * origin has no bit in the most specific covering node's signature, the route is invalid
 * without walking the covering chain, which makes the common invalid and not-found answers
 * one search; the walk, when there is one, stops at the first node whose signature lacks
 * the origin. The cells of the index hold the signature folded to 32 bits: it lets through
 * every route the full one does and some more, which the node's own signature then stops.
 */
public final class RoaIndex {

    /** Origin of a route whose AS_PATH ends in an AS_SET (RFC 6811 "NONE"): never matches. */
    public static final long NO_ORIGIN = -1;

    private final VrpSet vrps;
    private final Family v4;
    private final Family v6;

    /** One family's index; entry i of the family is VRP {@code offset + i} of the set. */
    private record Family(CoveringIndex index, int offset, long[] asnAndMax) {
    }

    public RoaIndex(VrpSet vrps) {
        this.vrps = vrps;
        int v4Count = vrps.ipv4Count();
        this.v4 = family(vrps, false, 0, v4Count);
        this.v6 = family(vrps, true, v4Count, vrps.size());
    }

    private static Family family(VrpSet vrps, boolean ipv6, int from, int to) {
        int n = to - from;
        long[] high = new long[n];
        long[] low = new long[n];
        int[] length = new int[n];
        long[] asnAndMax = new long[n];
        long[] asnBits = new long[n];
        int[] maxLength = new int[n];
        for (int i = 0; i < n; i++) {
            high[i] = vrps.high(from + i);
            low[i] = vrps.low(from + i);
            length[i] = vrps.prefixLength(from + i);
            asnAndMax[i] = vrps.asn(from + i) << 8 | vrps.maxLength(from + i);
            asnBits[i] = asnBit(vrps.asn(from + i));
            maxLength[i] = vrps.maxLength(from + i);
        }
        return new Family(new CoveringIndex(ipv6, n, high, low, length, asnBits, maxLength), from, asnAndMax);
    }

    private static long asnBit(long asn) {
        return 1L << ((asn * 0x9E37_79B9_7F4A_7C15L) >>> 58);
    }

    public VrpSet vrps() {
        return vrps;
    }

    /** The validation state alone, without allocating: the hot path for RIB-wide validation. */
    public RouteOriginState state(IpPrefix route, long originAsn) {
        return state(route.isIpv6(), route.high(), route.low(), route.length(), originAsn);
    }

    public RouteOriginState state(boolean ipv6, long high, long low, int length, long originAsn) {
        Family f = ipv6 ? v6 : v4;
        CoveringIndex index = f.index;
        // Most routes are at least as long as the most specific VRP prefix containing their
        // address: their cell alone then gives the covering node and its signature.
        long cell = index.cellValue(index.cell(high));
        long bit = asnBit(originAsn);
        int node;
        boolean mayMatch;
        if (CoveringIndex.cellLength(cell) <= length) {
            node = CoveringIndex.cellNode(cell);
            // The cell's folded signature: a bit it lacks is lacking from the node's own.
            mayMatch = (CoveringIndex.cellTag(cell) & CoveringIndex.foldedBit(bit)) != 0;
        } else {
            node = index.longestCovering(high, low, length);
            mayMatch = node >= 0 && (index.tag(node) & bit) != 0;
        }
        if (node < 0) {
            return RouteOriginState.NOT_FOUND;
        }
        if (originAsn > 0 && mayMatch) {
            long[] packed = f.asnAndMax;
            // A node whose signature lacks the origin ends the walk: neither it nor a node above can match.
            for (; node >= 0 && (index.tag(node) & bit) != 0; node = index.parent(node)) {
                for (int i = index.first(node), end = index.end(node); i < end; i++) {
                    long p = packed[i];
                    if (p >>> 8 == originAsn && length <= (int) (p & 0xFF)) {
                        return RouteOriginState.VALID;
                    }
                }
            }
        }
        return RouteOriginState.INVALID;
    }

    /**
     * Whether a VRP covering the route lists {@code originAsn}, whatever its maximum length: for
     * an invalid route, that it fails by length rather than by origin, told without allocating.
     */
    public boolean coveredFor(IpPrefix route, long originAsn) {
        if (originAsn <= 0) {
            return false;
        }
        Family f = route.isIpv6() ? v6 : v4;
        for (int node = f.index.longestCovering(route.high(), route.low(), route.length()); node >= 0;
                node = f.index.parent(node)) {
            for (int i = f.index.first(node), end = f.index.end(node); i < end; i++) {
                if (f.asnAndMax[i] >>> 8 == originAsn) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The state with the matched and unmatched VRPs and, for an invalid route, the reason. */
    public OriginValidation validate(IpPrefix route, long originAsn) {
        Family f = route.isIpv6() ? v6 : v4;
        List<Vrp> matched = new ArrayList<>();
        List<Vrp> unmatchedAs = new ArrayList<>();
        List<Vrp> unmatchedLength = new ArrayList<>();
        for (int node = f.index.longestCovering(route.high(), route.low(), route.length()); node >= 0;
                node = f.index.parent(node)) {
            for (int i = f.offset + f.index.first(node), end = f.offset + f.index.end(node); i < end; i++) {
                if (originAsn <= 0 || vrps.asn(i) != originAsn) {
                    unmatchedAs.add(vrps.get(i));
                } else if (route.length() > vrps.maxLength(i)) {
                    unmatchedLength.add(vrps.get(i));
                } else {
                    matched.add(vrps.get(i));
                }
            }
        }
        RouteOriginState state;
        String reason = null;
        if (!matched.isEmpty()) {
            state = RouteOriginState.VALID;
        } else if (unmatchedAs.isEmpty() && unmatchedLength.isEmpty()) {
            state = RouteOriginState.NOT_FOUND;
        } else {
            state = RouteOriginState.INVALID;
            reason = unmatchedLength.isEmpty() ? "as" : "length";
        }
        return new OriginValidation(route, originAsn, state, reason, List.copyOf(matched), List.copyOf(unmatchedAs),
                List.copyOf(unmatchedLength));
    }

    /**
     * Indices into the set of the VRPs whose prefix equals the given one ({@code exact}),
     * covers it ({@code covering}) or lies within it ({@code moreSpecific}), in set order.
     */
    public List<Integer> indicesRelatedTo(IpPrefix prefix, boolean covering, boolean exact, boolean moreSpecific) {
        Family f = prefix.isIpv6() ? v6 : v4;
        CoveringIndex index = f.index;
        List<Integer> out = new ArrayList<>();
        List<Integer> ancestors = new ArrayList<>();
        for (int node = index.longestCovering(prefix.high(), prefix.low(), prefix.length()); node >= 0;
                node = index.parent(node)) {
            boolean isExact = index.length(node) == prefix.length();
            if (isExact ? exact : covering) {
                ancestors.add(node);
            }
        }
        for (int k = ancestors.size() - 1; k >= 0; k--) {
            addRange(f, ancestors.get(k), out);
        }
        if (moreSpecific) {
            // Nodes inside the prefix are contiguous in sorted order, from its start address on.
            for (int node = index.firstAtOrAfter(prefix.high(), prefix.low()); node < index.size(); node++) {
                if (index.length(node) <= prefix.length()) {
                    if (index.high(node) == prefix.high() && index.low(node) == prefix.low()) {
                        continue; // the prefix itself or a shorter one starting at the same address
                    }
                    break;
                }
                IpPrefix candidate = IpPrefix.of(prefix.isIpv6(), index.high(node), index.low(node),
                        index.length(node));
                if (!prefix.covers(candidate)) {
                    break;
                }
                addRange(f, node, out);
            }
        }
        return out;
    }

    private static void addRange(Family f, int node, List<Integer> out) {
        for (int i = f.index.first(node); i < f.index.end(node); i++) {
            out.add(f.offset + i);
        }
    }
}
