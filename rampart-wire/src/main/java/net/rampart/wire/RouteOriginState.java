package net.rampart.wire;

/**
 * A route's RFC 6811 origin validation state: what the VRPs say about a prefix and the AS
 * that originates it.
 *
 * <p>The order of the constants is part of the RIB's storage: it keeps each route's state as
 * this ordinal in one byte, and a new byte array is all zeros, so {@link #NOT_FOUND} (what a
 * route is before any VRP covers it) must stay first. Nothing that is written out depends on
 * the order.
 */
public enum RouteOriginState {
    NOT_FOUND("not-found"),
    VALID("valid"),
    INVALID("invalid");

    private final String label;

    RouteOriginState(String label) {
        this.label = label;
    }

    /** The name used in APIs and metrics, as Routinator spells it. */
    public String label() {
        return label;
    }
}
