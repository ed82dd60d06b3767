package net.rampart.collector.rib;

/**
 * Where route events come from: one session of a router, the peer whose routes they are, the
 * RIB view and the address family; one table of the RIB as one session fills it. The events of
 * a table share one instance while the session stays the same, so that an event itself is only
 * a time, a route and its attributes.
 *
 * @param session the id of the session that delivered the change, or whose end withdrew the
 *                route; 0 for a source without sessions (see {@link Session})
 */
public record RouteSource(RouterId router, long session, PeerKey peer, RibView view, Family family) {
}
