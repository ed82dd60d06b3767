package net.rampart.bench.bmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.rampart.bench.Args;
import net.rampart.bench.rib.TableMonitors;
import net.rampart.collector.bmp.SourceAllowlist;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.server.RampartService;
import net.rampart.server.collector.BmpCollector;
import net.rampart.server.config.CollectorConfig;
import net.rampart.server.detect.AlertChannels;
import net.rampart.server.detect.Detection;
import net.rampart.server.detect.DetectionFeed;
import net.rampart.server.detect.MonitorsFile;

/**
 * From a hijacking BMP UPDATE leaving the router to its alert's webhook request arriving, while
 * another router sends a full table. The service's own parts, put together as
 * {@code RampartService} does on loopback: the BMP collector, the RIB, the detection queue and
 * thread, the alert channels and their webhook sender; the receiver is an HTTP server in this
 * tool that timestamps each request as it arrives.
 *
 * <p>Left out of the service: route history and the alert store's PostgreSQL writer. Both are
 * written behind their own queues and are not on this path (the RIB hands history its events as
 * it hands detection theirs), but their database work competes for the same cores.
 *
 * <p>The run: {@code --warmup} hijacks before the table (their latency is not counted), then one
 * router (127.0.0.10) sends the generated full table ({@link BmpFeed}) while another (127.0.0.11)
 * sends {@code --hijacks} Route Monitoring messages {@code --interval-ms} apart, each announcing a
 * monitored prefix from an origin of its own, so that each opens an alert of its own. Which of
 * them were sent while the table was still loading is reported. Bounded by
 * {@code --timeout-seconds} for the table and for the webhooks.
 *
 * <pre>
 * java -Xmx6g -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' \
 *     net.rampart.bench.bmp.HijackAlertLatency [options]
 *   --ipv4 N             IPv4 prefixes of the table (1000000)
 *   --ipv6 N             IPv6 prefixes of the table (200000)
 *   --single true        one prefix per UPDATE instead of packed UPDATEs (false)
 *   --monitored N        monitored prefixes, taken from the table with its origins (10000)
 *   --hijacks N          hijacks timed during the table load (200)
 *   --interval-ms N      between two hijacks (20)
 *   --warmup N           hijacks sent and awaited before the table, not counted (20)
 *   --queue N            the detection queue's capacity in batches (65536, as the service's)
 *   --timeout-seconds N  for the table load and for the webhooks (300)
 * </pre>
 */
public final class HijackAlertLatency {

    /** Hijackers' ASNs: private-use, never in the generated table; one per hijack. */
    private static final long FIRST_HIJACKER = 4_200_000_000L;
    private static final int ALERT_EVIDENCE = 50;
    /** The two routers, each a BMP session from its own loopback address. */
    private static final String TABLE_ROUTER = "127.0.0.10";
    private static final String HIJACK_ROUTER = "127.0.0.11";
    private static final int NOTIFICATION_QUEUE = 1000;
    private static final int NOTIFICATION_ATTEMPTS = 5;

