package net.rampart.detect.route;

import java.util.List;
import java.util.Optional;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.PathRule;

/**
 * The path rules of the monitored prefix (ARTEMIS P: a path that should not be). One alert per
 * announced prefix and rule, named by the rule's place in the file, whatever part of it broke.
 */
final class PathCheck implements RouteCheck {

    @Override
    public void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        List<PathRule> rules = monitored.pathRules();
        if (rules.isEmpty() || !monitored.checks(AlertType.PATH)) {
            return;
        }
        String text = route.pathText();
        for (int i = 0; i < rules.size(); i++) {
            Optional<String> violation = rules.get(i).violation(text, route.asPath().length);
            if (violation.isPresent()) {
                found.add(new Finding(AlertType.PATH, Finding.key(AlertType.PATH, route.prefix(), "path[" + i + "]"),
                        route.prefix(), monitored.prefix(), route.origin(),
                        Taxonomy.of(RouteCheck.exact(route, monitored), 'P'), monitored.group(),
                        "path rule path[" + i + "] of " + monitored.prefix() + " is broken for " + route.prefix()
                                + ": " + violation.get()));
            }
        }
    }
}
