package net.rampart.collector.rib;

import java.net.InetAddress;

/**
 * A filter over the RIB's current routes; every criterion left null (or -1) matches all.
 *
 * @param familyGroup    a {@link Family#group()} name (ipv4, ipv6, evpn or other), or null; a group rather
 *                       than one family, so that "other" selects every family without a name of its own
 * @param prefix         an {@link Ipv4RouteKey} or {@link Ipv6RouteKey}; its path ID is ignored
 * @param match          how {@code prefix} relates to a route's prefix
 * @param originAsn      the route's origin AS, or -1
 * @param asPathContains an ASN anywhere in the route's AS path, or -1
 * @param community      a standard community ({@code asn << 16 | value}), or null
 * @param largeCommunity a large community as a triple, or null
 * @param filter         any further test on a route, or null
 * @param peerAddress    the peer's address, or null
 * @param offset         matches to skip before the first one returned
 * @param limit          most routes to return
 */
public record RouteQuery(RouterId router, InetAddress peerAddress, RibView view, String familyGroup, RouteKey prefix,
                         PrefixMatch match, long originAsn, long asPathContains, Integer community,
                         int[] largeCommunity, RouteFilter filter, int offset, int limit) {

    /** How a query prefix relates to the routes it selects. */
    public enum PrefixMatch {
        /** The route's prefix equals the query prefix. */
        EXACT,
        /** The route's prefix is the query prefix or more specific (covered by it). */
        LONGER,
        /** The route's prefix is the query prefix or less specific (covers it). */
        SHORTER
    }

    public RouteQuery {
        if (prefix != null && !(prefix instanceof Ipv4RouteKey) && !(prefix instanceof Ipv6RouteKey)) {
            throw new IllegalArgumentException("prefix queries take an IPv4 or IPv6 prefix");
        }
        if (largeCommunity != null && largeCommunity.length != 3) {
            throw new IllegalArgumentException("a large community is three numbers");
        }
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        match = match == null ? PrefixMatch.EXACT : match;
    }

    /** Every route, first {@code limit} returned. */
    public static RouteQuery all(int limit) {
        return new RouteQuery(null, null, null, null, null, null, -1, -1, null, null, null, 0, limit);
    }

    public RouteQuery withPrefix(RouteKey queryPrefix, PrefixMatch how) {
        return new RouteQuery(router, peerAddress, view, familyGroup, queryPrefix, how, originAsn, asPathContains,
                community, largeCommunity, filter, offset, limit);
    }

    public RouteQuery withOriginAsn(long asn) {
        return new RouteQuery(router, peerAddress, view, familyGroup, prefix, match, asn, asPathContains, community,
                largeCommunity, filter, offset, limit);
    }

    public RouteQuery withAsPathContains(long asn) {
        return new RouteQuery(router, peerAddress, view, familyGroup, prefix, match, originAsn, asn, community,
                largeCommunity, filter, offset, limit);
    }

    public RouteQuery withCommunity(int standard) {
        return new RouteQuery(router, peerAddress, view, familyGroup, prefix, match, originAsn, asPathContains, standard,
                largeCommunity, filter, offset, limit);
    }

    public RouteQuery withLargeCommunity(int global, int data1, int data2) {
        return new RouteQuery(router, peerAddress, view, familyGroup, prefix, match, originAsn, asPathContains, community,
                new int[] {global, data1, data2}, filter, offset, limit);
    }

    public RouteQuery withPeer(RouterId onRouter, InetAddress address) {
        return new RouteQuery(onRouter, address, view, familyGroup, prefix, match, originAsn, asPathContains, community,
                largeCommunity, filter, offset, limit);
    }

    public RouteQuery withView(RibView ribView) {
        return new RouteQuery(router, peerAddress, ribView, familyGroup, prefix, match, originAsn, asPathContains,
                community, largeCommunity, filter, offset, limit);
    }

    public RouteQuery withFamilyGroup(String group) {
        return new RouteQuery(router, peerAddress, view, group, prefix, match, originAsn, asPathContains, community,
                largeCommunity, filter, offset, limit);
    }

    public RouteQuery page(int skip, int max) {
        return new RouteQuery(router, peerAddress, view, familyGroup, prefix, match, originAsn, asPathContains, community,
                largeCommunity, filter, skip, max);
    }

    boolean selectsTable(RouterId r, PeerKey p, RibView v, Family f) {
        return (router == null || router.equals(r)) && (peerAddress == null || peerAddress.equals(p.address()))
                && (view == null || view == v) && (familyGroup == null || familyGroup.equals(f.group()))
                && (prefix == null || (prefix instanceof Ipv4RouteKey ? f.afi() == Family.AFI_IPV4
                        : f.afi() == Family.AFI_IPV6));
    }

    /** Also requires {@code routeFilter} (e.g. an RPKI state computed by the caller). */
    public RouteQuery withFilter(RouteFilter routeFilter) {
        return new RouteQuery(router, peerAddress, view, familyGroup, prefix, match, originAsn, asPathContains, community,
                largeCommunity, routeFilter, offset, limit);
    }

    boolean selects(RouteKey key, PathAttributes a) {
        if (filter != null && !filter.test(key, a)) {
            return false;
        }
        if (prefix != null && !prefixMatches(key)) {
            return false;
        }
        if (originAsn >= 0 && a.asPath().originAsn() != originAsn) {
            return false;
        }
        if (asPathContains >= 0 && !a.asPath().contains(asPathContains)) {
            return false;
        }
        if (community != null && !a.hasCommunity(community)) {
            return false;
        }
        return largeCommunity == null || a.hasLargeCommunity(largeCommunity[0], largeCommunity[1], largeCommunity[2]);
    }

    private boolean prefixMatches(RouteKey key) {
        if (prefix instanceof Ipv4RouteKey q && key instanceof Ipv4RouteKey k) {
            return switch (match) {
                case EXACT -> q.address() == k.address() && q.length() == k.length();
                case LONGER -> q.covers(k);
                case SHORTER -> k.covers(q);
            };
        }
        if (prefix instanceof Ipv6RouteKey q && key instanceof Ipv6RouteKey k) {
            return switch (match) {
                case EXACT -> q.high() == k.high() && q.low() == k.low() && q.length() == k.length();
                case LONGER -> q.covers(k);
                case SHORTER -> k.covers(q);
            };
        }
        return false;
    }
}
