package net.rampart.bench.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import net.rampart.bench.Args;
import net.rampart.collector.rib.Rib;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.server.RampartService;
import net.rampart.server.config.RisLiveConfig;
import net.rampart.server.detect.Detection;
import net.rampart.server.detect.DetectionFeed;
import net.rampart.server.detect.MonitorsFile;
import net.rampart.server.detect.RisLiveClient;

/**
 * What the service sustains of RIS Live: a RIS Live server in this tool (Javalin on loopback,
 * speaking RIS Live's message format) sends generated {@code ris_message} UPDATEs
 * ({@link RisLiveTraffic}) at a fixed offered rate, or as fast as the socket takes them with
 * {@code --max true}, to the service's own {@link RisLiveClient}, which decodes them and queues
 * their routes on {@link DetectionFeed} for the {@link Detection} thread, as {@code
 * RampartService} puts them together (RPKI off: no VRPs, no validation). The server starts
 * sending once the client has subscribed to every monitored prefix.
 *
 * <p>Reported: messages offered per second, received per second by the client (its
 * {@code rampart_detect_ris_live_messages_total}), observations judged per second by the
 * detection thread ({@code rampart_detect_observations_total}), malformed messages, routes the
 * queue dropped, the queue's deepest sampled backlog, and each message's lag from its send to
 * the client having decoded it and to the detection thread having judged all its routes. The lag
 * is found without touching the service: the tool knows each message's routes, the queue is
 * first in first out, and a sampler thread reads the two counters every millisecond; a message
 * is judged at the first sample whose count reaches the routes sent up to it (so the lag is up
 * to about a millisecond late, and is not valid once the queue drops, since the detector's
 * reading again counts as judged routes too).
 *
 * <p>The rate was sustained when the offered rate reached 99 % of {@code --rate} (the server's
 * sends block when the client does not read, so a slow client shows here first), nothing was
 * dropped or malformed, every message was judged within {@code --drain-seconds} of the last
 * send, and the p99 lag of the last quarter of the messages stayed within {@code --max-lag-ms}
 * (a backlog that grows through the run shows as a lag that grows with it).
 *
 * <pre>
 * java -Xmx2g -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' \
 *     net.rampart.bench.detect.RisLiveLoad [options]
 *   --rate N             messages per second offered (10000)
 *   --seconds N          how long to send (30)
 *   --max true           send as fast as the socket takes them instead, for --seconds (false)
 *   --monitored N        monitored prefixes, subscribed to with their more-specifics (10000)
 *   --queue N            the detection queue's capacity in batches (65536, as the service's)
 *   --max-lag-ms N       the p99 lag of the last quarter that still counts as sustained (1000)
 *   --drain-seconds N    how long to wait after the last send for the client and detection (60)
 *   --seed N             of the generated messages (1)
 * </pre>
 */
public final class RisLiveLoad {

