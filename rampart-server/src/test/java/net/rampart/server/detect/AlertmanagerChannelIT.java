package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.server.RampartService;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert told to a real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}),
 * which is asked through its own API what it holds: the alert, firing with Rampart's labels,
 * and then no longer once Rampart resolved it.
 */
class AlertmanagerChannelIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final IpPrefix PREFIX = IpPrefix.parse("192.0.2.0/24");
    private static final String KEY = "origin_hijack|192.0.2.0/24|AS64666";
    private static final ObjectMapper JSON = RampartService.jsonMapper();

    @TempDir
    Path dir;

    @Test
    void anOpenedAlertFiresInAlertmanagerAndItsResolutionEndsIt() throws Exception {
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir, WAIT)) {
            URI base = alertmanager.base();
            Monitors monitors = new MonitorsLoader().parse("""
                    prefixes: [{prefix: 192.0.2.0/24, origins: [AS64500], group: noc}]
                    groups: {noc: {channels: [am]}}
                    channels: {am: {type: alertmanager, url: "%s", resend_interval: 1s}}
                    """.formatted(base), "monitors.yaml");
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            AlertChannels channels = new AlertChannels(() -> monitors,
                    AlertChannels.sender(100, 3, Duration.ofMillis(100), metrics), JSON,
                    URI.create("https://rampart.example.net"), Clock.systemUTC());
            channels.start();
            Alerts alerts = new Alerts(new InMemoryAlertStore(), 10);
            alerts.addListener(channels);
            try {
                long now = System.currentTimeMillis();
                long id = alerts.report(new Finding(AlertType.ORIGIN_HIJACK, KEY, PREFIX, PREFIX, 64666,
                        Taxonomy.of(true, '0'), "noc", "AS64666 originates 192.0.2.0/24"),
                        new Evidence(now, "r1 198.51.100.1", PREFIX, "64510 64666")).id();

                Daemon.await("Alertmanager to hold the alert as active", WAIT, () -> alertmanager.held(KEY)
                        .filter(a -> "active".equals(a.at("/status/state").asText())).isPresent());
                JsonNode firing = alertmanager.held(KEY).orElseThrow();
                assertThat(firing.at("/labels/alertname").asText()).isEqualTo("rampart_origin_hijack");
                assertThat(firing.at("/labels/prefix").asText()).isEqualTo("192.0.2.0/24");
                assertThat(firing.at("/labels/group").asText()).isEqualTo("noc");
                assertThat(firing.at("/labels/type").asText()).isEqualTo("origin_hijack");
                assertThat(firing.at("/labels/severity").asText()).isEqualTo("critical");
                assertThat(firing.at("/annotations/summary").asText()).isEqualTo("AS64666 originates 192.0.2.0/24");
                assertThat(firing.at("/annotations/taxonomy").asText()).isEqualTo("E|0|-");
                assertThat(firing.at("/generatorURL").asText())
                        .isEqualTo("https://rampart.example.net/api/v1/alerts/" + id);
                assertThat(firing.at("/receivers/0/name").asText()).isEqualTo("nowhere");
                // The re-sending thread, on its own, tells Alertmanager again that the alert still fires.
                Daemon.await("a re-send", WAIT, () -> sent(metrics) >= 2);
                assertThat(alertmanager.held(KEY))
                        .hasValueSatisfying(a -> assertThat(a.at("/status/state").asText()).isEqualTo("active"));

                alerts.resolve(KEY, System.currentTimeMillis(), "resolved: AS64666 withdrew it");
                // Alertmanager's API lists only alerts that have not ended.
                Daemon.await("Alertmanager to drop the resolved alert", WAIT,
                        () -> alertmanager.held(KEY).isEmpty());
            } finally {
                channels.stop(WAIT);
            }
            assertThat(sent(metrics)).as("opened, re-sent at least once, resolved").isGreaterThanOrEqualTo(3);
            assertThat(metrics.find(AlertChannels.METRIC).tags("channel", "am", "result", "failed").counter())
                    .isNull();
        }
    }

    private static double sent(SimpleMeterRegistry metrics) {
        var counter = metrics.find(AlertChannels.METRIC).tags("channel", "am", "result", "sent").counter();
        return counter == null ? 0 : counter.count();
    }
}
