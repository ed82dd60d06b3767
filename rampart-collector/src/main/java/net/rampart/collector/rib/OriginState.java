package net.rampart.collector.rib;

/** A unicast route's RFC 6811 origin validation state, as the RIB keeps it per route. */
public enum OriginState {
    NOT_FOUND,
    VALID,
    INVALID;

    private static final OriginState[] BY_ORDINAL = values();

    static OriginState of(byte ordinal) {
        return BY_ORDINAL[ordinal];
    }
}
