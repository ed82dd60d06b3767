package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.mrt.MrtImport;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.detect.route.Detector;
import org.junit.jupiter.api.Test;

/**
 * A real RIPE RIS update dump (rrc15, 2010-02-27 16:00–16:05 UTC) imported into a real RIB, its
 * route events converted as the service converts them and judged by the detectors under a
 * monitors file made for it: the alerts must be the golden set, on every run.
 *
 * <p>Each golden alert was checked by hand against bgpdump's decode of the dump
 * ({@code *.bgpdump-m.txt.gz} beside it); the reasoning is in the golden file, in a comment above
 * each line. When a
 * detector changes on purpose, the test writes what it found to
 * {@code target/mrt-golden-alerts.actual.txt}: check each changed line the same way, then copy it
 * over the golden file.
 */
class MrtGoldenAlertsTest {

    private static final String DUMP = "ripe_rrc15_2010.02_updates.20100227.1600.gz";

    @Test
    void replayedDumpRaisesTheGoldenAlerts() throws Exception {
        Path dump = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "mrt", DUMP);
        assumeTrue(Files.isRegularFile(dump), "shared testdata not found at " + dump + "; MRT golden alerts skipped");
        Monitors monitors = new MonitorsLoader().parse(resource("detect/mrt-golden-monitors.yaml"),
                "mrt-golden-monitors.yaml");
        Alerts alerts = new Alerts(new InMemoryAlertStore(), 50);
        Detector detector = new Detector(monitors, alerts);
        RouteEventObservations observations = new RouteEventObservations();
        Rib rib = new Rib(new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> events) {
                detector.observe(observations.of(events));
            }
        });
        MrtImport.Summary summary;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dump))) {
            summary = MrtImport.run(rib, new RouterInventory(), Duration.ofDays(1826), "ris", in);
        }
        assertThat(summary.badRecords()).isZero();

        String actual = describe(alerts.all());
        Path written = Path.of("target", "mrt-golden-alerts.actual.txt");
        Files.createDirectories(written.getParent());
        Files.writeString(written, actual);
        assertThat(actual).as("alerts of the replayed dump (written to %s)", written)
                .isEqualTo(golden(resource("detect/mrt-golden-alerts.txt")));
    }

    /** One line per alert, in the order they opened: what a reader checks against the dump. */
    private static String describe(List<Alert> alerts) {
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparingLong(Alert::openedAt).thenComparing(Alert::key));
        StringBuilder out = new StringBuilder();
        for (Alert a : sorted) {
            AlertChange last = a.timeline().getLast();
            out.append(a.key())
                    .append(" | ").append(a.finding().taxonomy() == null ? "-" : a.finding().taxonomy())
                    .append(" | opened ").append(Instant.ofEpochMilli(a.openedAt()))
                    .append(" | ").append(a.state().name().toLowerCase(Locale.ROOT))
                    .append(a.state() == AlertState.RESOLVED ? " " + Instant.ofEpochMilli(last.timeMillis()) : "")
                    .append(" | sightings ").append(a.sightings())
                    .append('\n');
        }
        return out.toString();
    }

    /** The golden file without its comment lines, which give the reasoning. */
    private static String golden(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = Objects.requireNonNull(MrtGoldenAlertsTest.class.getClassLoader()
                .getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
