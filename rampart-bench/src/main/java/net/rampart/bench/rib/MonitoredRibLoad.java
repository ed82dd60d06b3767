package net.rampart.bench.rib;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.bench.Args;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.collector.rib.Session;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertListener;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.server.detect.Detection;
import net.rampart.server.detect.DetectionFeed;
import net.rampart.server.detect.MonitorsFile;

/**
 * RIB ingest with detection on, against the same load with detection off ({@link RibLoad}'s
 * table and path): {@code --monitored} prefixes of the table are monitored, each with the origin
 * the table gives it ({@link TableMonitors}), and the RIB's route events go, as in the service,
 * through {@link DetectionFeed}'s bounded queue to the {@link Detection} thread.
 *
 * <p>Two figures per run with detection on, because the feed never makes the collector wait: the
 * collector's own throughput (the RIB and the hand-off to the queue: what the issue's "ingest
 * throughput" is), and when the detection thread had judged everything, found by a sentinel: one
 * hijacking UPDATE applied after the table, whose alert opens once every event before it was
 * judged (or, if the queue overflowed, once the detector has read the RIB again). Events the
 * queue dropped are counted: a detector that falls behind cannot hide behind the first figure.
 *
 * <pre>
 * java -Xms6g -Xmx6g -XX:+AlwaysPreTouch -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' \
 *     net.rampart.bench.rib.MonitoredRibLoad [options]
 *   --ipv4 N             IPv4 prefixes per table (1000000)
 *   --ipv6 N             IPv6 prefixes per table (200000)
 *   --monitored N        monitored prefixes (10000)
 *   --single true        one prefix per UPDATE instead of packed UPDATEs (false)
 *   --routers N          routers sending a full table at once, one thread each (1)
 *   --rounds N           each round loads a fresh RIB without, then with detection (3)
 *   --queue N            the detection queue's capacity in batches (65536, as the service's)
 *   --timeout-seconds N  how long to wait for the detection thread per round (600)
 * </pre>
 */
public final class MonitoredRibLoad {

    /** The sentinel hijacker: a private-use ASN the generated table never uses. */
    private static final long SENTINEL_ASN = 4_200_000_000L;
    /** The evidence each alert keeps, as the service's. */
    private static final int ALERT_EVIDENCE = 50;

    private MonitoredRibLoad() {
    }

