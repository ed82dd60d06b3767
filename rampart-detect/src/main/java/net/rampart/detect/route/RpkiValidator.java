package net.rampart.detect.route;

import net.rampart.wire.ip.IpPrefix;

/**
 * Origin validation as the detector needs it, owned here so that this module never imports the
 * VRP store: the server adapts the VRPs in force to it. Answers from the VRPs current at the
 * call, so a route judged later is judged against the VRPs of that time.
 */
@FunctionalInterface
public interface RpkiValidator {

    /** No VRPs at all: nothing is validated, and no RPKI alert is raised. */
    RpkiValidator NONE = (prefix, origin) -> OriginValidity.UNKNOWN;

    /**
     * @param origin the route's origin ASN, or -1 when its path has none (empty, or ending in an
     *               AS_SET, which RFC 6811 never matches)
     */
    OriginValidity validity(IpPrefix prefix, long origin);

    /**
     * The state of an announcement with {@code asPath} (flattened, origin last): unknown for an
     * empty path, which its peer originates and so has no origin in it to validate.
     */
    default OriginValidity validity(IpPrefix prefix, long[] asPath, boolean originIsAsSet) {
        return asPath.length == 0 ? OriginValidity.UNKNOWN
                : validity(prefix, originIsAsSet ? -1 : asPath[asPath.length - 1]);
    }

    /**
     * The origins the VRPs authorise for {@code prefix} itself: the ASes of the VRPs covering
     * it whose maximum length reaches its length, sorted, without repeats; null when there are
     * no VRPs at all to tell.
     */
    default long[] authorisedOrigins(IpPrefix prefix) {
        return null;
    }

    /**
     * When {@code origin} stops being authorised for {@code prefix} itself if nothing changes:
     * the latest expiry, in epoch seconds, of the VRPs that authorise it (covering it, with a
     * maximum length that reaches its length, and that AS); 0 when that end is not known
     * (one of them has no known expiry, as every VRP from a source that gives none) or when
     * no VRP authorises it.
     */
    default long coverageEnd(IpPrefix prefix, long origin) {
        return 0;
    }
}
