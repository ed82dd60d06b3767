package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.MonitoredPrefix;

/**
 * Who originates the route: nobody should (squatting, ARTEMIS Q|0), an AS_SET (no single origin
 * to trust), or an AS the prefix does not list (E|0 for the exact prefix, S|0 for a
 * more-specific). A route its peer originates itself (empty path) has no origin to judge.
 */
final class OriginCheck implements RouteCheck {

    @Override
    public void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        if (route.asPath().length == 0) {
            return;
        }
        long origin = route.origin();
        boolean exact = RouteCheck.exact(route, monitored);
        if (monitored.origins().isEmpty()) {
            if (monitored.checks(AlertType.SQUATTING)) {
                found.add(new Finding(AlertType.SQUATTING,
                        Finding.key(AlertType.SQUATTING, route.prefix(), "AS" + origin), route.prefix(),
                        monitored.prefix(), origin, new Taxonomy('Q', '0', '-'), monitored.group(),
                        "AS" + origin + " announces " + route.prefix() + ", which nobody should announce"
                                + (exact ? "" : " (inside " + monitored.prefix() + ")")));
            }
        } else if (route.originIsAsSet()) {
            if (monitored.checks(AlertType.AS_SET_ORIGIN)) {
                found.add(new Finding(AlertType.AS_SET_ORIGIN,
                        Finding.key(AlertType.AS_SET_ORIGIN, route.prefix(), ""), route.prefix(),
                        monitored.prefix(), origin, Taxonomy.of(exact, '0'), monitored.group(),
                        route.prefix() + " is originated by an AS_SET (path " + route.pathText()
                                + "), so no single origin can be checked against " + monitored.origins()));
            }
        } else if (!monitored.origins().contains(origin) && monitored.checks(AlertType.ORIGIN_HIJACK)) {
            found.add(new Finding(AlertType.ORIGIN_HIJACK,
                    Finding.key(AlertType.ORIGIN_HIJACK, route.prefix(), "AS" + origin), route.prefix(),
                    monitored.prefix(), origin, Taxonomy.of(exact, '0'), monitored.group(),
                    "AS" + origin + " originates " + route.prefix() + "; " + monitored.prefix()
                            + " may be originated only by " + monitored.origins()));
        }
    }
}