    /** Bounds the per-message bookkeeping (16 bytes each) whatever the options. */
    static final int MAX_MESSAGES = 10_000_000;
    private static final int MAX_SECONDS = 600;
    private static final int ALERT_EVIDENCE = 50;
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(60);
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RisLiveLoad() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Args.BadOption e) {
            System.err.println("RisLiveLoad: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--rate", "10000", "--seconds", "30", "--max", "false",
                "--monitored", "10000", "--queue", "65536", "--max-lag-ms", "1000", "--drain-seconds", "60",
                "--seed", "1"));
        boolean max = bool(a, "--max");
        int rate = Args.integer(a, "--rate", 1);
        int seconds = bounded(a, "--seconds", 1, MAX_SECONDS);
        int drainSeconds = bounded(a, "--drain-seconds", 1, MAX_SECONDS);
        int queue = Args.integer(a, "--queue", 1);
        int maxLagMillis = Args.integer(a, "--max-lag-ms", 1);
        if (!max && (long) rate * seconds > MAX_MESSAGES) {
            throw new Args.BadOption("--rate " + rate + " for --seconds " + seconds + ": more than " + MAX_MESSAGES
                    + " messages in all");
        }
        RisLiveTraffic traffic = new RisLiveTraffic(Args.integer(a, "--monitored", 1), Args.integer(a, "--seed", 0));
        System.out.printf(Locale.ROOT, "RIS Live: %d monitored prefixes (subscribed with more-specifics), %d RIS"
                        + " peers; %s for %d s; detection queue %d batches; load average %.2f%n",
                traffic.monitored(), traffic.peers(), max ? "as fast as the socket takes them"
                        : String.format(Locale.ROOT, "%,d messages/s offered", rate), seconds, queue, loadAverage());

        Path dir = Files.createTempDirectory("rampart-bench-rislive");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        RisLiveServer server = RisLiveServer.start();
        Service service = null;
        try {
            service = Service.start(traffic.writeMonitors(dir.resolve("monitors.yaml")), server.url(), queue,
                    metrics);
            WsContext client = server.awaitSubscribed(traffic.monitored(), System.nanoTime()
                    + SUBSCRIBE_TIMEOUT.toNanos());
            Counters counters = new Counters(metrics);
            Sampler sampler = new Sampler(counters);
            Thread sampling = Thread.ofPlatform().name("sampler").daemon(true).start(sampler);
            Sent sent = send(client, traffic, max, rate, seconds);
            boolean drained = drain(counters, sent, System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds));
            sampler.stop = true;
            sampling.join();
            report(sent, counters, sampler, drained, max, rate, maxLagMillis, service.alerts);
        } finally {
            if (service != null) {
                service.stop();
            }
            server.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static boolean bool(Map<String, String> a, String name) {
        String text = a.get(name).strip();
        if (!text.equals("true") && !text.equals("false")) {
            throw new Args.BadOption(name + ": '" + text + "' is not true or false");
        }
        return text.equals("true");
    }

    private static int bounded(Map<String, String> a, String name, int min, int max) {
        int value = Args.integer(a, name, min);
        if (value > max) {
            throw new Args.BadOption(name + ": '" + value + "' is more than " + max);
        }
        return value;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** What was sent: per message, its send time and the routes sent up to and with it. */
    private record Sent(int messages, long startNanos, long endNanos, LongLog sentAt, LongLog routesUpTo,
                        long behindNanos) {
        long routes() {
            return messages == 0 ? 0 : routesUpTo.get(messages - 1);
        }
    }

    /**
     * Sends for {@code seconds}: each message at its slot {@code 1/rate} after the one before
     * (late ones at once, so that a stall is caught up as a burst, as a real feed's backlog
     * would be), or back to back with {@code max}. Jetty's send blocks while the client does not
     * read, which holds the offered rate down: the report shows it.
     */
    private static Sent send(WsContext client, RisLiveTraffic traffic, boolean max, int rate, int seconds) {
        LongLog sentAt = new LongLog();
        LongLog routesUpTo = new LongLog();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long limit = max ? MAX_MESSAGES : (long) rate * seconds;
        long routes = 0;
        long behind = 0;
        int i = 0;
        while (i < limit) {
            long now = System.nanoTime();
            if (!max) {
                long slot = start + i * 1_000_000_000L / rate;
                // Bounded: each wait ends at its slot, and the slots end with the run.
                for (long wait = slot - now; wait > 0; wait = slot - now) {
                    LockSupport.parkNanos(wait);
                    now = System.nanoTime();
                }
                behind = now - slot;
            } else if (now >= end) {
                break;
            }
            String message = traffic.next(System.currentTimeMillis());
            routes += traffic.lastRoutes();
            sentAt.add(System.nanoTime());
            routesUpTo.add(routes);
            client.send(message);
            i++;
        }
        return new Sent(i, start, System.nanoTime(), sentAt, routesUpTo, behind);
    }

    /**
     * Waits until the client has every message and the detection thread has judged every route
     * (less those the queue dropped), or {@code deadline}. Returns whether it got there.
     */
    private static boolean drain(Counters counters, Sent sent, long deadline) {
        while (System.nanoTime() < deadline) {
            if (counters.received() >= sent.messages()
                    && counters.judged() >= sent.routes() - counters.droppedRoutes()
                    && counters.queueDepth() == 0) {
                return true;
            }
            LockSupport.parkNanos(SAMPLE_NANOS);
        }
        return false;
    }

    private static void report(Sent sent, Counters counters, Sampler sampler, boolean drained, boolean max, int rate,
                               int maxLagMillis, Alerts alerts) {
        double sendSeconds = (sent.endNanos() - sent.startNanos()) / 1e9;
        long received = counters.received();
        long judged = counters.judged();
        long dropped = counters.droppedRoutes();
        long malformed = counters.malformed();
        double offeredRate = sent.messages() / sendSeconds;
        // Received and judged per second over the same window: from the first send to the last sample that moved.
        double receivedSeconds = (sampler.lastChange(true) - sent.startNanos()) / 1e9;
        double judgedSeconds = (sampler.lastChange(false) - sent.startNanos()) / 1e9;
        System.out.printf(Locale.ROOT, "offered:  %,d messages (%,d routes) in %.2f s: %,.0f messages/s%s%n",
                sent.messages(), sent.routes(), sendSeconds, offeredRate,
                max ? "" : String.format(Locale.ROOT, " (target %,d; the last message %.1f ms behind its slot)",
                        rate, sent.behindNanos() / 1e6));
        System.out.printf(Locale.ROOT, "received: %,d messages by the client: %,.0f messages/s; %d malformed%n",
                received, received / Math.max(receivedSeconds, 1e-9), malformed);
        System.out.printf(Locale.ROOT, "judged:   %,d observations by the detection thread: %,.0f observations/s;"
                        + " %,d routes dropped by the queue; deepest sampled backlog %,d batches%n",
                judged, judged / Math.max(judgedSeconds, 1e-9), dropped, sampler.deepestQueue);
        Map<String, Long> active = new TreeMap<>();
        for (Alert alert : alerts.all()) {
            if (alert.state().active()) {
                active.merge(alert.type().wireName(), 1L, Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "alerts:   %s active; load average %.2f%n", active.isEmpty() ? "none" : active,
                loadAverage());
        if (!drained) {
            System.out.println("NOT drained: the client or the detection thread had not caught up within"
                    + " --drain-seconds");
        }
        boolean lagValid = dropped == 0 && sent.messages() > 0;
        double lastQuarterP99 = Double.NaN;
        if (lagValid) {
            double[] toReceived = lags(sent, sampler, true);
            double[] toJudged = lags(sent, sampler, false);
            int quarter = sent.messages() - sent.messages() / 4;
            double[] lastQuarter = Arrays.copyOfRange(toJudged, Math.min(quarter, toJudged.length), toJudged.length);
            System.out.println("lag, sent -> decoded by the client:           " + summary(toReceived));
            System.out.println("lag, sent -> judged by the detection thread:  " + summary(toJudged));
            System.out.println("lag, sent -> judged, last quarter of the run: " + summary(lastQuarter));
            Arrays.sort(lastQuarter);
            lastQuarterP99 = lastQuarter.length == 0 ? Double.NaN : rank(lastQuarter, 0.99);
        } else if (dropped > 0) {
            System.out.println("lag: not measured, the queue dropped (the detector's reading again counts as"
                    + " judged routes)");
        }
        boolean rateMet = max || offeredRate >= 0.99 * rate;
        boolean sustained = rateMet && drained && dropped == 0 && malformed == 0 && lagValid
                && lastQuarterP99 <= maxLagMillis;
        System.out.printf(Locale.ROOT, "%s%n", max ? "ceiling: " + String.format(Locale.ROOT,
                "%,.0f messages/s offered, %,.0f received, %,.0f observations/s judged%s", offeredRate,
                received / Math.max(receivedSeconds, 1e-9), judged / Math.max(judgedSeconds, 1e-9),
                sustained ? "" : " (with drops, malformed messages or a lag over --max-lag-ms)")
                : String.format(Locale.ROOT, "sustained: %s (offered %s 99 %% of the target, %d dropped, %d malformed,"
                        + " %s, last-quarter p99 lag %.1f ms against %d ms)", sustained ? "YES" : "NO",
                rateMet ? "reached" : "did NOT reach", dropped, malformed, drained ? "drained" : "NOT drained",
                lastQuarterP99, maxLagMillis));
    }

    /**
     * Each message's lag in milliseconds: to the first sample whose count of received messages
     * (or judged routes) reaches it. Counts only grow and the samples are in time order, so one
     * pass does it; a message never reached has no lag and is left out.
     */
    private static double[] lags(Sent sent, Sampler sampler, boolean received) {
        double[] lags = new double[sent.messages()];
        int n = 0;
        int s = 0;
        LongLog counts = received ? sampler.received : sampler.judged;
        for (int i = 0; i < sent.messages(); i++) {
            long needed = received ? i + 1 : sent.routesUpTo().get(i);
            while (s < sampler.times.size() && counts.get(s) < needed) {
                s++;
            }
            if (s == sampler.times.size()) {
                break;
            }
            lags[n++] = Math.max(0, sampler.times.get(s) - sent.sentAt().get(i)) / 1e6;
        }
        return Arrays.copyOf(lags, n);
    }

    private static String summary(double[] millis) {
        if (millis.length == 0) {
            return "no sample";
        }
        double[] v = millis.clone();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "n %,d, p50 %.1f ms, p99 %.1f ms, max %.1f ms", v.length, rank(v, 0.50),
                rank(v, 0.99), v[v.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The service's meters this tool reads. */
    private record Counters(SimpleMeterRegistry metrics) {
        long received() {
            return (long) metrics.get("rampart_detect_ris_live_messages_total").counter().count();
        }

        long malformed() {
            return (long) metrics.get("rampart_detect_ris_live_malformed_total").counter().count();
        }

        long judged() {
            return (long) metrics.get("rampart_detect_observations_total").counter().count();
        }

        long droppedRoutes() {
            return (long) metrics.get("rampart_detect_observations_dropped_total").counter().count();
        }

        long queueDepth() {
            return (long) metrics.get("rampart_detect_queue_depth").gauge().value();
        }
    }

    /** Reads the counters every millisecond until stopped, keeping each reading with its time. */
    private static final class Sampler implements Runnable {
        final LongLog times = new LongLog();
        final LongLog received = new LongLog();
        final LongLog judged = new LongLog();
        private final Counters counters;
        volatile boolean stop;
        volatile long deepestQueue;

        Sampler(Counters counters) {
            this.counters = counters;
        }

        @Override
        public void run() {
            // Bounded: the run stops it once sending and the drain, both bounded, are over.
            while (!stop) {
                long r = counters.received();
                long j = counters.judged();
                long depth = counters.queueDepth();
                times.add(System.nanoTime());
                received.add(r);
                judged.add(j);
                if (depth > deepestQueue) {
                    deepestQueue = depth;
                }
                LockSupport.parkNanos(SAMPLE_NANOS);
            }
        }

        /** When the received (or judged) count last moved; read after the sampler stopped. */
        long lastChange(boolean ofReceived) {
            LongLog counts = ofReceived ? received : judged;
            int last = times.size() - 1;
            int i = last;
            while (i > 0 && counts.get(i - 1) == counts.get(last)) {
                i--;
            }
            return last < 0 ? System.nanoTime() : times.get(i);
        }
    }

    /** A growing list of longs in chunks: no copy as it grows, and memory only for what it holds. */
    static final class LongLog {
        private static final int CHUNK = 1 << 16;
        private long[][] chunks = new long[16][];
        private int size;

        void add(long value) {
            int chunk = size / CHUNK;
            if (chunk == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunks.length * 2);
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new long[CHUNK];
            }
            chunks[chunk][size % CHUNK] = value;
            size++;
        }

        long get(int index) {
            return chunks[index / CHUNK][index % CHUNK];
        }

        int size() {
            return size;
        }
    }

    /**
     * A RIS Live server on loopback: takes one client, notes its subscriptions, and lets the
     * sender write to it. It answers nothing: the client's ping interval is longer than any run.
     */
    private static final class RisLiveServer implements AutoCloseable {
        private final Javalin javalin;
        private final CompletableFuture<WsContext> connected = new CompletableFuture<>();
        private final AtomicInteger subscribed = new AtomicInteger();

        private RisLiveServer(Javalin javalin) {
            this.javalin = javalin;
        }

        static RisLiveServer start() {
            RisLiveServer[] server = new RisLiveServer[1];
            // Jetty's own idle timeout would close a connection that only waits through the drain.
            Javalin javalin = Javalin.create(config -> config.jetty.modifyWebSocketServletFactory(
                    factory -> factory.setIdleTimeout(Duration.ofHours(1)))).ws("/v1/ws/", ws -> {
                        ws.onConnect(ctx -> server[0].connected.complete(ctx));
                        ws.onMessage(ctx -> server[0].heard(ctx.message()));
                    });
            server[0] = new RisLiveServer(javalin);
            javalin.start("127.0.0.1", 0);
            return server[0];
        }

        private void heard(String text) throws Exception {
            JsonNode message = JSON.readTree(text);
            JsonNode data = message.path("data");
            if (message.path("type").asText().equals("ris_subscribe") && data.has("prefix")
                    && data.path("moreSpecific").asBoolean()) {
                subscribed.incrementAndGet();
            }
        }

        URI url() {
            return RisLiveConfig.withClient(URI.create("ws://127.0.0.1:" + javalin.port() + "/v1/ws/"));
        }

        /** The client, once it has subscribed to {@code prefixes} prefixes with their more-specifics. */
        WsContext awaitSubscribed(int prefixes, long deadline) {
            while (System.nanoTime() < deadline) {
                if (connected.isDone() && subscribed.get() >= prefixes) {
                    return connected.join();
                }
                LockSupport.parkNanos(SAMPLE_NANOS);
            }
            throw new IllegalStateException("the client had not connected and subscribed to " + prefixes
                    + " prefixes within " + SUBSCRIBE_TIMEOUT.toSeconds() + " s (" + subscribed.get() + " done)");
        }

        @Override
        public void close() {
            javalin.stop();
        }
    }

    /** The service's parts on the RIS Live path, made and started in the order {@code RampartService} uses. */
    private static final class Service {
        final Alerts alerts;
        private final Detection detection;
        private final RisLiveClient client;

        private Service(Alerts alerts, Detection detection, RisLiveClient client) {
            this.alerts = alerts;
            this.detection = detection;
            this.client = client;
        }

        static Service start(Path monitorsFile, URI url, int queue, SimpleMeterRegistry metrics) throws Exception {
            Clock clock = Clock.systemUTC();
            DetectionFeed feed = new DetectionFeed(queue, metrics);
            Rib rib = new Rib(feed);
            MonitorsFile monitors = MonitorsFile.open(monitorsFile, clock);
            Alerts alerts = new Alerts(new InMemoryAlertStore(), ALERT_EVIDENCE);
            // No canary (the silence check is off), and pings further apart than any run: the
            // tool's server sends from one thread and answers nothing. The rest as the service's.
            RisLiveConfig config = new RisLiveConfig(Optional.of(url), List.of(), Duration.ofHours(3),
                    Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(5));
            RisLiveClient client = new RisLiveClient(config, monitors, feed, RampartService.jsonMapper(), metrics);
            Detection detection = new Detection(rib, feed, monitors, alerts, clock, metrics, client::currentRoutes);
            detection.start();
            client.start();
            return new Service(alerts, detection, client);
        }

        void stop() throws Exception {
            client.stop(Duration.ofSeconds(5));
            detection.stop(Duration.ofSeconds(5));
        }
    }
}
