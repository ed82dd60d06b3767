package net.rampart.detect.monitor;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import net.rampart.detect.alert.AlertType;
import net.rampart.wire.ip.IpPrefix;

/**
 * A prefix the operator watches, and how it should be announced.
 *
 * @param origins           the ASNs that may originate it; empty means nobody should announce it
 * @param exclude           checks switched off for this prefix
 * @param minVantagePoints  this prefix's visibility threshold, when it differs from the file's
 */
public record MonitoredPrefix(IpPrefix prefix, String description, AsnSet origins, String group,
                              boolean ignoreMoreSpecifics, List<PathRule> pathRules, Set<AlertType> exclude,
                              OptionalInt minVantagePoints) {

    public MonitoredPrefix {
        pathRules = List.copyOf(pathRules);
        exclude = Set.copyOf(exclude);
    }

    public boolean checks(AlertType type) {
        return !exclude.contains(type);
    }
}
