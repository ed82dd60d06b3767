package net.rampart.detect.route;

import java.util.Objects;
import net.rampart.wire.ip.IpPrefix;

/**
 * The detector's one input: a route of one vantage point announced or withdrawn. Each
 * observation replaces what that vantage point said before about the prefix.
 *
 * <p>The AS path array is taken as it is, not copied, to keep the collector's path free of
 * copies: the caller must not change it afterwards. Two observations are equal only when they
 * share the array.
 *
 * @param vantagePoint  an opaque id ({@link VantagePoint#id()})
 * @param asPath        the AS path flattened to ASNs, origin last; empty for a route the peer
 *                      originates itself, ignored for a withdrawal
 * @param originIsAsSet the path ends in an AS_SET, so its last ASN is not the origin
 * @param validity      the route's RPKI origin validation state against the VRPs in force when it
 *                      was converted; {@link OriginValidity#UNKNOWN} when nobody validated it
 *                      (and for a withdrawal)
 */
public record RouteObservation(long timeMillis, String vantagePoint, IpPrefix prefix, long[] asPath,
                               boolean originIsAsSet, boolean withdrawn, OriginValidity validity) {

    private static final long[] NO_PATH = new long[0];

    public RouteObservation {
        Objects.requireNonNull(vantagePoint, "vantagePoint");
        Objects.requireNonNull(prefix, "prefix");
        if (asPath == null) {
            asPath = NO_PATH;
        }
        if (validity == null) {
            validity = OriginValidity.UNKNOWN;
        }
    }

    /** A route nobody validated against VRPs. */
    public RouteObservation(long timeMillis, String vantagePoint, IpPrefix prefix, long[] asPath,
                            boolean originIsAsSet, boolean withdrawn) {
        this(timeMillis, vantagePoint, prefix, asPath, originIsAsSet, withdrawn, OriginValidity.UNKNOWN);
    }

    public static RouteObservation announce(long timeMillis, String vantagePoint, IpPrefix prefix, long... asPath) {
        return new RouteObservation(timeMillis, vantagePoint, prefix, asPath, false, false);
    }

    public static RouteObservation withdraw(long timeMillis, String vantagePoint, IpPrefix prefix) {
        return new RouteObservation(timeMillis, vantagePoint, prefix, NO_PATH, false, true);
    }

    /** The same route, judged against other VRPs. */
    public RouteObservation withValidity(OriginValidity next) {
        return new RouteObservation(timeMillis, vantagePoint, prefix, asPath, originIsAsSet, withdrawn, next);
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
