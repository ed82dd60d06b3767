package net.rampart.detect.monitor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the monitors file says, validated and immutable: the prefixes and ASNs to watch, the
 * groups their alerts go to, and the visibility threshold.
 *
 * @param minVantagePoints how many distinct vantage points should carry each monitored prefix
 */
public record Monitors(List<MonitoredPrefix> prefixes, List<MonitoredAsn> asns, Map<String, Group> groups,
                       int minVantagePoints) {

    /** The group every prefix and ASN belongs to unless it names another. */
    public static final String DEFAULT_GROUP = "default";

    public Monitors {
        prefixes = List.copyOf(prefixes);
        asns = List.copyOf(asns);
        groups = Map.copyOf(groups);
        if (minVantagePoints < 1) {
            throw new IllegalArgumentException("at least one vantage point must carry a prefix");
        }
    }

    public Optional<MonitoredAsn> asn(long asn) {
        return asns.stream().filter(a -> a.asn() == asn).findFirst();
    }

    /** The threshold that applies to {@code prefix}: its own, or the file's. */
    public int minVantagePoints(MonitoredPrefix prefix) {
        return prefix.minVantagePoints().orElse(minVantagePoints);
    }
}
