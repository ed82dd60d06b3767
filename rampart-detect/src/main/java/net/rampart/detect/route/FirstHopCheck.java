package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.MonitoredAsn;
import net.rampart.detect.monitor.MonitoredPrefix;

/**
 * A listed origin reached through a neighbour it does not declare as an upstream: someone
 * forging the origin to pass origin checks (ARTEMIS E|1, S|1). Only for origins whose upstreams
 * the monitors file declares; the neighbour is the first AS before the origin's prepends.
 */
final class FirstHopCheck implements RouteCheck {

    private final MonitoredAsns asns;

    FirstHopCheck(MonitoredAsns asns) {
        this.asns = asns;
    }

    @Override
    public void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        if (!monitored.checks(AlertType.FIRST_HOP_HIJACK) || !RouteCheck.fromListedOrigin(route, monitored)) {
            return;
        }
        long origin = route.origin();
        MonitoredAsn declared = asns.find(origin);
        if (declared == null || declared.upstreams().isEmpty()) {
            return;
        }
        int at = RouteCheck.originNeighbour(route.asPath());
        if (at < 0) {
            // The vantage point peers with the origin itself: there is no first hop to check.
            return;
        }
        long neighbour = route.asPath()[at];
        if (declared.upstreams().contains(neighbour)) {
            return;
        }
        found.add(new Finding(AlertType.FIRST_HOP_HIJACK,
                Finding.key(AlertType.FIRST_HOP_HIJACK, route.prefix(), "AS" + origin + "|AS" + neighbour),
                route.prefix(), monitored.prefix(), neighbour, Taxonomy.of(RouteCheck.exact(route, monitored), '1'),
                monitored.group(), "AS" + origin + " is reached through AS" + neighbour + " for " + route.prefix()
                        + ", not one of its upstreams " + declared.upstreams()));
    }
}
