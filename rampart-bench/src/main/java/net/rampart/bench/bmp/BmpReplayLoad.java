package net.rampart.bench.bmp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.rampart.bench.Args;
import net.rampart.collector.rib.RouteUpdate;

/**
 * BMP replay load: {@code --routers} simulated routers, each from its own loopback address,
 * send the same full-table BMP feed ({@link BmpFeed}) at once over TCP, to a running Rampart
 * ({@code --bmp-port}, its {@code /metrics} at {@code --url}) and to a pmacct {@code pmbmpd}
 * this tool starts itself with the same load, one after the other in the same run.
 *
 * <p>Measured for each: the time until every router has handed its last byte to the
 * collector's socket (TCP backpressure makes that the collector's read pace), and until the
 * collector has processed everything — for Rampart every route in the RIB
 * ({@code rampart_rib_routes}) and every route event durable in PostgreSQL
 * ({@code rampart_history_written_events_total}); for pmbmpd every route written to its
 * JSON message log file (one line a prefix). Bounded by
 * {@code --timeout-seconds}; pmbmpd is stopped by its own process handle.
 *
 * <p>With {@code --rounds N} Rampart gets the feed N times over, each round on new connections
 * from the same addresses once the last round's sessions have ended and their withdrawals are
 * durable too; the first round finds the service as it started (its code not yet compiled by
 * the JIT), the later ones as a service that has run. Each round is printed, then the median of
 * rounds 2 to N.
 *
 * <p>With {@code --api-queries-per-second N}, the RIB is also queried while Rampart loads:
 * {@code GET /api/v1/routes?prefix=P} at N a second ({@link RouteQueryProbe}, the token in
 * {@code RAMPART_API_TOKEN}), from the first byte sent until {@code --api-idle-seconds} after
 * every route event is durable; the latency is reported for the requests sent while the routes
 * arrived in the RIB, while route history was still being written, and in that idle period.
 */
