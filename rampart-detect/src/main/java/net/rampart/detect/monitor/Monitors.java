package net.rampart.detect.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.rampart.detect.alert.AlertType;

/**
 * What the monitors file says, validated and immutable: the prefixes and ASNs to watch, the
 * groups their alerts go to, the channels those groups send to, and the visibility threshold.
 *
 * @param minVantagePoints how many distinct vantage points should carry each monitored prefix
 * @param flapDamping      the parameters the flap detector judges routes with
 * @param rpkiExpiryWarning how long before the last VRP authorising an origin expires {@code rpki_expiring}
 *                         is raised
 */
public record Monitors(List<MonitoredPrefix> prefixes, List<MonitoredAsn> asns, Map<String, Group> groups,
                       Map<String, Channel> channels, int minVantagePoints, FlapDamping flapDamping,
                       Duration rpkiExpiryWarning) {

    /** The {@code rpki.expiry_warning} a monitors file that says none gets. */
    public static final Duration DEFAULT_RPKI_EXPIRY_WARNING = Duration.ofHours(24);

    /** The group every prefix and ASN belongs to unless it names another. */
    public static final String DEFAULT_GROUP = "default";

    public Monitors {
        prefixes = List.copyOf(prefixes);
        asns = List.copyOf(asns);
        groups = Map.copyOf(groups);
        channels = Map.copyOf(channels);
        Objects.requireNonNull(flapDamping, "flapDamping");
        if (rpkiExpiryWarning == null || rpkiExpiryWarning.isNegative() || rpkiExpiryWarning.isZero()) {
            throw new IllegalArgumentException("the RPKI expiry warning must be a positive duration");
        }
        if (minVantagePoints < 1) {
            throw new IllegalArgumentException("at least one vantage point must carry a prefix");
        }
    }

    public Optional<MonitoredAsn> asn(long asn) {
        return asns.stream().filter(a -> a.asn() == asn).findFirst();
    }

    /** The channels that hear of an alert of {@code type} raised in {@code group}. */
    public List<Channel> channels(String group, AlertType type) {
        Group g = groups.get(group);
        if (g == null) {
            return List.of();
        }
        return g.channels().stream().map(channels::get).filter(c -> c != null && c.hears(type)).toList();
    }

    /** The threshold that applies to {@code prefix}: its own, or the file's. */
    public int minVantagePoints(MonitoredPrefix prefix) {
        return prefix.minVantagePoints().orElse(minVantagePoints);
    }
}
