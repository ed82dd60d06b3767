package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.rampart.collector.rib.Rib;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.detect.route.Detector;
import net.rampart.detect.route.RouteObservation;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RIS peers as the detector's vantage points: decoded from RIS Live's messages, they count
 * towards a prefix's visibility like the operator's own routers, and their routes outlive a
 * rebuild of the detector.
 */
class RisLiveDetectionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String MONITORS = """
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
              - prefix: 198.51.100.0/24
                origins: [AS64500]
                min_vantage_points: 3
            """;

    @TempDir
    Path dir;

    private final RisLiveMessages messages = new RisLiveMessages(new ObjectMapper());
    private final Alerts alerts = new Alerts(new InMemoryAlertStore(), 10);

    private static String update(String host, String peer, String path, String announced, String withdrawn) {
        return "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1764583200,\"peer\":\"" + peer
                + "\",\"peer_asn\":\"64496\",\"host\":\"" + host + "\",\"type\":\"UPDATE\",\"path\":" + path
                + ",\"announcements\":[{\"next_hop\":\"" + peer + "\",\"prefixes\":" + announced
                + "}],\"withdrawals\":" + withdrawn + "}}";
    }

    private List<RouteObservation> decode(String message) throws Exception {
        return ((RisLiveFrame.Routes) messages.decode(message)).routes();
    }

    private Alert alert(String key) {
        return alerts.all().stream().filter(a -> a.key().equals(key)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no alert " + key + " in " + alerts.all()));
    }

    @Test
    void risPeersCarryingAPrefixAreCountedAsVantagePoints() throws Exception {
        Detector detector = new Detector(new MonitorsLoader().parse(MONITORS, "monitors.yaml"), alerts);
        IpPrefix prefix = IpPrefix.parse("198.51.100.0/24");

        detector.observe(decode(update("rrc00", "192.0.2.10", "[64496,64500]", "[\"198.51.100.0/24\"]", "[]")));
        detector.observe(decode(update("rrc00", "2001:db8::10", "[64497,64500]", "[\"198.51.100.0/24\"]", "[]")));
        detector.observe(decode(update("rrc21.ripe.net", "192.0.2.10", "[64498,64500]", "[\"198.51.100.0/24\"]",
                "[]")));
        // The same peer of the same collector again, under the collector's longer name: no new vantage point.
        detector.observe(decode(update("rrc21", "192.0.2.10", "[64499,64500]", "[\"198.51.100.0/24\"]", "[]")));
        // A router of the operator's own, through BMP, beside them.
        detector.observe(List.of(RouteObservation.announce(1, "r1/192.0.2.1/adj_rib_in_post", prefix, 64510, 64500)));

        assertThat(detector.carriers(prefix)).isEqualTo(4);

        detector.observe(decode(update("rrc00", "192.0.2.10", "[]", "[]", "[\"198.51.100.0/24\"]")));
        detector.observe(decode(update("rrc00", "2001:db8::10", "[]", "[]", "[\"198.51.100.0/24\"]")));

        assertThat(detector.carriers(prefix)).isEqualTo(2);
        Alert loss = alert("visibility_loss|198.51.100.0/24");
        assertThat(loss.state()).isEqualTo(AlertState.OPEN);
        assertThat(loss.evidence()).extracting(e -> e.vantagePoint()).contains("rrc00/2001:db8::10/ris");
    }

    @Test
    void risPeersRoutesAreReadAgainWhenTheDetectorIsRebuilt() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), MONITORS);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        DetectionFeed feed = new DetectionFeed(16, metrics);
        RisLiveRoutes risRoutes = new RisLiveRoutes();
        Detection detection = new Detection(new Rib(feed), feed, MonitorsFile.open(file, clock), alerts, clock,
                metrics, risRoutes::all);
        detection.catchUp();

        // As the client does: kept, then queued.
        List<RouteObservation> hijack = decode(update("rrc03", "192.0.2.77", "[64496,64666]", "[\"192.0.2.0/24\"]",
                "[]"));
        hijack.forEach(risRoutes::apply);
        feed.onObservations(hijack);
        detection.catchUp();
        String key = "origin_hijack|192.0.2.0/24|AS64666";
        assertThat(alert(key).state()).isEqualTo(AlertState.OPEN);
        assertThat(alert(key).evidence().get(0).vantagePoint()).isEqualTo("rrc03/192.0.2.77/ris");

        // A new monitors file builds a new detector; the RIB is empty, but RIS Live's routes still show the hijack.
        Files.writeString(file, MONITORS + """
                  - prefix: 203.0.113.0/24
                    origins: [AS64500]
                """);
        assertThat(detection.reload("test").applied()).isTrue();
        detection.catchUp();
        assertThat(alert(key).state()).isEqualTo(AlertState.OPEN);

        // The peer's session goes down: its routes are withdrawn, and the hijack it showed ends.
        feed.onObservations(risRoutes.peerDown(NOW.toEpochMilli(), "rrc03/192.0.2.77/ris"));
        detection.catchUp();
        assertThat(alert(key).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(risRoutes.all()).isEmpty();
    }
}
