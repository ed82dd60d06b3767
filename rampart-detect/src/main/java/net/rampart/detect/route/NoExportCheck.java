package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredPrefix;

/**
 * A route of a monitored prefix from a listed origin that carries NO_EXPORT or NO_ADVERTISE
 * (RFC 1997) and yet went beyond the origin's neighbour: in {@code ... Z N O} (O the origin, N its
 * neighbour, prepends one hop), N should have kept it, and passed it to Z. The community is read
 * as the origin's: the operator tags its own prefix toward a neighbour, e.g. a more-specific for
 * traffic engineering that must stay with that neighbour.
 *
 * <p>A path of the origin and one neighbour only proves nothing: the neighbour may be the vantage
 * point's own peer, which is allowed to send it to us. A community that another AS adds on the
 * way, or the router's import policy adds (seen in post-policy views), reads as a leak too: that
 * is why the check can be excluded per prefix.
 */
final class NoExportCheck implements RouteCheck {

    @Override
    public void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        if (!monitored.checks(AlertType.NO_EXPORT_LEAK) || !RouteCheck.fromListedOrigin(route, monitored)) {
            return;
        }
        boolean noAdvertise = route.carries(RouteObservation.NO_ADVERTISE);
        if (!noAdvertise && !route.carries(RouteObservation.NO_EXPORT)) {
            return;
        }
        long[] path = route.asPath();
        long origin = route.origin();
        int i = RouteCheck.originNeighbour(path);
        if (i < 0) {
            return;
        }
        long neighbour = path[i];
        while (i >= 0 && path[i] == neighbour) {
            i--;
        }
        if (i < 0) {
            return;
        }
        String community = noAdvertise ? "NO_ADVERTISE" : "NO_EXPORT";
        found.add(new Finding(AlertType.NO_EXPORT_LEAK,
                Finding.key(AlertType.NO_EXPORT_LEAK, route.prefix(), "AS" + neighbour), route.prefix(),
                monitored.prefix(), neighbour, null, monitored.group(),
                "AS" + neighbour + " passes " + route.prefix() + " of AS" + origin + ", tagged " + community
                        + ", on to AS" + path[i]));
    }
}
