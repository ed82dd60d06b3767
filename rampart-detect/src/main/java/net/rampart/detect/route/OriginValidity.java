package net.rampart.detect.route;

/**
 * A route's RFC 6811 origin validation state as the detector judges it, with the reason an
 * invalid route fails, which the alert names: a route whose origin no covering VRP lists is
 * most likely a hijack, one whose origin is listed but whose length exceeds every such VRP's
 * maximum length is a forged-origin more-specific or a ROA that was not updated.
 */
public enum OriginValidity {
    /** Not validated: nobody gave the detector VRPs, or none are loaded yet. No RPKI check runs. */
    UNKNOWN,
    /** A covering VRP lists the origin with a maximum length the route respects. */
    VALID,
    /** No VRP covers the prefix. */
    NOT_FOUND,
    /** Covering VRPs exist, and none lists the route's origin (or the path has no single origin). */
    INVALID_ORIGIN,
    /** A covering VRP lists the origin, but the route is longer than the maximum length of every such VRP. */
    INVALID_LENGTH;

    public boolean invalid() {
        return this == INVALID_ORIGIN || this == INVALID_LENGTH;
    }
}
