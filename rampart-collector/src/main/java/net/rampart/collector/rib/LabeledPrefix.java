package net.rampart.collector.rib;

import java.util.Objects;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;

/**
 * A labeled unicast prefix (RFC 8277, SAFI 4) or a BGP/MPLS VPN prefix (RFC 4364 and RFC 4659,
 * SAFI 128). Equality and hash cover the route distinguisher, prefix and path ID but not the
 * labels: a withdrawal need not repeat the labels of what it withdraws (RFC 8277 section 2.4),
 * and a re-advertisement with other labels replaces the route, whose stored key then carries
 * the new labels. The labels array is owned by the route and must not be modified.
 *
 * @param rd     route distinguisher as a long for a VPN prefix; null for labeled unicast
 * @param prefix the IP prefix, an {@link Ipv4RouteKey} or {@link Ipv6RouteKey} with path ID 0
 * @param labels the 20-bit label values of the label stack, top first, never null
 */
public record LabeledPrefix(Long rd, RouteKey prefix, int[] labels, int pathId) implements RouteKey {
    private static final int[] NO_LABELS = new int[0];

    public LabeledPrefix {
        // The path ID belongs to this key; the nested prefix only says which prefix it is.
        if (!(prefix instanceof Ipv4RouteKey || prefix instanceof Ipv6RouteKey) || prefix.pathId() != 0) {
            throw new IllegalArgumentException("a labeled route's prefix is an IP prefix without path ID: " + prefix);
        }
        labels = labels == null ? NO_LABELS : labels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledPrefix p && p.pathId == pathId && Objects.equals(p.rd, rd)
                && p.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(rd) * 31 + prefix.hashCode()) * 31 + pathId;
    }

    /**
     * {@code rd:prefix} for a VPN prefix (e.g. {@code 65000:1:10.0.0.0/24}), the prefix alone for
     * labeled unicast. The RD is written as {@link RouteDistinguisher} writes every RD, the form
     * route keys were written in before this type existed, so that stored route keys (the
     * history store's current_route key) stay the same even for RD types RFC 4364 does not define.
     */
    @Override
    public String text() {
        return rd == null ? prefix.text() : RouteDistinguisher.format(rd) + ":" + prefix.text();
    }

    @Override
    public String toString() {
        return pathId == 0 ? text() : text() + "#" + Integer.toUnsignedString(pathId);
    }
}