    private HijackAlertLatency() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Args.BadOption e) {
            System.err.println("HijackAlertLatency: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--ipv4", "1000000", "--ipv6", "200000", "--single", "false",
                "--monitored", "10000", "--hijacks", "200", "--interval-ms", "20", "--warmup", "20",
                "--queue", "65536", "--timeout-seconds", "300"));
        boolean packed = !Boolean.parseBoolean(a.get("--single"));
        int hijacks = Args.integer(a, "--hijacks", 1);
        int warmup = Args.integer(a, "--warmup", 0);
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(Args.integer(a, "--interval-ms", 0));
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Args.integer(a, "--timeout-seconds", 1));
        int queue = Args.integer(a, "--queue", 1);

        List<RouteUpdate> updates = BmpFeed.fullTableUpdates(Args.integer(a, "--ipv4", 0),
                Args.integer(a, "--ipv6", 0), packed);
        BmpFeed table = BmpFeed.of(updates);
        TableMonitors monitors = TableMonitors.pick(updates, Args.integer(a, "--monitored", 1));
        // Every hijack its own origin, so its own alert, even where prefixes repeat.
        int total = warmup + hijacks;
        byte[][] messages = new byte[total][];
        String[] keys = new String[total];
        for (int i = 0; i < total; i++) {
            TableMonitors.Monitored target = monitors.prefixes().get(i % monitors.prefixes().size());
            long hijacker = FIRST_HIJACKER + i;
            messages[i] = BmpFeed.routeMonitoring(target.hijackedBy(BmpFeed.PEER_AS, hijacker, 0));
            keys[i] = target.hijackAlertKey(hijacker);
        }
        System.out.printf(Locale.ROOT, "table: %d routes in %d Route Monitoring messages (%s), %.1f MB;"
                        + " %d monitored prefixes; %d warm-up hijacks, then %d hijacks %d ms apart during the load%n",
                table.routes, table.routeMonitoring, packed ? "packed UPDATEs" : "one prefix per UPDATE",
                table.bytes.length / 1e6, monitors.prefixes().size(), warmup, hijacks,
                TimeUnit.NANOSECONDS.toMillis(intervalNanos));

        Path dir = Files.createTempDirectory("rampart-bench-alerts");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Path file = monitors.write(dir.resolve("monitors.yaml"), receiver.url(), List.of("origin_hijack"));
            Service service = Service.start(file, queue, metrics);
            List<Socket> sockets = new ArrayList<>();
            try {
                Socket hijacker = connect(HIJACK_ROUTER, service.port, sockets);
                // A router's UPDATEs are not held back for more of them: each is one small write.
                hijacker.setTcpNoDelay(true);
                OutputStream hijackStream = hijacker.getOutputStream();
                hijackStream.write(BmpFeed.sessionStart());
                hijackStream.flush();
                long[] sentAt = new long[total];
                send(hijackStream, messages, sentAt, 0, warmup, intervalNanos);
                if (!receiver.await(keys, 0, warmup, System.nanoTime() + timeoutNanos)) {
                    throw new IllegalStateException("the warm-up hijacks' webhooks did not all arrive within "
                            + a.get("--timeout-seconds") + " s; " + receiver.arrivals.size() + " did");
                }

                Socket router = connect(TABLE_ROUTER, service.port, sockets);
                AtomicLong tableLoadedAt = new AtomicLong();
                long tableStart = System.nanoTime();
                Thread tableSender = Thread.ofPlatform().name("table-router").start(() -> {
                    try {
                        router.getOutputStream().write(table.bytes);
                        router.getOutputStream().flush();
                    } catch (IOException e) {
                        System.err.println("the table router could not send its table: " + e.getMessage());
                    }
                });
                Thread tableWatch = Thread.ofPlatform().name("table-watch").start(() -> {
                    long deadline = tableStart + timeoutNanos;
                    while (routesOf(service.rib, TABLE_ROUTER) < table.routes && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                    if (routesOf(service.rib, TABLE_ROUTER) >= table.routes) {
                        tableLoadedAt.set(System.nanoTime());
                    }
                });
                // The hijacks start once the table is arriving, so that they meet it in the collector and the queue.
                long deadline = tableStart + timeoutNanos;
                while (routesOf(service.rib, TABLE_ROUTER) < Math.min(1000, table.routes)
                        && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                send(hijackStream, messages, sentAt, warmup, total, intervalNanos);
                boolean allArrived = receiver.await(keys, warmup, total, System.nanoTime() + timeoutNanos);
                tableSender.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                tableWatch.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 1000);
                report(table, tableStart, tableLoadedAt.get(), keys, sentAt, warmup, receiver, metrics, allArrived);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
                service.stop();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** Sends messages {@code from} to {@code to}, each at its slot {@code intervalNanos} after the one before. */
    private static void send(OutputStream out, byte[][] messages, long[] sentAt, int from, int to,
                             long intervalNanos) throws IOException {
        long first = System.nanoTime();
        for (int i = from; i < to; i++) {
            long slot = first + (i - from) * intervalNanos;
            // Bounded: each wait ends at its slot.
            for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            sentAt[i] = System.nanoTime();
            out.write(messages[i]);
            out.flush();
        }
    }

    private static void report(BmpFeed table, long tableStart, long tableLoadedAt, String[] keys, long[] sentAt,
                               int warmup, WebhookReceiver receiver, SimpleMeterRegistry metrics, boolean allArrived) {
        List<Double> all = new ArrayList<>();
        List<Double> duringLoad = new ArrayList<>();
        for (int i = warmup; i < keys.length; i++) {
            Long arrived = receiver.arrivals.get(keys[i]);
            if (arrived == null) {
                continue;
            }
            double millis = (arrived - sentAt[i]) / 1e6;
            all.add(millis);
            if (tableLoadedAt == 0 || sentAt[i] < tableLoadedAt) {
                duringLoad.add(millis);
            }
        }
        int timed = keys.length - warmup;
        if (tableLoadedAt == 0) {
            System.out.printf(Locale.ROOT, "table: NOT all %d routes in the RIB within the timeout%n", table.routes);
        } else {
            double seconds = (tableLoadedAt - tableStart) / 1e9;
            System.out.printf(Locale.ROOT, "table: %d routes in the RIB after %.2f s (%,.0f routes/s)%n", table.routes,
                    seconds, table.routes / seconds);
        }
        System.out.printf(Locale.ROOT, "hijacks: %d of %d webhooks arrived%s; %d of these hijacks were sent while the"
                        + " table was loading%n",
                all.size(), timed, allArrived ? "" : " (the others NOT within the timeout)", duringLoad.size());
        System.out.println("UPDATE sent -> webhook arrived, all hijacks:          " + summary(all));
        System.out.println("UPDATE sent -> webhook arrived, during the table load: " + summary(duringLoad)
                + " (target: p99 at most 100 ms)");
        System.out.printf(Locale.ROOT, "detection queue: %,.0f route events dropped; notifications: %s; webhooks"
                        + " about other alerts: %d%n",
                metrics.get("rampart_detect_observations_dropped_total").counter().count(),
                notifications(metrics), receiver.others.get());
    }

    /** The alert sender's counter by result: sent, retried, failed, dropped. */
    private static String notifications(SimpleMeterRegistry metrics) {
        StringBuilder out = new StringBuilder();
        for (Counter c : metrics.find("rampart_detect_notifications_total").counters()) {
            out.append(out.isEmpty() ? "" : ", ").append(c.getId().getTag("result")).append(' ')
                    .append((long) c.count());
        }
        return out.isEmpty() ? "none" : out.toString();
    }

    private static String summary(List<Double> millis) {
        if (millis.isEmpty()) {
            return "no sample";
        }
        double[] v = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "n %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms", v.length, rank(v, 0.50),
                rank(v, 0.99), v[v.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The routes in the RIB from {@code router}, over its tables. */
    private static long routesOf(Rib rib, String router) {
        long[] n = {0};
        rib.forEachTable((id, peer, view, family, routes) -> {
            if (id.name().equals(router)) {
                n[0] += routes.size();
            }
        });
        return n[0];
    }

    private static Socket connect(String source, int port, List<Socket> sockets) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        return socket;
    }

    /** The service's parts on the detection path, made and started in the order {@code RampartService} uses. */
    private static final class Service {
        final Rib rib;
        final int port;
        private final BmpCollector collector;
        private final AlertChannels channels;
        private final Detection detection;

        private Service(Rib rib, int port, BmpCollector collector, AlertChannels channels, Detection detection) {
            this.rib = rib;
            this.port = port;
            this.collector = collector;
            this.channels = channels;
            this.detection = detection;
        }

        static Service start(Path monitorsFile, int queue, SimpleMeterRegistry metrics) throws Exception {
            Clock clock = Clock.systemUTC();
            DetectionFeed feed = new DetectionFeed(queue, metrics);
            Rib rib = new Rib(feed);
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            BmpCollector collector = new BmpCollector(new CollectorConfig(SourceAllowlist.parse("127.0.0.0/8")),
                    InetAddress.getLoopbackAddress(), port, rib, SessionEvents.NONE, metrics);
            MonitorsFile monitors = MonitorsFile.open(monitorsFile, clock);
            Alerts alerts = new Alerts(new InMemoryAlertStore(), ALERT_EVIDENCE);
            AlertChannels channels = new AlertChannels(() -> monitors.current().monitors(),
                    AlertChannels.sender(NOTIFICATION_QUEUE, NOTIFICATION_ATTEMPTS, Duration.ofSeconds(1), metrics),
                    RampartService.jsonMapper(), URI.create("http://127.0.0.1:8080"));
            alerts.addListener(channels);
            Detection detection = new Detection(rib, feed, monitors, alerts, clock, metrics);
            collector.start();
            channels.start();
            detection.start();
            return new Service(rib, port, collector, channels, detection);
        }

        void stop() throws Exception {
            detection.stop(Duration.ofSeconds(5));
            channels.stop(Duration.ofSeconds(5));
            collector.stop(Duration.ofSeconds(5));
        }
    }

    /** An HTTP server on loopback that notes when each alert's {@code opened} notification arrived. */
    private static final class WebhookReceiver implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        /** Alert key to the arrival of its first {@code opened} request, {@link System#nanoTime()}. */
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();
        final AtomicLong others = new AtomicLong();
        private final HttpServer server;

        private WebhookReceiver(HttpServer server) {
            this.server = server;
        }

        static WebhookReceiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/alerts", exchange -> {
                // Timestamped before the body is read: the request has arrived.
                long arrived = System.nanoTime();
                try (InputStream body = exchange.getRequestBody()) {
                    JsonNode message = JSON.readTree(body);
                    String key = message.path("alert").path("key").asText();
                    if ("opened".equals(message.path("event").asText()) && key.startsWith("origin_hijack|")) {
                        receiver.arrivals.putIfAbsent(key, arrived);
                    } else {
                        receiver.others.incrementAndGet();
                    }
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return receiver;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
        }

        /** Waits until the alerts of {@code keys[from..to)} have all arrived; false at {@code deadline}. */
        boolean await(String[] keys, int from, int to, long deadline) {
            for (int i = from; i < to; i++) {
                while (!arrivals.containsKey(keys[i])) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            return true;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
