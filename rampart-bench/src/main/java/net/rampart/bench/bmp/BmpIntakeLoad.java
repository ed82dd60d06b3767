package net.rampart.bench.bmp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.rampart.bench.Args;
import net.rampart.bench.VrpSetGenerator;
import net.rampart.collector.bmp.SourceAllowlist;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.rpki.RoaIndex;
import net.rampart.server.collector.BmpCollector;
import net.rampart.server.config.CollectorConfig;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.TimePartitions;

/**
 * BMP intake in one process: the service's BMP collector ({@link BmpCollector}: the listener,
 * each router's session, the decoders) and a RIB on loopback, and {@code --routers} simulated
 * routers sending {@link BmpFeed}'s full table over TCP, as {@link BmpReplayLoad} does to a
 * running service. What it adds: what a route costs on the intake path — bytes allocated and CPU
 * time of the collector's router threads ({@code bmp-router-*}, which frame, decode, validate
 * and apply every route and hand its event to the listener), divided by the routes.
 *
 * <p>Every route is validated against {@code --vrps} generated VRPs as it is stored, as the
 * service does. The route events go to a listener that counts them, and with {@code --history
 * true} also to route history as the service records it (one {@link HistoryRecorder}, its spool,
 * an embedded PostgreSQL started once for the run): its hand-over then counts on the intake
 * threads, and its database work competes for the same cores. The durable figure is
 * {@code RibLoad --database}'s. Each round starts a fresh RIB and collector (JIT warm from the
 * rounds before); the first round is JIT warm-up.
 *
 * <pre>
 * java -Xmx6g -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' \
 *     net.rampart.bench.bmp.BmpIntakeLoad [options]
 *   --ipv4 N             IPv4 prefixes of the table (1000000)
 *   --ipv6 N             IPv6 prefixes of the table (200000)
 *   --single true        one prefix per UPDATE instead of packed UPDATEs (false)
 *   --routers N          routers sending the table at once, each from its own loopback address (1)
 *   --vrps N             generated VRPs every route is validated against (800000; 0: none)
 *   --history true       route events also to route history in an embedded PostgreSQL (false)
 *   --rounds N           rounds (5)
 *   --timeout-seconds N  for each round (300)
 * </pre>
 */
public final class BmpIntakeLoad {

    private static final String ROUTER_THREADS = "bmp-router-";

