package net.rampart.detect.route;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.rampart.detect.monitor.MonitoredAsn;

/** The monitored ASNs, sorted, for lookups on the detector's path that neither box nor hash. */
final class MonitoredAsns {

    private final long[] asns;
    private final MonitoredAsn[] entries;
    private final boolean anyNeighbours;

    MonitoredAsns(List<MonitoredAsn> monitored) {
        entries = monitored.stream().sorted(Comparator.comparingLong(MonitoredAsn::asn)).toArray(MonitoredAsn[]::new);
        asns = Arrays.stream(entries).mapToLong(MonitoredAsn::asn).toArray();
        anyNeighbours = Arrays.stream(entries).anyMatch(MonitoredAsn::declaresNeighbours);
    }

    /** Whether no ASN is monitored: then no AS path makes a route concern the monitors. */
    boolean isEmpty() {
        return asns.length == 0;
    }

    /** Whether any monitored ASN declares neighbours: when none does, no AS path needs a scan. */
    boolean anyNeighbours() {
        return anyNeighbours;
    }

    /** The entry for {@code asn}, or null when it is not monitored. */
    MonitoredAsn find(long asn) {
        int i = Arrays.binarySearch(asns, asn);
        return i >= 0 ? entries[i] : null;
    }
}
