package net.rampart.collector.rib;

import java.util.List;

/**
 * Receives what the RIB did, on the thread that changed it, after the table lock is released
 * (the withdrawals of a departed peer arrive while its detached table, which no writer can
 * reach any more, is being read). Implementations must return quickly: they are on the path
 * that reads from routers. One may wait only to push back on the routers when it cannot keep
 * up (route history, when its spool thread is behind), and never for a lock the RIB holds.
 */
public interface RouteEventListener {
    RouteEventListener NONE = new RouteEventListener() {
        @Override
        public void onRouteEvents(List<RouteEvent> events) {
        }
    };

    /** A listener that hands everything to each of {@code listeners} in turn (store, detectors, ...). */
    static RouteEventListener all(List<RouteEventListener> listeners) {
        List<RouteEventListener> copy = List.copyOf(listeners);
        return new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> events) {
                for (RouteEventListener l : copy) {
                    l.onRouteEvents(events);
                }
            }

            @Override
            public void onEndOfRib(RouterId router, PeerKey peer, RibView view, Family family, long timeMillis) {
                for (RouteEventListener l : copy) {
                    l.onEndOfRib(router, peer, view, family, timeMillis);
                }
            }
        };
    }

    /** Route changes in application order; the list is not reused by the RIB and must not be modified. */
    void onRouteEvents(List<RouteEvent> events);

    /** A peer finished sending its initial table for a view and family. */
    default void onEndOfRib(RouterId router, PeerKey peer, RibView view, Family family, long timeMillis) {
    }
}
