package net.rampart.learn.churn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;

/**
 * Counts route events into per-minute update-rate series per router, per peer and per prefix
 * group, with duplicate announcements apart.
 *
 * <p>The RIB reports every announcement it applies, also one that carries exactly the
 * attributes the route already has (a duplicate: most large churn spikes are made of them). A
 * {@link RouteEvent} does not say which, so this counter keeps, per route (router, peer, view,
 * family, key), the attributes of its last announcement, and an announcement whose attributes
 * equal them is a duplicate (the RIB interns attributes, so the test is mostly one reference
 * compare). A withdrawal is always effective: the RIB reports only withdrawals of routes it held.
 * Limits: this keeps one map entry per route the RIB holds; and a route the RIB already held
 * before this counter saw it (restored from the store, or present when the counter was
 * attached) has its first announcement counted as effective.
 *
 * <p>One lock per batch of events; no allocation per event beyond the map entry of a route's
 * first announcement. Per-scope series are created on first use.
 */
public final class ChurnCounter implements RouteEventListener {
    private final int capacityMinutes;
    private final PrefixGroups groups;

    private final Map<RouterId, RouterState> routers = new HashMap<>();
    private final Map<String, UpdateRateSeries> groupSeries = new HashMap<>();
    private final Map<TableId, Map<RouteKey, PathAttributes>> routes = new HashMap<>();

    /** The table of the previous event: a RIB batch is all one router, peer, view and family. */
    private RouterId lastRouter;
    private PeerKey lastPeer;
    private RibView lastView;
    private Family lastFamily;
    private Map<RouteKey, PathAttributes> lastRoutes;
    private UpdateRateSeries lastRouterSeries;
    private UpdateRateSeries lastPeerSeries;

    private record TableId(RouterId router, PeerKey peer, RibView view, Family family) {
    }

    private final class RouterState {
        final UpdateRateSeries series = new UpdateRateSeries(capacityMinutes);
        final Map<PeerKey, UpdateRateSeries> peers = new HashMap<>();
    }

    /**
     * @param capacityMinutes how many minutes each scope's series holds (two ints per minute)
     */
    public ChurnCounter(int capacityMinutes, PrefixGroups groups) {
        if (capacityMinutes < 1) {
            throw new IllegalArgumentException("capacity must be at least one minute: " + capacityMinutes);
        }
        this.capacityMinutes = capacityMinutes;
        this.groups = groups;
    }

    @Override
    public void onRouteEvents(List<RouteEvent> events) {
        synchronized (this) {
            for (int i = 0, n = events.size(); i < n; i++) {
                record(events.get(i));
            }
        }
    }

    private void record(RouteEvent e) {
        selectTable(e);
        RouteKey key = e.key();
        PathAttributes attributes = e.attributes();
        boolean duplicate;
        if (attributes == null) {
            lastRoutes.remove(key);
            duplicate = false;
        } else {
            PathAttributes previous = lastRoutes.put(key, attributes);
            duplicate = previous == attributes || (previous != null && previous.equals(attributes));
        }
        long time = e.timeMillis();
        lastRouterSeries.record(time, duplicate);
        lastPeerSeries.record(time, duplicate);
        String group = groups.groupOf(key);
        if (group != null) {
            UpdateRateSeries series = groupSeries.get(group); // no capturing lambda per event
            if (series == null) {
                series = new UpdateRateSeries(capacityMinutes);
                groupSeries.put(group, series);
            }
            series.record(time, duplicate);
        }
    }

    private void selectTable(RouteEvent e) {
        if (e.router() == lastRouter && e.peer() == lastPeer && e.view() == lastView && e.family() == lastFamily) {
            return;
        }
        RouterState router = routers.computeIfAbsent(e.router(), r -> new RouterState());
        lastRouterSeries = router.series;
        lastPeerSeries = router.peers.computeIfAbsent(e.peer(), p -> new UpdateRateSeries(capacityMinutes));
        lastRoutes = routes.computeIfAbsent(new TableId(e.router(), e.peer(), e.view(), e.family()),
                t -> new HashMap<>());
        lastRouter = e.router();
        lastPeer = e.peer();
        lastView = e.view();
        lastFamily = e.family();
    }

    /** The series of {@code scope}, or null when no event has counted toward it; read it under {@link #read}. */
    private UpdateRateSeries seriesOf(ChurnScope scope) {
        return switch (scope.kind()) {
            case PREFIX_GROUP -> groupSeries.get(scope.name());
            case ROUTER -> {
                RouterState r = routers.get(new RouterId(scope.name()));
                yield r == null ? null : r.series;
            }
            case PEER -> {
                for (Map.Entry<RouterId, RouterState> r : routers.entrySet()) {
                    for (Map.Entry<PeerKey, UpdateRateSeries> p : r.getValue().peers.entrySet()) {
                        if (ChurnScope.peer(r.getKey().name(), p.getKey().toString()).equals(scope)) {
                            yield p.getValue();
                        }
                    }
                }
                yield null;
            }
        };
    }

    /**
     * Effective updates per minute of {@code scope} over {@code count} minutes from {@code fromMinute}
     * (epoch minutes), zeros where nothing was counted; null for a scope never seen.
     */
    public synchronized double[] updates(ChurnScope scope, long fromMinute, int count) {
        UpdateRateSeries s = seriesOf(scope);
        return s == null ? null : s.updates(fromMinute, count);
    }

    /** Duplicate announcements of {@code scope} in {@code minute} (epoch minutes). */
    public synchronized int duplicates(ChurnScope scope, long minute) {
        UpdateRateSeries s = seriesOf(scope);
        return s == null ? 0 : s.duplicates(minute);
    }

    /** Effective updates of {@code scope} in {@code minute} (epoch minutes). */
    public synchronized int updates(ChurnScope scope, long minute) {
        UpdateRateSeries s = seriesOf(scope);
        return s == null ? 0 : s.updates(minute);
    }

    /** Every scope with its series, under this counter's lock; the consumer must not keep the series. */
    public synchronized void read(BiConsumer<ChurnScope, UpdateRateSeries> consumer) {
        routers.forEach((router, state) -> {
            consumer.accept(ChurnScope.router(router.name()), state.series);
            state.peers.forEach((peer, s) -> consumer.accept(ChurnScope.peer(router.name(), peer.toString()), s));
        });
        groupSeries.forEach((group, s) -> consumer.accept(ChurnScope.prefixGroup(group), s));
    }
}
