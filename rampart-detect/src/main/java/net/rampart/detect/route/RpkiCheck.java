package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredPrefix;

/**
 * The RPKI origin validation state of a route of a monitored prefix or a more-specific of one:
 * invalid (by origin or by maximum length) is one alert per announced prefix and origin; not
 * covered by any VRP is one alert per announced prefix. A route its peer originates (empty path)
 * has no origin to validate, and a route nobody validated has nothing to say.
 */
final class RpkiCheck implements RouteCheck {

    @Override
    public void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        OriginValidity validity = route.validity();
        if (route.asPath().length == 0) {
            return;
        }
        if (validity.invalid() && monitored.checks(AlertType.RPKI_INVALID)) {
            long origin = route.originIsAsSet() ? -1 : route.origin();
            String who = origin < 0 ? "an AS_SET" : "AS" + origin;
            found.add(new Finding(AlertType.RPKI_INVALID,
                    Finding.key(AlertType.RPKI_INVALID, route.prefix(), origin < 0 ? "AS_SET" : "AS" + origin),
                    route.prefix(), monitored.prefix(), origin, null, monitored.group(),
                    route.prefix() + " originated by " + who + " is RPKI-invalid: " + (validity
                            == OriginValidity.INVALID_LENGTH
                            ? "a VRP lists the origin, but the prefix is longer than its maximum length"
                            : "no VRP covering it lists the origin")));
        } else if (validity == OriginValidity.NOT_FOUND && monitored.checks(AlertType.RPKI_NOT_FOUND)) {
            found.add(new Finding(AlertType.RPKI_NOT_FOUND, Finding.key(AlertType.RPKI_NOT_FOUND, route.prefix(), ""),
                    route.prefix(), monitored.prefix(), route.originIsAsSet() ? -1 : route.origin(), null,
                    monitored.group(), route.prefix() + " is RPKI not-found: no VRP covers it"));
        }
    }
}
