package net.rampart.collector.rib;

/**
 * One change the RIB applied: an announcement ({@code attributes} set) or a withdrawal
 * ({@code attributes} null), in the order the RIB applied them for that router.
 */
public record RouteEvent(long timeMillis, RouterId router, PeerKey peer, RibView view, Family family, RouteKey key,
                         PathAttributes attributes) {
    public boolean withdrawn() {
        return attributes == null;
    }
}
