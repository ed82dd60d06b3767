package net.rampart.rpki;

/** RFC 6811 route origin validation states. */
public enum RouteOriginState {
    VALID("valid"),
    INVALID("invalid"),
    NOT_FOUND("not-found");

    private final String label;

    RouteOriginState(String label) {
        this.label = label;
    }

    /** The name used in APIs and metrics, as Routinator spells it. */
    public String label() {
        return label;
    }
}