    private BmpIntakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Args.BadOption e) {
            System.err.println("BmpIntakeLoad: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--ipv4", "1000000", "--ipv6", "200000", "--single", "false",
                "--routers", "1", "--vrps", "800000", "--rounds", "5", "--timeout-seconds", "300", "--history", "false"));
        if (Boolean.parseBoolean(a.get("--history"))) {
            Path dir = Files.createTempDirectory("rampart-bench-intake");
            try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
                TimePartitions partitions = new TimePartitions(db.dataSource());
                RefusedRows refused = new RefusedRows(db.dataSource());
                HistoryBatches batches = new HistoryBatches();
                run(a, round -> HistoryRecorder.start(new PostgresRouteHistory(db.dataSource(), partitions, refused,
                                batches),
                        HistorySettings.defaults(dir.resolve("spool-" + round)), () -> { }));
            } finally {
                try (var files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        } else {
            run(a, round -> null);
        }
    }

    /** Route history for a round, or null to count the route events only. */
    private interface History {
        HistoryRecorder start(int round) throws IOException;
    }

    private static void run(Map<String, String> a, History history) throws Exception {
        boolean packed = !Boolean.parseBoolean(a.get("--single"));
        int routers = Args.integer(a, "--routers", 1);
        int vrps = Args.integer(a, "--vrps", 0);
        int rounds = Args.integer(a, "--rounds", 1);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Args.integer(a, "--timeout-seconds", 1));
        BmpFeed feed = BmpFeed.fullTable(Args.integer(a, "--ipv4", 0), Args.integer(a, "--ipv6", 0), packed);
        OriginValidator validator = vrps == 0 ? OriginValidator.NONE
                : new RoaIndex(VrpSetGenerator.generate(vrps, 1))::state;
        long expected = feed.routes * routers;
        System.out.printf(Locale.ROOT, "feed: %d routes in %d Route Monitoring messages (%s), %.1f MB; %d router(s)"
                        + " at once; %d VRPs%n", feed.routes, feed.routeMonitoring,
                packed ? "packed UPDATEs" : "one prefix per UPDATE", feed.bytes.length / 1e6, routers, vrps);
        double[] rates = new double[rounds];
        double[] bytesPerRoute = new double[rounds];
        double[] cpuPerRoute = new double[rounds];
        for (int round = 1; round <= rounds; round++) {
            AtomicLong events = new AtomicLong();
            HistoryRecorder recorder = history.start(round);
            Rib rib = new Rib(recorder == null ? counting(events)
                    : RouteEventListener.all(List.of(counting(events), recorder)));
            rib.revalidate(validator, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            BmpCollector collector = new BmpCollector(new CollectorConfig(SourceAllowlist.parse("127.0.0.0/8")),
                    InetAddress.getLoopbackAddress(), port, rib, SessionEvents.NONE, new SimpleMeterRegistry());
            collector.start();
            List<Socket> sockets = new ArrayList<>();
            try {
                long start = System.nanoTime();
                List<Thread> senders = send(feed, routers, port, sockets);
                long deadline = start + timeoutNanos;
                while (rib.routeCount() < expected && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                for (Thread t : senders) {
                    t.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                }
                if (rib.routeCount() < expected) {
                    System.out.printf(Locale.ROOT, "round %d: NOT all routes in the RIB within the timeout: %d of %d%n",
                            round, rib.routeCount(), expected);
                    return;
                }
                long[] cost = routerThreadCost();
                int i = round - 1;
                rates[i] = expected / seconds;
                bytesPerRoute[i] = cost[0] / (double) expected;
                cpuPerRoute[i] = cost[1] / (double) expected;
                System.out.printf(Locale.ROOT, "round %d: %d routes in the RIB after %.3f s (%,.0f routes/s); route"
                                + " events %d; intake threads: %.1f bytes allocated and %.0f ns CPU per route%n",
                        round, expected, seconds, rates[i], events.get(), bytesPerRoute[i], cpuPerRoute[i]);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
                collector.stop(Duration.ofSeconds(30));
                if (recorder != null) {
                    // What the database has not taken yet goes to the spool; the next round has its own.
                    recorder.close();
                }
            }
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT, "rounds 2-%d, median: %,.0f routes/s (%,.0f - %,.0f); %.1f bytes allocated"
                            + " and %.0f ns CPU per route on the intake threads%n", rounds,
                    median(rates), min(rates), max(rates), median(bytesPerRoute), median(cpuPerRoute));
        }
    }

    /** Every router sends the feed from 127.0.0.(10 + n) on its own thread. */
    private static List<Thread> send(BmpFeed feed, int routers, int port, List<Socket> sockets) throws IOException {
        List<Thread> senders = new ArrayList<>();
        for (int r = 0; r < routers; r++) {
            Socket socket = new Socket();
            sockets.add(socket);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (10 + r)), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            senders.add(Thread.ofPlatform().name("router-" + r).start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(feed.bytes);
                    out.flush();
                } catch (IOException e) {
                    System.err.println("a router could not send its feed: " + e.getMessage());
                }
            }));
        }
        return senders;
    }

    /**
     * Bytes allocated and CPU nanoseconds of the collector's router threads since they started:
     * each collector's threads are its own, so this is what the round's intake cost.
     */
    private static long[] routerThreadCost() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = 0;
        long cpu = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(ROUTER_THREADS)) {
                bytes += Math.max(0, threads.getThreadAllocatedBytes(t.threadId()));
                cpu += Math.max(0, threads.getThreadCpuTime(t.threadId()));
            }
        }
        return new long[] {bytes, cpu};
    }

    private static RouteEventListener counting(AtomicLong events) {
        return new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> batch) {
                events.addAndGet(batch.size());
            }
        };
    }

    /** The median of every round but the first (JIT warm-up). */
    private static double median(double[] perRound) {
        double[] v = Arrays.copyOfRange(perRound, 1, perRound.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(double[] perRound) {
        return Arrays.stream(perRound, 1, perRound.length).min().orElse(Double.NaN);
    }

    private static double max(double[] perRound) {
        return Arrays.stream(perRound, 1, perRound.length).max().orElse(Double.NaN);
    }
}
