package net.rampart.collector.rib;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The routes of one peer, view and family. Writers hold the write lock for a whole UPDATE,
 * so a reader under the read lock sees every UPDATE either wholly applied or not at all.
 */
abstract sealed class RouteTable permits PrefixTable, KeyedRouteTable {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /**
     * The source of the last events made of this table, used under the write lock: the router,
     * peer, view and family of a table never change, its session does.
     */
    private RouteSource source;

    static RouteTable forFamily(Family family) {
        boolean unicastOrMulticast = family.safi() == 1 || family.safi() == 2;
        if (unicastOrMulticast && family.afi() == Family.AFI_IPV4) {
            return new PrefixTable(false);
        }
        if (unicastOrMulticast && family.afi() == Family.AFI_IPV6) {
            return new PrefixTable(true);
        }
        return new KeyedRouteTable();
    }

    /** The source of this table's events from {@code session}, made again only when the session changes. */
    RouteSource source(RouterId router, long session, PeerKey peer, RibView view, Family family) {
        RouteSource s = source;
        if (s == null || s.session() != session) {
            s = new RouteSource(router, session, peer, view, family);
            source = s;
        }
        return s;
    }

    /**
     * Stores the route, adds {@code holder} (a session's bit) to the sessions holding it, and
     * returns the attributes it replaced, or null when it is new. A unicast table also records
     * the route's origin state by {@code validator}.
     */
    abstract PathAttributes put(RouteKey key, PathAttributes attributes, int timeSeconds, short holder,
                                OriginValidator validator);

    /** Removes the route, whichever sessions hold it, and returns its attributes, or null when it was not there. */
    abstract PathAttributes remove(RouteKey key);

    /**
     * Takes {@code holder} (a session's bit) off every route it holds and removes the routes no
     * session holds any more, showing each to {@code removed} first. Returns the number removed.
     */
    abstract int release(short holder, RouteVisitor removed);

    abstract PathAttributes get(RouteKey key);

    /**
     * Visits the routes of exactly this IP prefix, whatever their path ID (the prefix's own is
     * ignored). Here by reading every route; a unicast table finds them by its index.
     */
    void forEachOfPrefix(RouteKey prefix, RouteVisitor visitor) {
        forEach((key, attributes, since) -> {
            if (samePrefix(prefix, key)) {
                visitor.visit(key, attributes, since);
            }
        });
    }

    static boolean samePrefix(RouteKey a, RouteKey b) {
        if (a instanceof Ipv4RouteKey p && b instanceof Ipv4RouteKey q) {
            return p.address() == q.address() && p.length() == q.length();
        }
        return a instanceof Ipv6RouteKey p && b instanceof Ipv6RouteKey q
                && p.high() == q.high() && p.low() == q.low() && p.length() == q.length();
    }

    abstract int size();

    abstract void forEach(RouteVisitor visitor);

    /** Bytes held by the table's own structures, excluding the shared attribute sets. */
    abstract long footprintBytes();
}
