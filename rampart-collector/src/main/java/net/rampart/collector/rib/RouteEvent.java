package net.rampart.collector.rib;

/**
 * One change the RIB applied: an announcement ({@code attributes} set) or a withdrawal
 * ({@code attributes} null), in the order the RIB applied them for that router.
 *
 * @param source the router's session, peer, view and family the change is of; shared by the
 *               events of one table and session, which is why it is an object of its own
 */
public record RouteEvent(long timeMillis, RouteSource source, RouteKey key, PathAttributes attributes) {

    /** An event with a source of its own; the RIB gives the events of a table one shared source. */
    public RouteEvent(long timeMillis, RouterId router, long session, PeerKey peer, RibView view, Family family,
                      RouteKey key, PathAttributes attributes) {
        this(timeMillis, new RouteSource(router, session, peer, view, family), key, attributes);
    }

    public RouterId router() {
        return source.router();
    }

    /** The id of the session that delivered the change, or whose end withdrew the route; 0 for a source without sessions. */
    public long session() {
        return source.session();
    }

    public PeerKey peer() {
        return source.peer();
    }

    public RibView view() {
        return source.view();
    }

    public Family family() {
        return source.family();
    }

    public boolean withdrawn() {
        return attributes == null;
    }
}
