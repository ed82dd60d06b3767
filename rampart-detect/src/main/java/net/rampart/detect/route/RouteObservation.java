package net.rampart.detect.route;

import java.util.Objects;
import net.rampart.wire.ip.IpPrefix;

/**
 * The detector's one input: a route of one vantage point announced or withdrawn. Each
 * observation replaces what that vantage point said before about the prefix.
 *
 * <p>The AS path and communities arrays are taken as they are, not copied, to keep the
 * collector's path free of copies: the caller must not change them afterwards. Two observations
 * are equal only when they share the arrays.
 *
 * @param vantagePoint  an opaque id ({@link VantagePoint#id()})
 * @param asPath        the AS path flattened to ASNs, origin last; empty for a route the peer
 *                      originates itself, ignored for a withdrawal
 * @param originIsAsSet the path ends in an AS_SET, so its last ASN is not the origin
 * @param communities   the standard communities (RFC 1997), each {@code asn << 16 | value}, in
 *                      received order; empty for none and for a withdrawal
 * @param validity      the route's RPKI origin validation state against the VRPs in force when it
 *                      was converted; {@link OriginValidity#UNKNOWN} when nobody validated it
 *                      (and for a withdrawal)
 */
public record RouteObservation(long timeMillis, String vantagePoint, IpPrefix prefix, long[] asPath,
                               boolean originIsAsSet, boolean withdrawn, int[] communities,
                               OriginValidity validity) {

    /** The well-known community NO_EXPORT (RFC 1997): not to be passed beyond the AS that received it. */
    public static final int NO_EXPORT = 0xFFFFFF01;
    /** The well-known community NO_ADVERTISE (RFC 1997): not to be passed to any other BGP peer. */
    public static final int NO_ADVERTISE = 0xFFFFFF02;

    private static final long[] NO_PATH = new long[0];
    private static final int[] NO_COMMUNITIES = new int[0];

    public RouteObservation {
        Objects.requireNonNull(vantagePoint, "vantagePoint");
        Objects.requireNonNull(prefix, "prefix");
        if (asPath == null) {
            asPath = NO_PATH;
        }
        if (communities == null) {
            communities = NO_COMMUNITIES;
        }
        if (validity == null) {
            validity = OriginValidity.UNKNOWN;
        }
    }

    /** A route without communities that nobody validated against VRPs. */
    public RouteObservation(long timeMillis, String vantagePoint, IpPrefix prefix, long[] asPath,
                            boolean originIsAsSet, boolean withdrawn) {
        this(timeMillis, vantagePoint, prefix, asPath, originIsAsSet, withdrawn, NO_COMMUNITIES,
                OriginValidity.UNKNOWN);
    }

    public static RouteObservation announce(long timeMillis, String vantagePoint, IpPrefix prefix, long... asPath) {
        return new RouteObservation(timeMillis, vantagePoint, prefix, asPath, false, false);
    }

    public static RouteObservation withdraw(long timeMillis, String vantagePoint, IpPrefix prefix) {
        return new RouteObservation(timeMillis, vantagePoint, prefix, NO_PATH, false, true, NO_COMMUNITIES,
                OriginValidity.UNKNOWN);
    }

    /** Whether the route carries {@code community}. */
    public boolean carries(int community) {
        for (int c : communities) {
            if (c == community) {
                return true;
            }
        }
        return false;
    }

    /** The same route, judged against other VRPs. */
    public RouteObservation withValidity(OriginValidity next) {
        return new RouteObservation(timeMillis, vantagePoint, prefix, asPath, originIsAsSet, withdrawn, communities,
                next);
    }

    /** The last ASN of the path, or -1 when the path is empty. */
    public long origin() {
        return asPath.length == 0 ? -1 : asPath[asPath.length - 1];
    }

    /** The path as path rules and evidence read it: decimal ASNs separated by one space, origin last. */
    public String pathText() {
        StringBuilder text = new StringBuilder(asPath.length * 6);
        for (int i = 0; i < asPath.length; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(asPath[i]);
        }
        return text.toString();
    }
}
