package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredAsn;

/**
 * A monitored ASN originating a prefix no monitored prefix covers: a new announcement the
 * monitors do not know of, or someone forging the ASN (BGPalerter's AS monitor).
 */
final class UnlistedPrefixCheck {

    private final MonitoredAsns asns;

    UnlistedPrefixCheck(MonitoredAsns asns) {
        this.asns = asns;
    }

    /** Adds the finding for {@code route}, announced and covered by no monitored prefix, if its origin is monitored. */
    void check(RouteObservation route, List<Finding> found) {
        if (route.asPath().length == 0 || route.originIsAsSet()) {
            return;
        }
        MonitoredAsn monitored = asns.find(route.origin());
        if (monitored == null) {
            return;
        }
        found.add(new Finding(AlertType.UNLISTED_PREFIX,
                Finding.key(AlertType.UNLISTED_PREFIX, route.prefix(), "AS" + monitored.asn()), route.prefix(), null,
                monitored.asn(), null, monitored.group(), "AS" + monitored.asn() + " originates " + route.prefix()
                        + ", which no monitored prefix covers"));
    }
}
