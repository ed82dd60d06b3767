package net.rampart.detect.route;

/**
 * Where a route was seen: one BGP peer of one monitored router. Visibility counts distinct
 * vantage points. The detector only compares {@link #id()}s; an adapter builds each peer's id
 * once and reuses it.
 */
public record VantagePoint(String router, String peer) {

    /** The opaque id the detector compares: {@code router/peer}. */
    public String id() {
        return router + "/" + peer;
    }
}
