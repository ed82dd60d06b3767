package net.rampart.kafka;

import java.time.Instant;
import java.util.List;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;

/**
 * Keeps what a consumer re-reads from the topic out of the database: while the consumer thread
 * is {@linkplain #quiet quiet} (rebuilding a router's RIB from frames whose history is already
 * stored, or letting go of routers another member takes over), the route and session events it
 * causes reach the RIB and everything in memory, but not the store they wrap. The RIB and the
 * inventory call listeners on the thread that applied the change, so events of other threads
 * (an MRT import) are never held back.
 */
public final class ReplayFilter {

    private volatile Thread quiet;

    /** Whether events the calling thread causes from now on are kept out of the store. */
    void quiet(boolean on) {
        quiet = on ? Thread.currentThread() : null;
    }

    private boolean passes() {
        return Thread.currentThread() != quiet;
    }

    /** Route history behind the filter. */
    public RouteEventListener routeEvents(RouteEventListener store) {
        return new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> events) {
                if (passes()) {
                    store.onRouteEvents(events);
                }
            }

            @Override
            public void onEndOfRib(RouterId router, PeerKey peer, RibView view, Family family, long timeMillis) {
                if (passes()) {
                    store.onEndOfRib(router, peer, view, family, timeMillis);
                }
            }
        };
    }

    /** The inventory's store behind the filter. */
    public SessionEvents sessionEvents(SessionEvents store) {
        return new SessionEvents() {
            @Override
            public void routerChanged(RouterRecord router) {
                if (passes()) {
                    store.routerChanged(router);
                }
            }

            @Override
            public void peerChanged(PeerKey key, PeerRecord peer) {
                if (passes()) {
                    store.peerChanged(key, peer);
                }
            }

            @Override
            public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                                    NotificationMessage notification) {
                if (passes()) {
                    store.peerSession(key, peer, time, up, reason, notification);
                }
            }

            @Override
            public void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics) {
                if (passes()) {
                    store.statistics(router, key, time, statistics);
                }
            }
        };
    }
}
