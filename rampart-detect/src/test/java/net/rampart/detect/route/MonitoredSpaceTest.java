package net.rampart.detect.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import org.junit.jupiter.api.Test;

class MonitoredSpaceTest {

    private static boolean mayConcern(MonitoredSpace space, String prefix) {
        IpPrefix p = IpPrefix.parse(prefix);
        return space.mayConcern(p.isIpv4(), p.high());
    }

    /**
     * No route a monitored prefix covers is left out, whatever the lengths on either side: the
     * prefixes are drawn around one block boundary, so that short ones span many blocks.
     */
    @Property
    void everyRouteAMonitoredPrefixCoversMayConcernTheDetector(
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1023) Integer> addresses,
            @ForAll @Size(max = 12) List<@IntRange(min = 4, max = 32) Integer> lengths,
            @ForAll @IntRange(min = 0, max = 1023) int queryAddress,
            @ForAll @IntRange(min = 4, max = 32) int queryLength) {
        List<IpPrefix> monitored = new ArrayList<>();
        for (int i = 0; i < Math.min(addresses.size(), lengths.size()); i++) {
            monitored.add(Ipv4Prefix.of(0x0A00_0000 | addresses.get(i) << 12, lengths.get(i)));
        }
        IpPrefix route = Ipv4Prefix.of(0x0A00_0000 | queryAddress << 12 | 0x0000_0A00, queryLength);
        boolean covered = monitored.stream().anyMatch(p -> p.covers(route));

        boolean mayConcern = MonitoredSpace.of(monitored).mayConcern(true, route.high());

        if (covered) {
            assertThat(mayConcern).isTrue();
        }
    }

    /**
     * The invariant the collector's thread relies on: whatever monitors of prefixes only (both
     * families, any length, some ignoring their more-specifics), a route the detector would
     * concern itself with lies in its space. Monitored prefixes and routes share a few top bits,
     * so that many cover one another.
     */
    @Property(tries = 300)
    void everyRouteTheDetectorConcernsItselfWithLiesInItsSpace(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 63) Integer> tops,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 40) Integer> lengths,
            @ForAll @IntRange(min = 0, max = 63) int routeTop,
            @ForAll long routeBits,
            @ForAll @IntRange(min = 0, max = 64) int routeLength,
            @ForAll boolean routeIsIpv4) throws Exception {
        StringBuilder yaml = new StringBuilder("prefixes:\n");
        Set<IpPrefix> listed = new HashSet<>();
        for (int i = 0; i < Math.min(tops.size(), lengths.size()); i++) {
            boolean ipv4 = i % 2 == 0;
            long high = (long) tops.get(i) << 58;
            IpPrefix p = ipv4 ? Ipv4Prefix.of((int) (high >>> 32), Math.min(lengths.get(i), 32))
                    : Ipv6Prefix.of(high, 0, lengths.get(i));
            if (listed.add(p)) {
                yaml.append("  - prefix: ").append(p).append("\n    origins: [AS64500]\n")
                        .append("    ignore_more_specifics: ").append(i % 3 == 0).append('\n');
            }
        }
        Detector detector = new Detector(new MonitorsLoader().parse(yaml.toString(), "monitors.yaml"),
                new Alerts(new InMemoryAlertStore(), 10));
        long high = (long) routeTop << 58 | routeBits >>> 6;
        IpPrefix route = routeIsIpv4 ? Ipv4Prefix.of((int) (high >>> 32), Math.min(routeLength, 32))
                : Ipv6Prefix.of(high, 0, routeLength);

        if (detector.concerns(routeIsIpv4, route.high(), route.low(), route.length())) {
            assertThat(detector.space().mayConcern(routeIsIpv4, route.high())).isTrue();
        }
    }

    @Test
    void leavesOutRoutesInBlocksNoMonitoredPrefixTouches() {
        MonitoredSpace space = MonitoredSpace.of(List.of(IpPrefix.parse("192.0.2.0/24"),
                IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("2001:db8:1::/48")));

        assertThat(mayConcern(space, "192.0.2.0/24")).isTrue();
        assertThat(mayConcern(space, "192.0.2.128/25")).isTrue();
        assertThat(mayConcern(space, "10.200.0.0/16")).isTrue();
        assertThat(mayConcern(space, "10.255.255.0/24")).isTrue();
        assertThat(mayConcern(space, "2001:db8:1:2::/64")).isTrue();
        // A block holds 2^14 IPv4 addresses: 192.0.0.0/18 holds the monitored /24, so a route
        // beside it in the block may concern the detector, which then finds that it does not.
        assertThat(mayConcern(space, "192.0.0.0/24")).isTrue();

        assertThat(mayConcern(space, "192.0.64.0/24")).isFalse();
        assertThat(mayConcern(space, "11.0.0.0/8")).isFalse();
        assertThat(mayConcern(space, "0.0.0.0/0")).isFalse();
        assertThat(mayConcern(space, "2001:4000::/32")).isFalse();
        // 2001::/18 holds 2001:db8:1::/48, so 2001:db9::/32 may concern the detector.
        assertThat(mayConcern(space, "2001:db9::/32")).isTrue();
        // The families apart: the IPv6 address whose top bits are those of 10.0.0.0 is not monitored.
        assertThat(mayConcern(space, "a00::/8")).isFalse();
    }

    @Test
    void aMonitoredDefaultRouteTakesInEveryRouteOfItsFamily() {
        MonitoredSpace space = MonitoredSpace.of(List.of(IpPrefix.parse("0.0.0.0/0")));

        assertThat(mayConcern(space, "255.255.255.0/24")).isTrue();
        assertThat(mayConcern(space, "0.0.0.0/0")).isTrue();
        assertThat(mayConcern(space, "2001:db8::/32")).isFalse();
    }

    @Test
    void aDetectorWithAMonitoredAsnMayBeConcernedByAnyRoute() throws Exception {
        Alerts alerts = new Alerts(new InMemoryAlertStore(), 10);
        Detector prefixesOnly = new Detector(new MonitorsLoader().parse("""
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                """, "monitors.yaml"), alerts);
        Detector withAsn = new Detector(new MonitorsLoader().parse("""
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                asns:
                  - asn: AS64500
                """, "monitors.yaml"), alerts);

        assertThat(mayConcern(prefixesOnly.space(), "203.0.113.0/24")).isFalse();
        assertThat(withAsn.space()).isSameAs(MonitoredSpace.EVERYWHERE);
        assertThat(mayConcern(withAsn.space(), "203.0.113.0/24")).isTrue();
    }
}
