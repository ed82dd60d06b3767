package net.rampart.detect.route;

import java.util.HashMap;
import java.util.Map;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.wire.ip.IpPrefix;

/**
 * How many distinct vantage points carry each monitored prefix, and each more-specific of one,
 * from a listed origin. A prefix that has reached its threshold and falls below it is a
 * visibility loss, reported with each further loss as evidence, whatever the number of vantage
 * points that lost it, and resolved when enough carry it again. A prefix that never reached the
 * threshold has lost nothing.
 */
final class Visibility {

    private static final class Tally {
        int carriers;
        boolean reached;
    }

    private final Alerts alerts;
    private final Map<IpPrefix, Tally> tallies = new HashMap<>();

    Visibility(Alerts alerts) {
        this.alerts = alerts;
    }

    /** One vantage point's route for {@code prefix} changed from carrying it or not to carrying it or not. */
    void change(RouteObservation route, MonitoredPrefix monitored, int threshold, boolean carriedBefore,
                boolean carriedNow) {
        if (carriedBefore == carriedNow) {
            return;
        }
        IpPrefix prefix = route.prefix();
        Tally tally = tallies.computeIfAbsent(prefix, p -> new Tally());
        tally.carriers += carriedNow ? 1 : -1;
        String key = Finding.key(AlertType.VISIBILITY_LOSS, prefix, "");
        if (tally.carriers >= threshold) {
            tally.reached = true;
            if (carriedNow) {
                alerts.resolve(key, route.timeMillis(), "restored: " + tally.carriers + " vantage points carry "
                        + prefix + " again (threshold " + threshold + "), the latest " + route.vantagePoint());
            }
        } else if (tally.reached && !carriedNow) {
            alerts.report(new Finding(AlertType.VISIBILITY_LOSS, key, prefix, monitored.prefix(), -1, null,
                    monitored.group(), prefix + " is carried by " + tally.carriers
                            + " vantage points, below its threshold of " + threshold),
                    new Evidence(route.timeMillis(), route.vantagePoint(), prefix,
                            route.withdrawn() ? "" : route.pathText()));
        }
    }

    /**
     * Whether {@code prefix} is still below {@code threshold}, for a loss an earlier detector
     * reported; if so, it counts as having reached the threshold, so that its return resolves it.
     */
    boolean stillLost(IpPrefix prefix, int threshold) {
        Tally tally = tallies.computeIfAbsent(prefix, p -> new Tally());
        if (tally.carriers >= threshold) {
            return false;
        }
        tally.reached = true;
        return true;
    }

    /** How many vantage points carry {@code prefix} now: for tests and, later, the API. */
    int carriers(IpPrefix prefix) {
        Tally tally = tallies.get(prefix);
        return tally == null ? 0 : tally.carriers;
    }
}
