package net.rampart.collector.rib;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import net.rampart.wire.RouteOriginState;

/**
 * The collector's routing information: for every router, peer, view and family the routes
 * that are currently announced, with their attributes shared through one {@link AttributePool}.
 *
 * <p>There is no lock over the whole RIB. Each table has its own read-write lock, held by a
 * writer for one whole update or for the removal of one session's routes. Readers therefore
 * always see each table in a state between two updates. Updates of one session come from one
 * thread at a time, which keeps their order; a router's sessions may write at once.
 *
 * <p>Every route is held by the {@link Session}s of its router that announced it: a Peer Down or
 * the end of a session withdraws only the routes no other open session holds, so a router that
 * reconnects before its old connection has timed out, or that keeps two sessions, loses nothing
 * a live session sent.
 *
 * <p>Every unicast route carries its RPKI origin state, set by the current
 * {@link OriginValidator} when the route is stored and changed by {@link #revalidate} when
 * the VRPs change, under the same table lock, so a table's counts by state are always exact.
 */
public final class Rib {
    /** Withdrawal events of a detached peer are handed over in lists of at most this size. */
    static final int WITHDRAW_CHUNK = 8192;

    private final AttributePool attributePool = new AttributePool();
    private final RouteEventListener listener;
    private final ConcurrentHashMap<RouterId, RouterRib> routers = new ConcurrentHashMap<>();
    /** Read under each table's write lock, so a route stored after a swap gets the new VRPs' state. */
    private volatile OriginValidator validator = OriginValidator.NONE;

