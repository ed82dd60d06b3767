package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.mrt.MrtImport;
import net.rampart.collector.rib.Rib;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real RIPE RIS update dump (rrc15, 2010-02-27 16:00–16:05 UTC) imported into a real RIB whose
 * route events go, through the detection queue, to {@link Detection} as the service runs it
 * (caught up on the test's thread), under a monitors file made for the dump: the alerts must be
 * the golden set, on every run.
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

    /** The dump's last record. */
    private static final Instant DUMP_END = Instant.parse("2010-02-27T16:05:00Z");

    @TempDir
    Path work;

    @Test
    void replayedDumpRaisesTheGoldenAlerts() throws Exception {
        Path dump = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "mrt", DUMP);
        assumeTrue(Files.isRegularFile(dump), "shared testdata not found at " + dump + "; MRT golden alerts skipped");
        Path monitors = Files.writeString(work.resolve("monitors.yaml"), resource("detect/mrt-golden-monitors.yaml"));
        // The detection thread's clock stands at the dump's end, so that the flap detector's time
        // is the routes' time, not today's.
        Clock end = Clock.fixed(DUMP_END, ZoneOffset.UTC);
        Alerts alerts = new Alerts(new InMemoryAlertStore(), 50);
        // Room for every route change of the dump: no drop, so no re-reading of the RIB.
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        DetectionFeed feed = new DetectionFeed(1 << 20, metrics);
        Rib rib = new Rib(feed);
        Detection detection = new Detection(rib, feed, MonitorsFile.open(monitors, end), alerts, end, metrics);
        detection.catchUp();
        MrtImport.Summary summary;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dump))) {
            summary = MrtImport.run(rib, new RouterInventory(), Duration.ofDays(1826), "ris", in);
        }
        assertThat(summary.badRecords()).isZero();
        detection.catchUp();
        assertThat(metrics.counter("rampart_detect_observations_dropped_total").count())
                .as("route changes the detection queue dropped").isZero();

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
