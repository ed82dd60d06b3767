package net.rampart.collector.rib;

/**
 * One change the RIB applied: an announcement ({@code attributes} set) or a withdrawal
 * ({@code attributes} null), in the order the RIB applied them for that router.
 *
 * @param session the id of the session that delivered the change, or whose end withdrew the
 *                route; 0 for a source without sessions (see {@link Session})
 */
public record RouteEvent(long timeMillis, RouterId router, long session, PeerKey peer, RibView view, Family family,
                         RouteKey key, PathAttributes attributes) {
    public boolean withdrawn() {
        return attributes == null;
    }
}
