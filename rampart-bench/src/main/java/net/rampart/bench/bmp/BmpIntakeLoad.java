package net.rampart.bench.bmp;

import io.micrometer.core.instrument.Counter;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.rampart.bench.Args;
import net.rampart.bench.VrpSetGenerator;
import net.rampart.bench.rib.TableMonitors;
import net.rampart.collector.history.BatchSpool;
import net.rampart.collector.bmp.SourceAllowlist;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.kafka.KafkaBroker;
import net.rampart.kafka.PublishingSession;
import net.rampart.kafka.RawBmpPublisher;
import net.rampart.learn.churn.ChurnCounter;
import net.rampart.learn.churn.PrefixGroups;
import net.rampart.rpki.RoaIndex;
import net.rampart.server.collector.BmpCollector;
import net.rampart.server.config.CollectorConfig;
import net.rampart.server.detect.Detection;
import net.rampart.server.detect.DetectionFeed;
import net.rampart.server.detect.MonitorsFile;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.TimePartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

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
 * {@code RibLoad --database}'s. Each load starts a fresh RIB and collector (JIT warm from the
 * rounds before, the previous load's garbage collected); the first round is JIT warm-up.
 *
 * <p>With {@code --monitored N} each round loads the feed twice, detection off and on, the one
 * that goes first alternating from round to round so that neither always meets the heap the
 * other left. "On" wires the route events as the service does: after the counting listener (and
 * route history) they go to {@link DetectionFeed}'s bounded queue, and a started {@link Detection}
 * thread judges them against a monitors file of {@code N} prefixes of the feed's own table
 * ({@link TableMonitors}). The load's time is the collector's, which never waits for detection;
 * after it the tool waits for the detection thread to have judged every route event, and reports
 * how many the queue dropped: a detector falling behind shows there, not as faster ingest.
 *
 * <p>With {@code --kafka true} each round also loads the feed twice, the Kafka feed off and on:
 * "on" publishes every BMP message as the service does ({@link PublishingSession} in front of each
 * router's session, a {@link RawBmpPublisher} with its spool) to Apache Kafka's own broker,
 * started once for the run on the same cores. After the load the tool waits until the broker has
 * acknowledged every frame, and reports that time, the CPU of the publisher's threads and the CPU
 * the broker's process used from the load's start until then.
 *
 * <pre>
 * java -Xms6g -Xmx6g -XX:+AlwaysPreTouch -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' \
 *     net.rampart.bench.bmp.BmpIntakeLoad [options]
 *   --ipv4 N             IPv4 prefixes of the table (1000000)
 *   --ipv6 N             IPv6 prefixes of the table (200000)
 *   --single true        one prefix per UPDATE instead of packed UPDATEs (false)
 *   --routers N          routers sending the table at once, each from its own loopback address (1)
 *   --vrps N             generated VRPs every route is validated against (800000; 0: none)
 *   --history true       route events also to route history in an embedded PostgreSQL (false)
 *   --monitored N        each round also with detection on, N prefixes of the table monitored (0: off only)
 *   --kafka true         each round also with the Kafka feed on, to a broker on loopback (false)
 *   --kafka-compression C  the producer's compression.type instead of the service's (lz4)
 *   --kafka-parsed true  also OpenBMP's parsed topics, as RAMPART_KAFKA_PUBLISH=raw,parsed (false)
 *   --churn true         route events also to churn anomalies' counter, as RAMPART_CHURN_ANOMALIES=true (false)
 *   --rounds N           rounds (5)
 *   --timeout-seconds N  for each load, and for the detection thread after it (300)
 * </pre>
 */
public final class BmpIntakeLoad {

    private static final String ROUTER_THREADS = "bmp-router-";
    private static final String DETECTION_THREAD = "detection";
    /** The publisher's sender thread and the Kafka producer's network thread. */
    private static final String KAFKA_THREADS = "kafka-";
    private static final String KAFKA_PREFIX = "rampart-bench";
    private static final int KAFKA_QUEUE = 100_000;
    /** The detection queue's capacity in batches and the evidence each alert keeps, as the service's. */
    private static final int DETECTION_QUEUE = 65_536;
    private static final int ALERT_EVIDENCE = 50;

    private BmpIntakeLoad() {
    }

    /** One load of the feed: its time, what the intake threads spent per route, and detection's part when on. */
    private record Load(double seconds, long events, double bytesPerRoute, double cpuPerRoute, Detected detected,
                        Published published) {
    }

    /**
     * What the Kafka feed did in a load with it on: frames published, acknowledged, spooled and
     * lost; whether every frame was acknowledged within the timeout and when, from the load's
     * start; the CPU of the publisher's and the producer's threads per route, and the broker
     * process's from the load's start until then.
     */
    private record Published(long frames, long acknowledged, long spooled, long lost, boolean caughtUp,
                             double seconds, double cpuPerRoute, double brokerCpuPerRoute) {
    }

    /**
     * What the detection thread did in a load with detection on: whether it judged every route
     * event within the timeout, and when, from the load's start.
     */
    private record Detected(boolean caughtUp, double seconds, long observed, long dropped, double cpuPerRoute) {
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
        Map<String, String> a = Args.parse(args, Map.ofEntries(Map.entry("--ipv4", "1000000"),
                Map.entry("--ipv6", "200000"), Map.entry("--single", "false"), Map.entry("--routers", "1"),
                Map.entry("--vrps", "800000"), Map.entry("--rounds", "5"), Map.entry("--timeout-seconds", "300"),
                Map.entry("--history", "false"), Map.entry("--monitored", "0"), Map.entry("--kafka", "false"),
                Map.entry("--kafka-compression", "lz4"), Map.entry("--kafka-parsed", "false"),
                Map.entry("--churn", "false")));
        if (Boolean.parseBoolean(a.get("--kafka")) && Args.integer(a, "--monitored", 0) > 0) {
            throw new Args.BadOption("--kafka and --monitored each pair loads off and on: one at a time");
        }
        Path dir = Files.createTempDirectory("rampart-bench-intake");
        try {
            if (Boolean.parseBoolean(a.get("--history"))) {
                try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
                    TimePartitions partitions = new TimePartitions(db.dataSource());
                    RefusedRows refused = new RefusedRows(db.dataSource());
                    HistoryBatches batches = new HistoryBatches();
                    run(a, dir, load -> HistoryRecorder.start(new PostgresRouteHistory(db.dataSource(), partitions,
                                    refused, batches),
                            HistorySettings.defaults(dir.resolve("spool-" + load)), reason -> { }));
                }
            } else if (Boolean.parseBoolean(a.get("--kafka"))) {
                try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")))) {
                    run(a, dir, load -> null, broker);
                }
            } else {
                run(a, dir, load -> null);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** Route history for a load, or null to count the route events only. */
    private interface History {
        HistoryRecorder start(String load) throws IOException;
    }

    private static void run(Map<String, String> a, Path dir, History history) throws Exception {
        run(a, dir, history, null);
    }

    /** @param kafka the broker of the loads with the Kafka feed on, null when it is off */
    private static void run(Map<String, String> a, Path dir, History history, KafkaBroker kafka) throws Exception {
        int rounds = Args.integer(a, "--rounds", 1);
        Intake intake = Intake.prepare(a, dir, history, kafka);
        if (intake.monitors == null && kafka == null) {
            withoutDetection(intake, rounds);
        } else {
            pairs(intake, rounds);
        }
    }

    private static void withoutDetection(Intake intake, int rounds) throws Exception {
        double[] rates = new double[rounds];
        double[] bytesPerRoute = new double[rounds];
        double[] cpuPerRoute = new double[rounds];
        for (int round = 1; round <= rounds; round++) {
            Load load = intake.load(String.valueOf(round), false);
            if (load == null) {
                return;
            }
            int i = round - 1;
            rates[i] = intake.expected / load.seconds();
            bytesPerRoute[i] = load.bytesPerRoute();
            cpuPerRoute[i] = load.cpuPerRoute();
            System.out.printf(Locale.ROOT, "round %d: %d routes in the RIB after %.3f s (%,.0f routes/s); route"
                            + " events %d; intake threads: %.1f bytes allocated and %.0f ns CPU per route%n",
                    round, intake.expected, load.seconds(), rates[i], load.events(), bytesPerRoute[i], cpuPerRoute[i]);
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT, "rounds 2-%d, median: %,.0f routes/s (%,.0f - %,.0f); %.1f bytes allocated"
                            + " and %.0f ns CPU per route on the intake threads%n", rounds,
                    median(rates), min(rates), max(rates), median(bytesPerRoute), median(cpuPerRoute));
        }
    }

    /** Each round a load with detection (or the Kafka feed) off and one with it on, in alternating order. */
    private static void pairs(Intake intake, int rounds) throws Exception {
        String feature = intake.kafka != null ? "Kafka feed" : "detection";
        double[] off = new double[rounds];
        double[] on = new double[rounds];
        double[] ratio = new double[rounds];
        double[] cpuOff = new double[rounds];
        double[] cpuOn = new double[rounds];
        double[] bytesOff = new double[rounds];
        double[] bytesOn = new double[rounds];
        long lost = 0;
        int behind = 0;
        for (int round = 1; round <= rounds; round++) {
            boolean onFirst = round % 2 == 0;
            Load first = intake.load(round + (onFirst ? "-on" : "-off"), onFirst);
            Load second = first == null ? null : intake.load(round + (onFirst ? "-off" : "-on"), !onFirst);
            if (second == null) {
                return;
            }
            Load without = onFirst ? second : first;
            Load with = onFirst ? first : second;
            int i = round - 1;
            off[i] = intake.expected / without.seconds();
            on[i] = intake.expected / with.seconds();
            ratio[i] = on[i] / off[i];
            cpuOff[i] = without.cpuPerRoute();
            cpuOn[i] = with.cpuPerRoute();
            bytesOff[i] = without.bytesPerRoute();
            bytesOn[i] = with.bytesPerRoute();
            String onReport;
            if (with.detected() != null) {
                Detected d = with.detected();
                lost += d.dropped();
                behind += d.caughtUp() ? 0 : 1;
                onReport = String.format(Locale.ROOT, "detection thread %s, %,d route events judged, %,d dropped by"
                                + " the queue, %.0f ns CPU per route", d.caughtUp() ? String.format(Locale.ROOT,
                                "caught up after %.3f s", d.seconds()) : "NOT caught up within the timeout",
                        d.observed(), d.dropped(), d.cpuPerRoute());
            } else {
                Published p = with.published();
                lost += p.lost();
                behind += p.caughtUp() ? 0 : 1;
                onReport = String.format(Locale.ROOT, "Kafka: %,d frames published, %s, %,d spooled, %,d lost;"
                                + " publisher and producer threads %.0f ns CPU per route, broker %.0f ns", p.frames(),
                        p.caughtUp() ? String.format(Locale.ROOT, "all acknowledged after %.3f s", p.seconds())
                                : "NOT all acknowledged within the timeout (" + p.acknowledged() + ")",
                        p.spooled(), p.lost(), p.cpuPerRoute(), p.brokerCpuPerRoute());
            }
            System.out.printf(Locale.ROOT, "round %d (%s first): %s off %,.0f routes/s, on %,.0f routes/s:"
                            + " ratio %.3f; intake threads per route: off %.0f ns CPU and %.0f B, on %.0f ns CPU and"
                            + " %.0f B; %s%n",
                    round, onFirst ? "on" : "off", feature, off[i], on[i], ratio[i], cpuOff[i], bytesOff[i], cpuOn[i],
                    bytesOn[i], onReport);
        }
        if (rounds > 1) {
            double medianOff = median(off);
            double medianOn = median(on);
            System.out.printf(Locale.ROOT, "rounds 2-%d, median: %s off %,.0f routes/s, on %,.0f routes/s:"
                            + " ratio %.3f (target: at least %s); each round's ratio: median %.3f (%.3f - %.3f);"
                            + " intake threads per route: off %.0f ns CPU and %.0f B, on %.0f ns CPU and %.0f B%n",
                    rounds, feature, medianOff, medianOn, medianOn / medianOff, intake.kafka != null ? "0.80" : "0.90",
                    median(ratio), min(ratio), max(ratio), median(cpuOff), median(bytesOff), median(cpuOn),
                    median(bytesOn));
        }
        System.out.printf(Locale.ROOT, "%s: %s; %,d %s in all%n", feature,
                behind == 0 ? "caught up in every round" : "NOT caught up in " + behind + " round(s)", lost,
                intake.kafka != null ? "frames lost" : "route events dropped by the queue");
    }

    /** Loads of the feed, each into a fresh RIB and collector. */
    private static final class Intake {
        final long expected;
        /** The monitors file of the loads with detection on; null when every load has it off. */
        final Path monitors;
        private final BmpFeed feed;
        private final int routers;
        /** The broker of the loads with the Kafka feed on; null when every load has it off. */
        final KafkaBroker kafka;
        private final String compression;
        private final RawBmpPublisher.Topics topics;
        private final boolean churn;
        private final Path dir;
        private final OriginValidator validator;
        private final long timeoutNanos;
        private final History history;

        private Intake(BmpFeed feed, Path monitors, KafkaBroker kafka, String compression, RawBmpPublisher.Topics topics,
                       boolean churn, Path dir, int routers, OriginValidator validator, long timeoutNanos,
                       History history) {
            this.feed = feed;
            this.churn = churn;
            this.kafka = kafka;
            this.compression = compression;
            this.topics = topics;
            this.dir = dir;
            this.monitors = monitors;
            this.routers = routers;
            this.validator = validator;
            this.timeoutNanos = timeoutNanos;
            this.history = history;
            this.expected = feed.routes * routers;
        }

        /**
         * The feed of the options' table, and with {@code --monitored} a monitors file of the
         * table's prefixes in {@code dir}. The table itself is not kept: the loads need its bytes only.
         */
        static Intake prepare(Map<String, String> a, Path dir, History history, KafkaBroker kafka) throws IOException {
            boolean packed = !Boolean.parseBoolean(a.get("--single"));
            int routers = Args.integer(a, "--routers", 1);
            int vrps = Args.integer(a, "--vrps", 0);
            int monitored = Args.integer(a, "--monitored", 0);
            List<RouteUpdate> table = BmpFeed.fullTableUpdates(Args.integer(a, "--ipv4", 0),
                    Args.integer(a, "--ipv6", 0), packed);
            BmpFeed feed = BmpFeed.of(table);
            Path monitors = monitored == 0 ? null
                    : TableMonitors.pick(table, monitored).write(dir.resolve("monitors.yaml"), null, List.of());
            OriginValidator validator = vrps == 0 ? OriginValidator.NONE
                    : new RoaIndex(VrpSetGenerator.generate(vrps, 1))::state;
            System.out.printf(Locale.ROOT, "feed: %d routes in %d Route Monitoring messages (%s), %.1f MB; %d"
                            + " router(s) at once; %d VRPs; %s%n", feed.routes, feed.routeMonitoring,
                    packed ? "packed UPDATEs" : "one prefix per UPDATE", feed.bytes.length / 1e6, routers, vrps,
                    kafka != null ? "Kafka feed off and on, broker " + kafka.bootstrap() + ", compression " + a.get("--kafka-compression")
                            + (Boolean.parseBoolean(a.get("--kafka-parsed")) ? ", raw and parsed topics" : ", raw topic")
                            : monitored == 0 ? "detection off" : "detection off and on, " + monitored + " monitored prefixes");
            if (Boolean.parseBoolean(a.get("--churn"))) {
                System.out.println("route events also counted by churn anomalies' counter");
            }
            return new Intake(feed, monitors, kafka, a.get("--kafka-compression"),
                    RawBmpPublisher.Topics.openBmp(KAFKA_PREFIX, true, Boolean.parseBoolean(a.get("--kafka-parsed"))),
                    Boolean.parseBoolean(a.get("--churn")), dir, routers, validator,
                    TimeUnit.SECONDS.toNanos(Args.integer(a, "--timeout-seconds", 1)), history);
        }

        /**
         * One load, with {@code detection} on or off; null (the shortfall printed) when not every
         * route reached the RIB within the timeout.
         */
        Load load(String name, boolean on) throws Exception {
            boolean detection = on && monitors != null;
            Map<String, Object> producer = new HashMap<>(RawBmpPublisher.producerSettings(kafka == null ? "" : kafka.bootstrap()));
            producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
            RawBmpPublisher publisher = on && kafka != null ? new RawBmpPublisher(
                    new KafkaProducer<>(producer), topics, "rampart-bench",
                    KAFKA_QUEUE, BatchSpool.open(dir.resolve("kafka-spool-" + name), 8L << 30, 64L << 20)) : null;
            // The previous load's RIB is garbage now: collected before this load is timed, not during it.
            System.gc();
            AtomicLong events = new AtomicLong();
            HistoryRecorder recorder = history.start(name);
            List<RouteEventListener> listeners = new ArrayList<>(List.of(counting(events)));
            if (recorder != null) {
                listeners.add(recorder);
            }
            if (churn) {
                // The service's default history: 28 days of minutes per scope.
                listeners.add(new ChurnCounter(28 * 24 * 60, PrefixGroups.NONE));
            }
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            DetectionFeed detectionFeed = null;
            if (detection) {
                // Last, as in the service: detection hears the events after route history.
                detectionFeed = new DetectionFeed(DETECTION_QUEUE, metrics);
                listeners.add(detectionFeed);
            }
            Rib rib = new Rib(RouteEventListener.all(listeners));
            rib.revalidate(validator, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
            Detection detector = null;
            if (detection) {
                Clock clock = Clock.systemUTC();
                detector = new Detection(rib, detectionFeed, MonitorsFile.open(monitors, clock),
                        new Alerts(new InMemoryAlertStore(), ALERT_EVIDENCE), clock, metrics);
                // The first detector is built here, from the still empty RIB, so the thread starts with no replay to do.
                detector.catchUp();
                detector.start();
            }
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Clock clock = Clock.systemUTC();
            BmpCollector collector = new BmpCollector(new CollectorConfig(SourceAllowlist.parse("127.0.0.0/8")),
                    InetAddress.getLoopbackAddress(), port, rib, SessionEvents.NONE, new SimpleMeterRegistry(),
                    publisher == null ? BmpCollector.OWN_SESSIONS
                            : (router, session) -> new PublishingSession(session, publisher.router(router, ""), clock));
            collector.start();
            List<Socket> sockets = new ArrayList<>();
            try {
                long brokerCpu = publisher == null ? 0 : kafka.cpuTime().toNanos();
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
                    System.out.printf(Locale.ROOT, "load %s: NOT all routes in the RIB within the timeout: %d of %d%n",
                            name, rib.routeCount(), expected);
                    return null;
                }
                long[] cost = threadCost(ROUTER_THREADS);
                Detected detected = detector == null ? null : awaitDetection(metrics, start);
                Published published = publisher == null ? null : awaitAcknowledged(publisher, start, brokerCpu);
                return new Load(seconds, events.get(), cost[0] / (double) expected, cost[1] / (double) expected,
                        detected, published);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
                if (detector != null) {
                    detector.stop(Duration.ofSeconds(30));
                }
                collector.stop(Duration.ofSeconds(30));
                if (publisher != null) {
                    publisher.close(Duration.ofSeconds(30));
                }
                if (recorder != null) {
                    // What the database has not taken yet goes to the spool; the next load has its own.
                    recorder.close();
                }
            }
        }

        /**
         * Waits until the broker has acknowledged, or the publisher lost, every frame it accepted.
         *
         * @param brokerCpu the broker process's CPU time, in nanoseconds, when the load started
         */
        private Published awaitAcknowledged(RawBmpPublisher publisher, long start, long brokerCpu) {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!settled(publisher) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Published(publisher.published(), publisher.acknowledged(), publisher.spooled(),
                    publisher.overflowed() + publisher.dropped() + publisher.failed(), settled(publisher), seconds,
                    threadCost(KAFKA_THREADS)[1] / (double) expected,
                    (kafka.cpuTime().toNanos() - brokerCpu) / (double) expected);
        }

        /** Every message made into its records, and every record acknowledged or failed. */
        private boolean settled(RawBmpPublisher publisher) {
            long made = 0;
            for (String topic : topics.names()) {
                made += publisher.records(topic, RawBmpPublisher.Outcome.PUBLISHED);
            }
            return publisher.spoolBytes() == 0 && publisher.waiting() == 0
                    && publisher.records(topics.raw(), RawBmpPublisher.Outcome.PUBLISHED) >= publisher.published()
                    && publisher.acknowledged() + publisher.failed() >= made;
        }

        /**
         * Waits until the detection thread has judged as many route events as the load made (it
         * counts each batch once judged; after a drop it reads the RIB again, which counts too).
         */
        private Detected awaitDetection(SimpleMeterRegistry metrics, long start) {
            Counter observed = metrics.get("rampart_detect_observations_total").counter();
            long deadline = System.nanoTime() + timeoutNanos;
            while (observed.count() < expected && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
            boolean caughtUp = observed.count() >= expected;
            double seconds = (System.nanoTime() - start) / 1e9;
            long dropped = (long) metrics.get("rampart_detect_observations_dropped_total").counter().count();
            return new Detected(caughtUp, seconds, (long) observed.count(), dropped,
                    threadCost(DETECTION_THREAD)[1] / (double) expected);
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
     * Bytes allocated and CPU nanoseconds since they started of the threads whose names start
     * with {@code prefix}: each load's collector and detection threads are its own, so this is
     * what the load cost them.
     */
    private static long[] threadCost(String prefix) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = 0;
        long cpu = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
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
