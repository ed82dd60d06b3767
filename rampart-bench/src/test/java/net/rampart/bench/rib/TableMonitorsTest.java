package net.rampart.bench.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.bench.Args;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.detect.route.Detector;
import net.rampart.detect.route.RouteObservation;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableMonitorsTest {

    @TempDir
    Path dir;

    private static List<RouteUpdate> table() {
        FullTableGenerator generator = new FullTableGenerator(7, 64_500);
        List<RouteUpdate> table = new ArrayList<>(generator.updates(Family.IPV4_UNICAST, generator.ipv4Prefixes(5000),
                true, new byte[] {10, 0, 0, 1}, 0));
        table.addAll(generator.updates(Family.IPV6_UNICAST, generator.ipv6Prefixes(1000), true, new byte[16], 0));
        return table;
    }

    @Test
    void picksTablePrefixesWithTheirOriginsAndTheLoaderReadsTheFile() throws Exception {
        List<RouteUpdate> table = table();
        Map<IpPrefix, Long> origins = new HashMap<>();
        for (RouteUpdate u : table) {
            for (RouteKey key : u.announced()) {
                origins.put(TableMonitors.prefix(key), TableMonitors.origin(u));
            }
        }
        TableMonitors monitors = TableMonitors.pick(table, 300);

        assertThat(monitors.prefixes()).hasSize(300);
        assertThat(monitors.prefixes().stream().map(TableMonitors.Monitored::prefix).distinct()).hasSize(300);
        assertThat(monitors.prefixes()).anyMatch(m -> m.prefix().isIpv6()).anyMatch(m -> m.prefix().isIpv4());
        for (TableMonitors.Monitored m : monitors.prefixes()) {
            assertThat(m.origin()).isEqualTo(origins.get(m.prefix()));
            assertThat(origins.keySet()).noneMatch(other -> !other.equals(m.prefix()) && m.prefix().covers(other));
        }

        Path file = monitors.write(dir.resolve("monitors.yaml"), URI.create("http://127.0.0.1:9/alerts"),
                List.of("origin_hijack"));
        Monitors loaded = new MonitorsLoader().load(file);
        assertThat(loaded.prefixes()).hasSize(300);
        MonitoredPrefix first = loaded.prefixes().stream()
                .filter(p -> p.prefix().equals(monitors.prefixes().get(0).prefix())).findFirst().orElseThrow();
        assertThat(first.origins().toArray()).containsExactly(monitors.prefixes().get(0).origin());
        assertThat(loaded.channels("default", AlertType.ORIGIN_HIJACK)).singleElement()
                .satisfies(c -> assertThat(c.kind()).isInstanceOfSatisfying(
                        net.rampart.detect.monitor.Channel.Webhook.class,
                        w -> assertThat(w.url()).isEqualTo(URI.create("http://127.0.0.1:9/alerts"))));
        assertThat(loaded.channels("default", AlertType.NEW_MORE_SPECIFIC)).isEmpty();
    }

    @Test
    void theHijackOpensTheAlertWithTheKeyTheToolsWaitFor() throws Exception {
        TableMonitors monitors = TableMonitors.pick(table(), 10);
        Monitors loaded = new MonitorsLoader().load(monitors.write(dir.resolve("monitors.yaml"), null, List.of()));
        Alerts alerts = new Alerts(new InMemoryAlertStore(), 5);
        Detector detector = new Detector(loaded, alerts);
        TableMonitors.Monitored target = monitors.prefixes().get(3);

        RouteUpdate hijack = target.hijackedBy(64_500, 4_200_000_001L, 1000);
        int[] path = hijack.attributes().asPath().encoded();
        detector.observe(List.of(RouteObservation.announce(1000, "vp", target.prefix(),
                Integer.toUnsignedLong(path[2]), Integer.toUnsignedLong(path[3]))));

        assertThat(alerts.all()).singleElement()
                .satisfies(a -> assertThat(a.key()).isEqualTo(target.hijackAlertKey(4_200_000_001L)));
    }

    @Test
    void aPrefixCoveringAnotherIsNeverPicked() {
        PathAttributes a = PathAttributes.builder().origin(0).asPath(AsPath.sequence(64_500, 1))
                .nextHop(new byte[] {10, 0, 0, 1}).build();
        List<RouteUpdate> table = List.of(RouteUpdate.announce(0, Family.IPV4_UNICAST, a,
                List.of(Ipv4RouteKey.parse("10.0.0.0/8", 0), Ipv4RouteKey.parse("10.1.0.0/16", 0))));

        assertThat(TableMonitors.pick(table, 1).prefixes()).singleElement()
                .satisfies(m -> assertThat(m.prefix()).hasToString("10.1.0.0/16"));
        assertThatThrownBy(() -> TableMonitors.pick(table, 2)).isInstanceOf(Args.BadOption.class)
                .hasMessageContaining("--monitored 2").hasMessageContaining("between 1 and 1");
    }
}
