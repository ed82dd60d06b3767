package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredPrefix;

/** One check of an announced route against the monitored prefix that covers it most specifically. */
interface RouteCheck {

    /** Adds to {@code found} what is wrong with {@code route}; adds and allocates nothing when all is well. */
    void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found);

    /** The route's origin is a single ASN among those the prefix lists. */
    static boolean fromListedOrigin(RouteObservation route, MonitoredPrefix monitored) {
        return route.asPath().length > 0 && !route.originIsAsSet() && monitored.origins().contains(route.origin());
    }

    /**
     * Where the origin's neighbour stands in {@code path} (flattened, origin last): the first AS
     * before the origin and its prepends; negative when the path is the origin alone (the vantage point
     * peers with the origin itself) or empty.
     */
    static int originNeighbour(long[] path) {
        int i = path.length - 1;
        while (i > 0 && path[i - 1] == path[path.length - 1]) {
            i--;
        }
        return i - 1;
    }

    static boolean exact(RouteObservation route, MonitoredPrefix monitored) {
        return route.prefix().equals(monitored.prefix());
    }
}
