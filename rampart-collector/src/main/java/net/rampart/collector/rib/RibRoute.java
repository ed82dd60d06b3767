package net.rampart.collector.rib;

import java.time.Instant;

/** One current route as a query returns it. */
public record RibRoute(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key,
                       PathAttributes attributes, Instant lastChange) {
}
