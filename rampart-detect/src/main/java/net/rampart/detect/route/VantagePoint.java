package net.rampart.detect.route;

/**
 * Where a route was seen: one RIB view (pre-policy, post-policy, Loc-RIB...) of one BGP peer of
 * one monitored router. Visibility counts distinct vantage points. The detector only compares
 * {@link #id()}s; an adapter builds each one's id once and reuses it.
 */
public record VantagePoint(String router, String peer, String view) {

    /** The opaque id the detector compares: {@code router/peer/view}. */
    public String id() {
        return router + "/" + peer + "/" + view;
    }
}
