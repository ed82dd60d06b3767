package net.rampart.rpki;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6811 route origin validation over one {@link VrpSet}. The VRPs of each distinct
 * prefix are contiguous in the set, so a {@link CoveringIndex} node maps to a range of
 * VRPs; validating a route touches only the VRPs whose prefixes cover it.
 */
public final class RoaIndex {

    /** Origin of a route whose AS_PATH ends in an AS_SET (RFC 6811 "NONE"): never matches. */
    public static final long NO_ORIGIN = -1;

    private final VrpSet vrps;
    private final Family v4;
    private final Family v6;

    private record Family(CoveringIndex index, int[] firstVrp) {
    }

    public RoaIndex(VrpSet vrps) {
        this.vrps = vrps;
        int v4Count = vrps.ipv4Count();
        this.v4 = family(vrps, 0, v4Count);
        this.v6 = family(vrps, v4Count, vrps.size());
    }

    private static Family family(VrpSet vrps, int from, int to) {
        int n = to - from;
        long[] high = new long[n];
        long[] low = new long[n];
        int[] length = new int[n];
        for (int i = 0; i < n; i++) {
            high[i] = vrps.high(from + i);
            low[i] = vrps.low(from + i);
            length[i] = vrps.prefixLength(from + i);
        }
        CoveringIndex index = CoveringIndex.ofSorted(n, high, low, length);
        int[] first = new int[index.size() + 1];
        int node = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || high[i] != high[i - 1] || low[i] != low[i - 1] || length[i] != length[i - 1]) {
                first[node++] = from + i;
            }
        }
        first[index.size()] = to;
        return new Family(index, first);
    }

    public VrpSet vrps() {
        return vrps;
    }

    /** The validation state alone, without allocating: the hot path for RIB-wide validation. */
    public RouteOriginState state(IpPrefix route, long originAsn) {
        return state(route.ipv6(), route.high(), route.low(), route.length(), originAsn);
    }

    public RouteOriginState state(boolean ipv6, long high, long low, int length, long originAsn) {
        Family f = ipv6 ? v6 : v4;
        int node = f.index.longestCovering(high, low, length);
        if (node < 0) {
            return RouteOriginState.NOT_FOUND;
        }
        if (originAsn > 0) {
            for (; node >= 0; node = f.index.parent(node)) {
                for (int i = f.firstVrp[node], end = f.firstVrp[node + 1]; i < end; i++) {
                    if (vrps.asn(i) == originAsn && length <= vrps.maxLength(i)) {
                        return RouteOriginState.VALID;
                    }
                }
            }
        }
        return RouteOriginState.INVALID;
    }

    /** The state with the matched and unmatched VRPs and, for an invalid route, the reason. */
    public OriginValidation validate(IpPrefix route, long originAsn) {
        Family f = route.ipv6() ? v6 : v4;
        List<Vrp> matched = new ArrayList<>();
        List<Vrp> unmatchedAs = new ArrayList<>();
        List<Vrp> unmatchedLength = new ArrayList<>();
        for (int node = f.index.longestCovering(route.high(), route.low(), route.length()); node >= 0;
                node = f.index.parent(node)) {
            for (int i = f.firstVrp[node], end = f.firstVrp[node + 1]; i < end; i++) {
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
     * The VRPs whose prefix equals the given one ({@code exact}), covers it ({@code covering})
     * or lies within it ({@code moreSpecific}), in set order.
     */
    public List<Integer> indicesRelatedTo(IpPrefix prefix, boolean covering, boolean exact, boolean moreSpecific) {
        Family f = prefix.ipv6() ? v6 : v4;
        List<Integer> out = new ArrayList<>();
        List<Integer> ancestors = new ArrayList<>();
        for (int node = f.index.longestCovering(prefix.high(), prefix.low(), prefix.length()); node >= 0;
                node = f.index.parent(node)) {
            boolean isExact = f.index.length(node) == prefix.length();
            if (isExact ? exact : covering) {
                ancestors.add(node);
            }
        }
        for (int k = ancestors.size() - 1; k >= 0; k--) {
            addRange(f, ancestors.get(k), out);
        }
        if (moreSpecific) {
            // Nodes inside the prefix are contiguous in sorted order, right after its start.
            int node = firstNodeAtOrAfter(f.index, prefix.high(), prefix.low());
            for (; node < f.index.size(); node++) {
                if (f.index.length(node) <= prefix.length()) {
                    if (f.index.high(node) == prefix.high() && f.index.low(node) == prefix.low()) {
                        continue; // the prefix itself or a shorter one starting at the same address
                    }
                    break;
                }
                IpPrefix candidate = new IpPrefix(prefix.ipv6(), f.index.high(node), f.index.low(node),
                        f.index.length(node));
                if (!prefix.covers(candidate)) {
                    break;
                }
                addRange(f, node, out);
            }
        }
        return out;
    }

    private static int firstNodeAtOrAfter(CoveringIndex index, long high, long low) {
        int lo = 0;
        int hi = index.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(index.high(mid), high);
            if (c == 0) {
                c = Long.compareUnsigned(index.low(mid), low);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static void addRange(Family f, int node, List<Integer> out) {
        for (int i = f.firstVrp[node]; i < f.firstVrp[node + 1]; i++) {
            out.add(i);
        }
    }
}