    public Rib(RouteEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The tables of one peer: one per view and family, plus the End-of-RIB markers received. */
    static final class PeerRib {
        private static final int VIEWS = RibView.values().length;

        final ConcurrentHashMap<TableId, RouteTable> tables = new ConcurrentHashMap<>();
        final ConcurrentHashMap<TableId, Long> endOfRib = new ConcurrentHashMap<>();
        /**
         * The IPv4 and IPv6 unicast tables of {@link #tables} by view, found without a key
         * object for each update. A table, once made, stays the peer's.
         */
        private final AtomicReferenceArray<RouteTable> unicast = new AtomicReferenceArray<>(2 * VIEWS);

        /** The table of the view and family, made when it is first needed. */
        RouteTable table(RibView view, Family family) {
            int slot = family.safi() != Family.SAFI_UNICAST ? -1
                    : family.afi() == Family.AFI_IPV4 ? view.ordinal()
                    : family.afi() == Family.AFI_IPV6 ? VIEWS + view.ordinal() : -1;
            RouteTable table = slot < 0 ? null : unicast.get(slot);
            if (table == null) {
                table = tables.computeIfAbsent(new TableId(view, family), id -> RouteTable.forFamily(id.family()));
                if (slot >= 0) {
                    unicast.set(slot, table);
                }
            }
            return table;
        }
    }

    record TableId(RibView view, Family family) {
    }

    static final class RouterRib {
        final ConcurrentHashMap<PeerKey, PeerRib> peers = new ConcurrentHashMap<>();
        /** Tags of the router's open sessions; changed only inside {@code routers.compute} for the router. */
        final BitSet openTags = new BitSet(Session.MAX_TAG + 1);
    }

    /**
     * Opens a session of {@code router} (a BMP connection): the routes it announces stay in the
     * RIB until they are withdrawn, or until every open session that announced them has ended.
     *
     * @param id the session's id in route history
     * @throws IllegalStateException when the router already has {@value Session#MAX_TAG} open sessions
     */
    public Session openSession(RouterId router, long id) {
        Session[] opened = new Session[1];
        routers.compute(router, (name, r) -> {
            RouterRib rib = r == null ? new RouterRib() : r;
            int tag = rib.openTags.nextClearBit(Session.IMPLICIT_TAG + 1);
            if (tag > Session.MAX_TAG) {
                throw new IllegalStateException("router " + router + " already has " + Session.MAX_TAG
                        + " open sessions");
            }
            rib.openTags.set(tag);
            opened[0] = new Session(router, id, tag);
            return rib;
        });
        return opened[0];
    }

    /**
     * Ends a session: withdraws every route it announced that no other open session of the
     * router announced too. When it was the router's last open session the router leaves the
     * RIB. Returns the number of routes withdrawn.
     */
    public long closeSession(Session session, long timeMillis) {
        RouterRib r = routers.get(session.router());
        if (r == null) {
            return 0;
        }
        long n = 0;
        for (Map.Entry<PeerKey, PeerRib> e : r.peers.entrySet()) {
            n += withdrawHeld(session, e.getKey(), e.getValue(), timeMillis);
        }
        routers.computeIfPresent(session.router(), (name, rib) -> {
            rib.openTags.clear(session.tag());
            // Every route of a BMP router belongs to one of its sessions, so with none open its
            // tables are empty and no update can be on its way to them.
            return rib.openTags.isEmpty() ? null : rib;
        });
        return n;
    }

    /** Applies an update of a source without sessions (an MRT import); see {@link #apply(Session, PeerKey, RibView, RouteUpdate)}. */
    public void apply(RouterId router, PeerKey peer, RibView view, RouteUpdate update) {
        apply(Session.implicit(router), peer, view, update);
    }

    /**
     * Applies withdrawals, then announcements, of one update to the peer's table for the
     * update's view and family, and reports every change to the listener. A withdrawal removes
     * the route whichever sessions announced it; an announcement adds the session to its holders.
     * A withdrawal of a route that is not there changes nothing and is not reported; every
     * announcement is reported, a repeated one too, because route history records each.
     *
     * @return the RIB's own instance of the announced routes' attribute set (null when none are
     *         announced): a decoder that gives one set to many updates can give this one, which
     *         the RIB then finds by identity
     */
    public PathAttributes apply(Session session, PeerKey peer, RibView view, RouteUpdate update) {
        return apply(session, peer, view, update, listener != RouteEventListener.NONE);
    }

    /**
     * Puts routes that the store already holds back into the RIB at start, under the implicit
     * session of a source without sessions (an MRT import), like {@link #apply(RouterId, PeerKey,
     * RibView, RouteUpdate)} but without telling the listener: route history recorded these
     * routes when they first arrived, and reporting them again would record each a second time.
     *
     * @throws IllegalArgumentException when the update withdraws routes: the store holds only announcements to restore
     */
    public void restore(RouterId router, PeerKey peer, RibView view, RouteUpdate update) {
        if (!update.withdrawn().isEmpty()) {
            throw new IllegalArgumentException("a restored update announces routes, it withdraws none");
        }
        apply(Session.implicit(router), peer, view, update, false);
    }

    private PathAttributes apply(Session session, PeerKey peer, RibView view, RouteUpdate update, boolean report) {
        RouterId router = session.router();
        Family family = update.family();
        RouteTable table = routers.computeIfAbsent(router, r -> new RouterRib()).peers
                .computeIfAbsent(peer, p -> new PeerRib()).table(view, family);
        List<RouteKey> announced = update.announced();
        List<RouteKey> withdrawn = update.withdrawn();
        // A one-route update (most of them, from routers that send a prefix per UPDATE) reports
        // its event in a list of one, which is half the bytes of a list that can grow.
        boolean oneRoute = announced.size() + withdrawn.size() == 1;
        List<RouteEvent> events = report && !oneRoute ? new ArrayList<>(announced.size() + withdrawn.size()) : null;
        RouteEvent only = null;
        long time = update.timeMillis();
        int seconds = (int) (time / 1000);
        short holder = session.holderBit();
        PathAttributes attributes = announced.isEmpty() ? null : attributePool.intern(update.attributes());
        int newHolders = 0;
        table.lock.writeLock().lock();
        try {
            RouteSource source = report ? table.source(router, session.id(), peer, view, family) : null;
            OriginValidator origins = validator;
            for (int i = 0, n = withdrawn.size(); i < n; i++) {
                RouteKey key = withdrawn.get(i);
                PathAttributes previous = table.remove(key);
                if (previous != null) {
                    attributePool.release(previous);
                    if (report) {
                        RouteEvent event = new RouteEvent(time, source, key, null);
                        if (oneRoute) {
                            only = event;
                        } else {
                            events.add(event);
                        }
                    }
                }
            }
            for (int i = 0, n = announced.size(); i < n; i++) {
                RouteKey key = announced.get(i);
                PathAttributes previous = table.put(key, attributes, seconds, holder, origins);
                if (previous != attributes) {
                    newHolders++;
                    if (previous != null) {
                        attributePool.release(previous);
                    }
                }
                if (report) {
                    RouteEvent event = new RouteEvent(time, source, key, attributes);
                    if (oneRoute) {
                        only = event;
                    } else {
                        events.add(event);
                    }
                }
            }
        } finally {
            if (attributes != null) {
                // Counted before the lock goes, so a reader or a peer-down never sees a route
                // whose attribute reference is not yet counted.
                attributePool.acquire(attributes, newHolders);
            }
            table.lock.writeLock().unlock();
            if (attributes != null) {
                attributePool.release(attributes); // the reference intern() gave this update
            }
        }
        if (only != null) {
            listener.onRouteEvents(List.of(only));
        } else if (events != null && !events.isEmpty()) {
            listener.onRouteEvents(events);
        }
        return attributes;
    }

    /** Records that the peer sent End-of-RIB for a view and family. */
    public void endOfRib(RouterId router, PeerKey peer, RibView view, Family family, long timeMillis) {
        routers.computeIfAbsent(router, r -> new RouterRib()).peers.computeIfAbsent(peer, p -> new PeerRib())
                .endOfRib.put(new TableId(view, family), timeMillis);
        listener.onEndOfRib(router, peer, view, family, timeMillis);
    }

    /** True when End-of-RIB was received for this peer, view and family since the peer came up. */
    public boolean endOfRibReceived(RouterId router, PeerKey peer, RibView view, Family family) {
        PeerRib p = peerRib(router, peer);
        return p != null && p.endOfRib.containsKey(new TableId(view, family));
    }

    /** Peer Down from a source without sessions (an MRT import); see {@link #peerDown(Session, PeerKey, long)}. */
    public long peerDown(RouterId router, PeerKey peer, long timeMillis) {
        return peerDown(Session.implicit(router), peer, timeMillis);
    }

    /**
     * Withdraws every route of the peer that the session announced and no other open session
     * did, in every view and family (BMP Peer Down), and forgets the peer's End-of-RIB markers.
     * Returns the number of routes withdrawn.
     */
    public long peerDown(Session session, PeerKey peer, long timeMillis) {
        PeerRib p = peerRib(session.router(), peer);
        if (p == null) {
            return 0;
        }
        p.endOfRib.clear();
        return withdrawHeld(session, peer, p, timeMillis);
    }

    /**
     * Takes the session off the routes of each of the peer's tables under that table's write
     * lock, releases the attributes of the routes no session holds any more, and reports each of
     * those withdrawn, in chunks, after the lock is gone.
     */
    private long withdrawHeld(Session session, PeerKey peer, PeerRib p, long timeMillis) {
        long n = 0;
        boolean report = listener != RouteEventListener.NONE;
        RouterId router = session.router();
        for (Map.Entry<TableId, RouteTable> e : p.tables.entrySet()) {
            RouteTable table = e.getValue();
            List<RouteEvent> withdrawn = new ArrayList<>();
            table.lock.writeLock().lock();
            try {
                RouteSource source = report ? table.source(router, session.id(), peer, e.getKey().view(),
                        e.getKey().family()) : null;
                n += table.release(session.holderBit(), (key, attributes, since) -> {
                    attributePool.release(attributes);
                    if (report) {
                        withdrawn.add(new RouteEvent(timeMillis, source, key, null));
                    }
                });
            } finally {
                table.lock.writeLock().unlock();
            }
            for (int from = 0; from < withdrawn.size(); from += WITHDRAW_CHUNK) {
                listener.onRouteEvents(new ArrayList<>(withdrawn.subList(from,
                        Math.min(withdrawn.size(), from + WITHDRAW_CHUNK))));
            }
        }
        return n;
    }

    PeerRib peerRib(RouterId router, PeerKey peer) {
        RouterRib r = routers.get(router);
        return r == null ? null : r.peers.get(peer);
    }

    public Set<RouterId> routers() {
        return Set.copyOf(routers.keySet());
    }

    public Set<PeerKey> peers(RouterId router) {
        RouterRib r = routers.get(router);
        return r == null ? Set.of() : Set.copyOf(r.peers.keySet());
    }

    /** The attributes of one route, or null when it is not in the RIB. */
    public PathAttributes lookup(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key) {
        RouteTable table = table(router, peer, view, family);
        if (table == null) {
            return null;
        }
        table.lock.readLock().lock();
        try {
            return table.get(key);
        } finally {
            table.lock.readLock().unlock();
        }
    }

    /** Visits one table's routes as of one moment between updates; returns the number visited. */
    public int read(RouterId router, PeerKey peer, RibView view, Family family, RouteVisitor visitor) {
        RouteTable table = table(router, peer, view, family);
        if (table == null) {
            return 0;
        }
        table.lock.readLock().lock();
        try {
            table.forEach(visitor);
            return table.size();
        } finally {
            table.lock.readLock().unlock();
        }
    }

    private RouteTable table(RouterId router, PeerKey peer, RibView view, Family family) {
        PeerRib p = peerRib(router, peer);
        return p == null ? null : p.tables.get(new TableId(view, family));
    }

    /** Receives each table of the RIB with its coordinates; see {@link #forEachTable}. */
    @FunctionalInterface
    public interface TableVisitor {
        void visit(RouterId router, PeerKey peer, RibView view, Family family, TableReader table);
    }

    /** Read access to one table, valid during {@link TableVisitor#visit}. */
    public interface TableReader {
        int size();

        /** Visits the routes under the table's read lock. */
        void read(RouteVisitor visitor);

        /** The attributes of one route, or null. */
        PathAttributes lookup(RouteKey key);

        /** Visits the routes of exactly this IP prefix, whatever their path ID, under the table's read lock. */
        void readPrefix(RouteKey prefix, RouteVisitor visitor);
    }

    /** Visits every table; tables added or removed meanwhile may or may not be seen. */
    public void forEachTable(TableVisitor visitor) {
        routers.forEach((router, r) -> r.peers.forEach((peer, p) -> p.tables.forEach((id, table) ->
                visitor.visit(router, peer, id.view(), id.family(), new LockedReader(table)))));
    }

    private record LockedReader(RouteTable table) implements TableReader {
        @Override
        public int size() {
            return table.size();
        }

        @Override
        public void read(RouteVisitor visitor) {
            table.lock.readLock().lock();
            try {
                table.forEach(visitor);
            } finally {
                table.lock.readLock().unlock();
            }
        }

        @Override
        public void readPrefix(RouteKey prefix, RouteVisitor visitor) {
            table.lock.readLock().lock();
            try {
                table.forEachOfPrefix(prefix, visitor);
            } finally {
                table.lock.readLock().unlock();
            }
        }

        @Override
        public PathAttributes lookup(RouteKey key) {
            table.lock.readLock().lock();
            try {
                return table.get(key);
            } finally {
                table.lock.readLock().unlock();
            }
        }
    }

    /** Current routes that match the query: one page of them and how many matched in all. */
    public RouteQueryResult query(RouteQuery q) {
        List<RibRoute> page = new ArrayList<>(Math.min(q.limit(), 1024));
        long[] matched = {0};
        forEachTable((router, peer, view, family, table) -> {
            if (!q.selectsTable(router, peer, view, family)) {
                return;
            }
            RouteVisitor collect = (key, attributes, since) -> {
                if (!q.selects(key, attributes)) {
                    return;
                }
                long n = matched[0]++;
                if (n >= q.offset() && page.size() < q.limit()) {
                    page.add(new RibRoute(router, peer, view, family, key, attributes,
                            Instant.ofEpochSecond(Integer.toUnsignedLong(since))));
                }
            };
            // An exact prefix is looked up rather than searched for among every route of the table.
            if (q.prefix() != null && q.match() == RouteQuery.PrefixMatch.EXACT) {
                table.readPrefix(q.prefix(), collect);
            } else {
                table.read(collect);
            }
        });
        return new RouteQueryResult(page, matched[0]);
    }

    /** What {@link #revalidate} did: routes it re-validated and routes whose state changed. */
    public record Revalidation(long examined, long changed) {
    }

    /**
     * Makes {@code next} the validator for every route stored from now on, then re-validates
     * the stored unicast routes {@code footprint} touches, table by table under each table's
     * write lock; {@code changes} hears of every route whose state changed, after that table's
     * lock is released.
     */
    public Revalidation revalidate(OriginValidator next, OriginValidator.Footprint footprint,
                                   OriginValidator.ChangeListener changes) {
        validator = next;
        long[] totals = new long[2];
        routers.forEach((router, r) -> r.peers.forEach((peer, p) -> p.tables.forEach((id, t) -> {
            if (!(t instanceof PrefixTable table)) {
                return;
            }
            List<PrefixTable.OriginChange> changed = new ArrayList<>();
            table.lock.writeLock().lock();
            try {
                totals[0] += table.revalidate(next, footprint, changed);
            } finally {
                table.lock.writeLock().unlock();
            }
            totals[1] += changed.size();
            for (PrefixTable.OriginChange c : changed) {
                changes.changed(router, peer, id.view(), id.family(), c.key(), c.from(), c.to());
            }
        })));
        return new Revalidation(totals[0], totals[1]);
    }

    /** Receives one table's routes counted by origin state; see {@link #forEachOriginCount}. */
    @FunctionalInterface
    public interface OriginCountVisitor {
        /** {@code counts} is indexed by {@link RouteOriginState#ordinal()}. */
        void visit(RouterId router, PeerKey peer, RibView view, Family family, long[] counts);
    }

    /** Every unicast table's routes by origin state, from the tables' own counts (no pass over routes). */
    public void forEachOriginCount(OriginCountVisitor visitor) {
        routers.forEach((router, r) -> r.peers.forEach((peer, p) -> p.tables.forEach((id, t) -> {
            if (t instanceof PrefixTable table) {
                long[] counts;
                table.lock.readLock().lock();
                try {
                    counts = table.stateCounts();
                } finally {
                    table.lock.readLock().unlock();
                }
                visitor.visit(router, peer, id.view(), id.family(), counts);
            }
        })));
    }

    /** The stored origin state of one unicast route, or null when the RIB does not hold it. */
    public RouteOriginState originState(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key) {
        if (!(table(router, peer, view, family) instanceof PrefixTable table)) {
            return null;
        }
        table.lock.readLock().lock();
        try {
            return table.state(key);
        } finally {
            table.lock.readLock().unlock();
        }
    }

    /** Route counts by family group (ipv4, ipv6, evpn, other) and view, for metrics. */
    public Map<String, Map<RibView, Long>> routeCountsByFamilyAndView() {
        Map<String, Map<RibView, Long>> counts = new TreeMap<>();
        forEachTable((router, peer, view, family, table) -> counts
                .computeIfAbsent(family.group(), g -> new EnumMap<>(RibView.class))
                .merge(view, (long) table.size(), Long::sum));
        return counts;
    }

    /** Routes currently in the RIB, over every router, peer, view and family. */
    public long routeCount() {
        long[] n = {0};
        forEachTable((router, peer, view, family, table) -> n[0] += table.size());
        return n[0];
    }

    /** Distinct attribute sets the RIB's routes share. */
    public int attributeSetCount() {
        return attributePool.size();
    }

    /** Bytes held by the RIB's tables, excluding the shared attribute sets. */
    public long tableFootprintBytes() {
        long[] n = {0};
        routers.forEach((router, r) -> r.peers.forEach((peer, p) -> p.tables.forEach((id, t) ->
                n[0] += t.footprintBytes())));
        return n[0];
    }
}
