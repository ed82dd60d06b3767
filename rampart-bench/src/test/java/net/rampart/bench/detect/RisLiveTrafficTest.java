package net.rampart.bench.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.rampart.bench.Args;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.detect.route.PrefixIndex;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RisLiveTrafficTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void monitorsFileLoadsWithEveryPrefixDisjoint() throws Exception {
        RisLiveTraffic traffic = new RisLiveTraffic(1000, 1);
        Monitors monitors = new MonitorsLoader().load(traffic.writeMonitors(dir.resolve("monitors.yaml")));

        assertThat(monitors.prefixes()).hasSize(1000);
        assertThat(monitors.prefixes()).filteredOn(p -> p.prefix().toString().contains(":")).hasSize(200);
        Map<IpPrefix, MonitoredPrefix> byPrefix = new HashMap<>();
        monitors.prefixes().forEach(p -> byPrefix.put(p.prefix(), p));
        PrefixIndex<MonitoredPrefix> index = new PrefixIndex<>(byPrefix);
        for (MonitoredPrefix p : monitors.prefixes()) {
            // Disjoint: no monitored prefix lies inside another, so each is a subscription of its own.
            IpPrefix parent = p.prefix().truncate(p.prefix().length() - 1);
            assertThat(index.longestCovering(parent)).as(p.prefix().toString()).isNull();
        }
    }

    @Test
    void messagesAreRisLiveUpdatesOfMonitoredPrefixesAndTheirMoreSpecifics() throws Exception {
        RisLiveTraffic traffic = new RisLiveTraffic(500, 7);
        Monitors monitors = new MonitorsLoader().load(traffic.writeMonitors(dir.resolve("monitors.yaml")));
        Map<IpPrefix, MonitoredPrefix> byPrefix = new HashMap<>();
        monitors.prefixes().forEach(p -> byPrefix.put(p.prefix(), p));
        PrefixIndex<MonitoredPrefix> index = new PrefixIndex<>(byPrefix);

        int exact = 0;
        int moreSpecific = 0;
        int withdrawals = 0;
        int hijacks = 0;
        Set<String> peers = new HashSet<>();
        Set<String> collectors = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            JsonNode message = JSON.readTree(traffic.next(1_733_548_800_123L));
            assertThat(message.path("type").asText()).isEqualTo("ris_message");
            JsonNode data = message.path("data");
            assertThat(data.path("type").asText()).isEqualTo("UPDATE");
            assertThat(data.path("timestamp").decimalValue()).isEqualByComparingTo("1733548800.123");
            peers.add(data.path("host").asText() + " " + data.path("peer").asText());
            collectors.add(data.path("host").asText());
            Set<String> announced = new HashSet<>();
            for (JsonNode announcement : data.path("announcements")) {
                announcement.path("prefixes").forEach(p -> announced.add(p.asText()));
            }
            int routes = announced.size() + data.path("withdrawals").size();
            assertThat(routes).isBetween(1, 12);
            assertThat(traffic.lastRoutes()).isEqualTo(routes);
            if (!announced.isEmpty()) {
                JsonNode path = data.path("path");
                assertThat(path.size()).isBetween(3, 8);
                assertThat(path.get(0).asText()).isEqualTo(data.path("peer_asn").asText());
                long origin = path.get(path.size() - 1).asLong();
                // One path for every prefix of the UPDATE: they must share their monitored origin.
                Set<Long> listed = new HashSet<>();
                announced.forEach(p -> listed.add(index.longestCovering(IpPrefix.parse(p)).origins().toArray()[0]));
                assertThat(listed).hasSize(1);
                if (!listed.contains(origin)) {
                    hijacks++;
                }
            }
            Set<String> prefixes = new HashSet<>(announced);
            data.path("withdrawals").forEach(p -> prefixes.add(p.asText()));
            withdrawals += data.path("withdrawals").size();
            for (String text : prefixes) {
                IpPrefix prefix = IpPrefix.parse(text);
                MonitoredPrefix covering = index.longestCovering(prefix);
                assertThat(covering).as(text).isNotNull();
                if (covering.prefix().equals(prefix)) {
                    exact++;
                } else {
                    moreSpecific++;
                }
            }
        }
        assertThat(moreSpecific).isGreaterThan(exact).isGreaterThan(0);
        assertThat(exact).isPositive();
        assertThat(withdrawals).isPositive();
        assertThat(hijacks).isBetween(1, 100);
        assertThat(peers).hasSizeGreaterThanOrEqualTo(300);
        assertThat(collectors).hasSize(20);
    }

    @Test
    void theSameSeedDrawsTheSameMessages() {
        RisLiveTraffic a = new RisLiveTraffic(100, 3);
        RisLiveTraffic b = new RisLiveTraffic(100, 3);
        for (int i = 0; i < 100; i++) {
            assertThat(a.next(1000L * i)).isEqualTo(b.next(1000L * i));
        }
    }

    @Test
    void monitoredOutOfRangeNamesTheOption() {
        assertThatThrownBy(() -> new RisLiveTraffic(0, 1)).isInstanceOf(Args.BadOption.class)
                .hasMessageContaining("--monitored");
        assertThatThrownBy(() -> new RisLiveTraffic(RisLiveTraffic.MAX_MONITORED + 1, 1))
                .isInstanceOf(Args.BadOption.class).hasMessageContaining("--monitored");
    }
}