    /** One round with detection on. */
    private record Detected(double collectorSeconds, double caughtUpSeconds, long observed, long dropped,
                            int alertsOpened) {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Args.BadOption e) {
            System.err.println("MonitoredRibLoad: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--ipv4", "1000000", "--ipv6", "200000",
                "--monitored", "10000", "--single", "false", "--routers", "1", "--rounds", "3", "--queue", "65536",
                "--timeout-seconds", "600"));
        boolean packed = !Boolean.parseBoolean(a.get("--single"));
        int rounds = Args.integer(a, "--rounds", 1);
        int queue = Args.integer(a, "--queue", 1);
        long timeoutSeconds = Args.integer(a, "--timeout-seconds", 1);
        RibLoad.FullTables full = RibLoad.FullTables.generate(Args.integer(a, "--ipv4", 0),
                Args.integer(a, "--ipv6", 0), packed, Args.integer(a, "--routers", 1));
        List<List<RouteUpdate>> tables = full.perRouter();
        long routes = full.routes();
        TableMonitors monitors = TableMonitors.pick(tables.get(0), Args.integer(a, "--monitored", 1));
        Path dir = Files.createTempDirectory("rampart-bench-monitors");
        Path file = monitors.write(dir.resolve("monitors.yaml"), null, List.of());
        System.out.printf(Locale.ROOT, "table: %d IPv4 + %d IPv6 prefixes, %s, %d UPDATEs per router, %d router(s);"
                        + " %d monitored prefixes; detection queue %d batches%n", full.ipv4(), full.ipv6(),
                packed ? "packed UPDATEs" : "one prefix per UPDATE", tables.get(0).size(), tables.size(),
                monitors.prefixes().size(), queue);
        double[] off = new double[rounds];
        double[] on = new double[rounds];
        double[] caughtUp = new double[rounds];
        try {
            for (int round = 0; round < rounds; round++) {
                off[round] = routes / withoutDetection(tables);
                settle();
                Detected d = withDetection(tables, file, monitors, queue, timeoutSeconds);
                settle();
                on[round] = routes / d.collectorSeconds();
                caughtUp[round] = Double.isNaN(d.caughtUpSeconds()) ? Double.NaN : routes / d.caughtUpSeconds();
                System.out.printf(Locale.ROOT, "round %d: detection off %,.0f routes/s | on: collector %,.0f routes/s"
                                + " (%.3f of off); detection thread %s, %,d observations judged (RIB re-reads"
                                + " included), %,d events dropped by the queue, %d alerts opened by the table%n",
                        round + 1, off[round], on[round], on[round] / off[round],
                        Double.isNaN(d.caughtUpSeconds()) ? "NOT caught up within " + timeoutSeconds + " s"
                                : String.format(Locale.ROOT, "caught up after %.3f s (%,.0f routes/s end to end)",
                                d.caughtUpSeconds(), caughtUp[round]),
                        d.observed(), d.dropped(), d.alertsOpened());
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        // The first round warms the JIT up; it counts only when it is the only one.
        int from = rounds > 1 ? 1 : 0;
        double medianOff = median(off, from);
        double medianOn = median(on, from);
        System.out.printf(Locale.ROOT, "median of rounds %d-%d: off %,.0f routes/s, on %,.0f routes/s: ratio %.3f"
                        + " (target: at least 0.90); detection caught up at %,.0f routes/s end to end (ratio %.3f)%n",
                from + 1, rounds, medianOff, medianOn, medianOn / medianOff, median(caughtUp, from),
                median(caughtUp, from) / medianOff);
        // Each round's on/off ratio too: one garbage collection more or less in a sub-second load
        // moves a round by a fifth, so the spread says how far one median can be trusted.
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            ratios[round] = on[round] / off[round];
        }
        double[] sorted = Arrays.copyOfRange(ratios, from, rounds);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "ratio of each round %d-%d: min %.3f, quartiles %.3f / %.3f / %.3f, max %.3f%n",
                from + 1, rounds, sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75),
                sorted[sorted.length - 1]);
    }

    /** The {@code q} quantile of sorted {@code v}, interpolated between its neighbours. */
    private static double quantile(double[] v, double q) {
        double at = q * (v.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, v.length - 1);
        return v[below] + (v[above] - v[below]) * (at - below);
    }

    /** Seconds to load the tables into a RIB whose events are only counted, as {@link RibLoad} does. */
    private static double withoutDetection(List<List<RouteUpdate>> tables) throws Exception {
        Rib rib = new Rib(RibLoad.counting(new AtomicLong()));
        return RibLoad.load(rib, tables);
    }

    private static Detected withDetection(List<List<RouteUpdate>> tables, Path file, TableMonitors monitors,
                                          int queue, long timeoutSeconds) throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        DetectionFeed feed = new DetectionFeed(queue, metrics);
        // The service's listeners in its order: route history first (counted here, as in RibLoad), then detection.
        Rib rib = new Rib(RouteEventListener.all(List.of(RibLoad.counting(new AtomicLong()), feed)));
        Alerts alerts = new Alerts(new InMemoryAlertStore(), ALERT_EVIDENCE);
        TableMonitors.Monitored target = monitors.prefixes().get(0);
        String sentinelKey = target.hijackAlertKey(SENTINEL_ASN);
        CountDownLatch sentinelSeen = new CountDownLatch(1);
        alerts.addListener(new AlertListener() {
            @Override
            public void opened(Alert alert) {
                if (alert.key().equals(sentinelKey)) {
                    sentinelSeen.countDown();
                }
            }

            @Override
            public void updated(Alert alert) {
            }

            @Override
            public void resolved(Alert alert) {
            }
        });
        Detection detection = new Detection(rib, feed, MonitorsFile.open(file, Clock.systemUTC()), alerts,
                Clock.systemUTC(), metrics);
        // The first detector is built here, from the still empty RIB, so the thread starts with no replay to do.
        detection.catchUp();
        detection.start();
        boolean stopped = false;
        try {
            long start = System.nanoTime();
            double collectorSeconds = RibLoad.load(rib, tables);
            // After the table, from a router of its own: the detection thread judges events in order, and
            // after an overflow reads the RIB (this route included) once the queue is empty.
            Session session = rib.openSession(new RouterId("192.0.2.250"), 250);
            rib.apply(session, PeerKey.global(InetAddress.getByName("198.51.100.250")), RibView.ADJ_RIB_IN_PRE,
                    target.hijackedBy(64_500, SENTINEL_ASN, System.currentTimeMillis()));
            double caughtUpSeconds = sentinelSeen.await(timeoutSeconds, TimeUnit.SECONDS)
                    ? (System.nanoTime() - start) / 1e9 : Double.NaN;
            // Stopped (the thread joined) before its counters are read: it counts a batch after judging it.
            detection.stop(Duration.ofSeconds(10));
            stopped = true;
            long observed = (long) metrics.get("rampart_detect_observations_total").counter().count();
            long dropped = (long) metrics.get("rampart_detect_observations_dropped_total").counter().count();
            int opened = (int) alerts.all().stream().filter(alert -> !alert.key().equals(sentinelKey)).count();
            return new Detected(collectorSeconds, caughtUpSeconds, observed, dropped, opened);
        } finally {
            if (!stopped) {
                detection.stop(Duration.ofSeconds(10));
            }
        }
    }

    /** Collects the previous run's RIB before the next run is timed, so that neither pays for the other's garbage. */
    private static void settle() {
        System.gc();
    }

    private static double median(double[] values, int from) {
        double[] v = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
