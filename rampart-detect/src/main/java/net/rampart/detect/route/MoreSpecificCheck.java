package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.MonitoredPrefix;

/**
 * A more-specific of a monitored prefix from one of its own origins (BGPalerter's newprefix):
 * often a deaggregation nobody told the monitors about, sometimes a hijack that forges the
 * origin (ARTEMIS S|-). A prefix that sets {@code ignore_more_specifics} never gets here.
 */
final class MoreSpecificCheck implements RouteCheck {

    @Override
    public void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        if (!monitored.checks(AlertType.NEW_MORE_SPECIFIC) || RouteCheck.exact(route, monitored)
                || !RouteCheck.fromListedOrigin(route, monitored)) {
            return;
        }
        long origin = route.origin();
        found.add(new Finding(AlertType.NEW_MORE_SPECIFIC,
                Finding.key(AlertType.NEW_MORE_SPECIFIC, route.prefix(), "AS" + origin), route.prefix(),
                monitored.prefix(), origin, new Taxonomy('S', '-', '-'), monitored.group(),
                "AS" + origin + " announces " + route.prefix() + ", a more-specific of " + monitored.prefix()
                        + " not in the monitors"));
    }
}