public final class BmpReplayLoad {

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Args.BadOption e) {
            System.err.println("BmpReplayLoad: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.ofEntries(Map.entry("--routers", "1"),
                Map.entry("--ipv4", "1000000"), Map.entry("--ipv6", "200000"), Map.entry("--single", "false"),
                Map.entry("--url", "http://127.0.0.1:8080"), Map.entry("--bmp-port", "11019"),
                Map.entry("--target", "both"), Map.entry("--timeout-seconds", "600"), Map.entry("--write-feed", ""),
                Map.entry("--api-queries-per-second", "0"), Map.entry("--api-idle-seconds", "10"),
                Map.entry("--rounds", "1")));
        int routers = Integer.parseInt(a.get("--routers"));
        boolean single = Boolean.parseBoolean(a.get("--single"));
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(a.get("--timeout-seconds")));
        long t0 = System.nanoTime();
        List<RouteUpdate> table = BmpFeed.fullTableUpdates(Integer.parseInt(a.get("--ipv4")),
                Integer.parseInt(a.get("--ipv6")), !single);
        BmpFeed feed = BmpFeed.of(table);
        System.out.printf(Locale.ROOT, "feed: %d routes in %d Route Monitoring messages (%s), %.1f MB, built in %.1f s;"
                        + " %d router(s) at once%n", feed.routes, feed.routeMonitoring,
                single ? "one prefix per UPDATE" : "packed UPDATEs", feed.bytes.length / 1e6,
                (System.nanoTime() - t0) / 1e9, routers);
        if (!a.get("--write-feed").isEmpty()) {
            // The feed as a file, to replay with other tools (nc, a pcap writer) or inspect with tshark.
            Files.write(Path.of(a.get("--write-feed")), feed.bytes);
            return;
        }
        String target = a.get("--target");
        int queriesPerSecond = Args.integer(a, "--api-queries-per-second", 0);
        int idleSeconds = Args.integer(a, "--api-idle-seconds", 0);
        int rounds = Args.integer(a, "--rounds", 1);
        if (rounds > 1 && queriesPerSecond > 0) {
            throw new Args.BadOption("--api-queries-per-second: for one round only (--rounds 1)");
        }
        RouteQueryProbe probe = null;
        if (queriesPerSecond > 0 && !target.equals("pmbmpd")) {
            String token = System.getenv().getOrDefault("RAMPART_API_TOKEN", "");
            if (token.isEmpty()) {
                throw new Args.BadOption("--api-queries-per-second: the API token is not set (RAMPART_API_TOKEN)");
            }
            // Enough for the whole timeout and the idle period at that rate, and no more than a million.
            long bound = queriesPerSecond * (TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) * 2 + idleSeconds + 1);
            probe = new RouteQueryProbe(URI.create(a.get("--url")), token, table, queriesPerSecond,
                    (int) Math.min(1_000_000, bound));
        }
        Double rampart = null;
        Double pmacct = null;
        if (!target.equals("pmbmpd")) {
            List<Double> times = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    System.out.print("round " + round + ": ");
                }
                times.add(rampart(feed, routers, URI.create(a.get("--url")), Integer.parseInt(a.get("--bmp-port")),
                        timeoutNanos, probe, idleSeconds, round < rounds));
            }
            rampart = times.get(0);
            if (rounds > 1) {
                List<Double> warm = times.subList(1, rounds).stream().sorted().toList();
                rampart = warm.get(warm.size() / 2);
                System.out.printf(Locale.ROOT, "rounds 2-%d, median: every route in the RIB after %.2f s (%.0f routes/s)%n",
                        rounds, rampart, feed.routes * routers / rampart);
            }
        }
        if (!target.equals("rampart")) {
            pmacct = pmbmpd(feed, routers, timeoutNanos);
        }
        if (rampart != null && pmacct != null) {
            System.out.printf(Locale.ROOT, "ratio: Rampart processed the feed %.2f times as fast as pmbmpd (RIB time)%n",
                    pmacct / rampart);
        }
    }

    /**
     * Returns the seconds until every route was in Rampart's RIB.
     *
     * @param another whether another round follows: then the sessions are closed and this waits
     *                until their withdrawals are durable too
     */
    private static double rampart(BmpFeed feed, int routers, URI url, int port, long timeoutNanos,
                                  RouteQueryProbe probe, int idleSeconds, boolean another) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            LongSupplier ribRoutes = () -> metric(http, url, "rampart_rib_routes");
            LongSupplier written = () -> metric(http, url, "rampart_history_written_events_total");
            long ribBefore = ribRoutes.getAsLong();
            long writtenBefore = written.getAsLong();
            long expected = feed.routes * routers;
            long start = System.nanoTime();
            List<Socket> sockets = new ArrayList<>();
            if (probe != null) {
                probe.start(start);
            }
            double rib;
            try {
                double sent = send(feed, routers, port, sockets, start);
                rib = await(start, timeoutNanos, () -> ribRoutes.getAsLong() - ribBefore >= expected);
                long ribAt = System.nanoTime();
                double durable = await(start, timeoutNanos, () -> written.getAsLong() - writtenBefore >= expected);
                long durableAt = System.nanoTime();
                System.out.printf(Locale.ROOT, "rampart: sent in %.2f s; %d routes in the RIB after %.2f s (%.0f routes/s);"
                                + " durable in PostgreSQL after %.2f s (%.0f routes/s)%n", sent, expected, rib,
                        expected / rib, durable, expected / durable);
                if (probe != null) {
                    // The idle period is what is measured here, not a wait for something to happen.
                    Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
                    probe.stop();
                    long idleEnd = System.nanoTime();
                    System.out.println("GET /api/v1/routes?prefix=, routes arriving in the RIB:   "
                            + probe.summary(start, ribAt) + (Double.isNaN(rib) ? " (NOT all in the RIB)" : ""));
                    System.out.println("GET /api/v1/routes?prefix=, route history being written: "
                            + probe.summary(ribAt, durableAt) + (Double.isNaN(durable) ? " (NOT all durable)" : ""));
                    System.out.println("GET /api/v1/routes?prefix=, idle afterwards:              "
                            + probe.summary(durableAt, idleEnd));
                }
            } finally {
                if (probe != null) {
                    probe.stop();
                }
                for (Socket s : sockets) {
                    s.close();
                }
            }
            if (another && Double.isNaN(await(System.nanoTime(), timeoutNanos,
                    () -> written.getAsLong() - writtenBefore >= 2 * expected))) {
                throw new IllegalStateException("the round's withdrawals were not durable within the timeout");
            }
            return rib;
        }
    }

    /**
     * Returns the seconds until pmbmpd had logged every route: its message log (a file, as it
     * is usually run) stops growing once everything is processed; the routes in it are counted
     * after pmbmpd has exited, to check that it did log them all.
     */
    private static double pmbmpd(BmpFeed feed, int routers, long timeoutNanos) throws Exception {
        Path dir = Files.createTempDirectory("rampart-pmbmpd");
        Path log = dir.resolve("msglog.json");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("pmbmpd.conf"), String.join("\n",
                "bmp_daemon_ip: 127.0.0.1", "bmp_daemon_port: " + port, "bmp_daemon_max_peers: " + (routers + 5),
                "bmp_daemon_msglog_file: " + log, "bmp_daemon_msglog_output: json",
                "logfile: " + dir.resolve("pmbmpd.log"), ""));
        Process process = new ProcessBuilder("pmbmpd", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("pmbmpd.out").toFile()).start();
        List<Socket> sockets = new ArrayList<>();
        try {
            if (Double.isNaN(await(System.nanoTime(), TimeUnit.SECONDS.toNanos(20), () -> listening(port)))) {
                throw new IOException("pmbmpd did not listen on port " + port + "; see " + dir);
            }
            long expected = feed.routes * routers;
            long start = System.nanoTime();
            double sent = send(feed, routers, port, sockets, start);
            double done = quietSince(log, start, timeoutNanos);
            for (Socket s : sockets) {
                s.close();
            }
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            long logged;
            try (var lines = Files.lines(log)) {
                logged = lines.filter(l -> l.contains("\"route_monitor\"") && l.contains("\"update\"")).count();
            }
            System.out.printf(Locale.ROOT, "pmbmpd: sent in %.2f s; done after %.2f s (%.0f routes/s); %d of %d routes"
                    + " in its message log%n", sent, done, expected / done, logged, expected);
            return done;
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    /** Seconds from {@code start} until the file last grew, once it has not grown for a second; NaN at the timeout. */
    private static double quietSince(Path file, long start, long timeoutNanos) throws Exception {
        long size = -1;
        long changedAt = System.nanoTime();
        while (System.nanoTime() - changedAt < TimeUnit.SECONDS.toNanos(1)) {
            if (System.nanoTime() - start > timeoutNanos) {
                return Double.NaN;
            }
            long now = Files.exists(file) ? Files.size(file) : 0;
            if (now != size) {
                size = now;
                changedAt = System.nanoTime();
            }
            Thread.sleep(20);
        }
        return (changedAt - start) / 1e9;
    }

    /** Every router sends the feed from 127.0.0.(10 + n) on its own thread; returns the seconds until all had sent. */
    private static double send(BmpFeed feed, int routers, int port, List<Socket> sockets, long start) throws Exception {
        List<Thread> senders = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int r = 0; r < routers; r++) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (10 + r)), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            sockets.add(socket);
            senders.add(Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(feed.bytes);
                    out.flush();
                } catch (IOException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException("a router could not send its feed", failures.get(0));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 50 ms; returns the seconds from {@code start} until the condition held, or NaN at the timeout. */
    private static double await(long start, long timeoutNanos, Condition condition) throws Exception {
        while (!condition.holds()) {
            if (System.nanoTime() - start > timeoutNanos) {
                return Double.NaN;
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The value of an unlabelled metric in Prometheus text. */
    private static long metric(HttpClient http, URI url, String name) {
        try {
            String text = http.send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                    .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1)))
                    .orElseThrow(() -> new IllegalStateException(name + " is not in " + url + "/metrics"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + url + "/metrics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
