package net.rampart.collector.rib;

import java.util.List;

/**
 * Receives what the RIB did, on the thread that changed it, after the table lock is released.
 * Implementations must return quickly and must not block: they are on the path that reads
 * from routers.
 */
public interface RouteEventListener {
    RouteEventListener NONE = new RouteEventListener() {
        @Override
        public void onRouteEvents(List<RouteEvent> events) {
        }
    };

    /** Route changes in application order; the list is not reused by the RIB. */
    void onRouteEvents(List<RouteEvent> events);

    /** A peer finished sending its initial table for a view and family. */
    default void onEndOfRib(RouterId router, PeerKey peer, RibView view, Family family, long timeMillis) {
    }
}
