package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpBytes;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.InformationTlv;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's fault "PostgreSQL killed (SIGKILL) while a full table loads, back after 30 s":
 * the service (its own process) writes route history to an external PostgreSQL this test runs,
 * a router sends it a table over BMP, and the postmaster is killed with SIGKILL once the first
 * half of the table is sent and history is being written. The second half arrives while the
 * database is dead; 30 s after the kill the server is started again on the same data directory
 * (crash recovery) and port. Every route event the collector took must then be in
 * {@code route_history}, each exactly once, with nothing dropped or refused.
 *
 * <p>First with an external server, which an operator's supervisor starts again (here, the test
 * after 30 s); then with the service's own embedded server, which the service starts again itself.
 */
class DatabaseKilledIT {

    /** A table of some tens of thousands of routes: each is one route event. */
    private static final int ROUTES = 60_000;
    private static final int PER_MESSAGE = 100;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final String ROUTER = "127.0.0.10";
    private static final long ROUTER_AS = 65000;
    /** Route announcements and withdrawals the collector applied to the RIB: the route events it took. */
    private static final String ROUTE_UPDATES = "rampart_bmp_route_updates_total{family=\"ipv4\"}";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void postgresKilledMidTableAndBackAfterThirtySecondsEveryAcceptedRouteEventIsInHistoryOnce(TestReporter report)
            throws Exception {
        Path pgData = dir.resolve("pgdata");
        int pgPort = ServiceProcess.freePort();
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        List<byte[]> messages = table();
        // The Initiation, the Peer Up and about half of the table's Route Monitoring messages.
        int half = messages.size() / 2;
        EmbeddedPostgres postgres = startPostgres(pgData, pgPort);
        Map<String, String> environment = ServiceProcess.loopbackCollector(httpPort, bmpPort,
                Files.createDirectories(dir.resolve("data")));
        environment.put("RAMPART_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres");
        try (ServiceProcess service = ServiceProcess.start(environment)) {
            try {
                assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();

                try (Socket router = ReplayedRouter.connect(ROUTER, bmpPort)) {
                    OutputStream out = router.getOutputStream();
                    ReplayedRouter.send(out, messages.subList(0, half));
                    await("the first history rows of the table", Duration.ofSeconds(60), () -> historyRows(pgPort) > 0);
                    // The API's token is checked, and so remembered, while the database is up.
                    assertThat(ribRoutes(service, httpPort)).as("routes served before the kill").isPositive();

                    long pid = postmasterPid(pgData);
                    long rowsAtKill = historyRows(pgPort);
                    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                    assertThat(postmaster.destroyForcibly()).as("SIGKILL sent to the postmaster %d", pid).isTrue();
                    long killed = System.nanoTime();
                    await("the postmaster to die", Duration.ofSeconds(10), () -> !postmaster.isAlive());
                    // The library's object: its stop fails on the dead server; this releases its lock on the directory.
                    postgres.close();
                    print(report, "killed", "postmaster " + pid + " SIGKILLed with " + rowsAtKill
                            + " history rows of " + ROUTES + " routes written, " + (half - 2) * PER_MESSAGE + " routes sent");

                    // The rest of the table while the database is dead: the router's session goes on.
                    ReplayedRouter.send(out, messages.subList(half, messages.size()));
                    // Read from the metrics, which the service answers without the database.
                    await("the whole table applied to the RIB while the database is down", OUTAGE,
                            () -> metric(httpPort, ROUTE_UPDATES) == ROUTES);
                    await("readiness down while the database is down", OUTAGE, () -> readyStatus(httpPort) == 503);
                    // The readiness check's own 1 s, not the pool's 5 s connection timeout.
                    long asked = System.nanoTime();
                    assertThat(readyStatus(httpPort)).isEqualTo(503);
                    long answeredMillis = Duration.ofNanos(System.nanoTime() - asked).toMillis();
                    print(report, "readiness", "503 answered in " + answeredMillis + " ms");
                    assertThat(answeredMillis).as("a probe is answered within about the check's 1 s").isLessThan(3000);
                    assertThat(service.isAlive()).as(service.output()).isTrue();
                    long accepted = (long) metric(httpPort, ROUTE_UPDATES);
                    assertThat(metric(httpPort, "rampart_rib_routes")).as("routes in the RIB").isEqualTo(accepted);
                    // The RIB is served from memory, with the token checked before the outage: not a 500.
                    assertThat(ribRoutes(service, httpPort)).as("routes the API serves while the database is down")
                            .isEqualTo(accepted);

                    // What the service holds for the database across the outage: the fault costs it something.
                    long waiting = accepted - (long) metric(httpPort, "rampart_history_written_events_total");
                    assertThat(waiting).as("route events not yet written when the database is started again").isPositive();
                    print(report, "outage", waiting + " of " + accepted + " route events waiting for the database");

                    Duration left = OUTAGE.minusNanos(System.nanoTime() - killed);
                    assertThat(left).as("the checks during the outage took longer than the outage").isPositive();
                    Thread.sleep(left.toMillis()); // the outage itself: deliberate
                    postgres = startPostgres(pgData, pgPort);
                    print(report, "restarted", "PostgreSQL started again on the same data directory "
                            + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms after the kill");

                    assertEveryAcceptedEventInHistoryOnce(httpPort, accepted, () -> historyCounts(pgPort), report);
                    await("readiness back once the database is", Duration.ofSeconds(30), () -> readyStatus(httpPort) == 200);
                    assertThat(service.event("history_store_unavailable")).as(service.output()).isPresent();
                    assertThat(service.event("history_store_recovered")).as(service.output()).isPresent();
                    assertThat(ribRoutes(service, httpPort)).as("the router's session survived the outage").isEqualTo(ROUTES);
                }
                assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            } catch (AssertionError | Exception e) {
                // The service's log says what it did meanwhile; failsafe keeps a test's output in its report.
                System.out.println(service.output());
                throw e;
            }
        } finally {
            postgres.close();
        }
    }

    /**
     * The same fault on the service's own embedded PostgreSQL, the default: nobody but the service
     * can start it again, and it does (docs/operations.md, Fault injection). The service finds the
     * postmaster gone within its watch's check, starts a server on the same data directory and port
     * (crash recovery), and history writes what waited meanwhile.
     */
    @Test
    void embeddedPostgresKilledMidTableIsStartedAgainByTheServiceAndEveryAcceptedRouteEventIsInHistoryOnce(
            TestReporter report) throws Exception {
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        List<byte[]> messages = table();
        int half = messages.size() / 2;
        Path data = Files.createDirectories(dir.resolve("data"));
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.loopbackCollector(httpPort, bmpPort, data))) {
            try {
                assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
                try (Socket router = ReplayedRouter.connect(ROUTER, bmpPort)) {
                    OutputStream out = router.getOutputStream();
                    ReplayedRouter.send(out, messages.subList(0, half));
                    await("the first history rows of the table", Duration.ofSeconds(60),
                            () -> historyCounts(service.database())[0] > 0);
                    assertThat(ribRoutes(service, httpPort)).as("routes served before the kill").isPositive();

                    long pid = postmasterPid(data.resolve("postgres"));
                    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                    assertThat(postmaster.destroyForcibly()).as("SIGKILL sent to the postmaster %d", pid).isTrue();
                    long killed = System.nanoTime();
                    await("the postmaster to die", Duration.ofSeconds(10), () -> !postmaster.isAlive());
                    ReplayedRouter.send(out, messages.subList(half, messages.size()));

                    await("the service to start its embedded PostgreSQL again", Duration.ofSeconds(90),
                            () -> service.event("database_restarted").isPresent());
                    print(report, "restarted", "embedded PostgreSQL running again "
                            + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms after the kill ("
                            + service.event("database_restarted").orElseThrow().path("down_ms").asLong()
                            + " ms down as the service saw it)");
                    assertThat(postmasterPid(data.resolve("postgres"))).isNotEqualTo(pid);
                    await("the whole table applied to the RIB", OUTAGE,
                            () -> metric(httpPort, ROUTE_UPDATES) == ROUTES);
                    long accepted = (long) metric(httpPort, ROUTE_UPDATES);
                    assertEveryAcceptedEventInHistoryOnce(httpPort, accepted,
                            () -> historyCounts(service.database()), report);
                    await("readiness back", Duration.ofSeconds(30), () -> readyStatus(httpPort) == 200);
                    assertThat(service.event("database_died")).as(service.output()).isPresent();
                    assertThat(ribRoutes(service, httpPort)).as("the router's session survived").isEqualTo(ROUTES);
                }
                assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
                assertThat(Database.embeddedServerRunning(DatabaseSettings.embedded(data.resolve("postgres"))))
                        .as("the restarted server stops with the service").isEmpty();
            } catch (AssertionError | Exception e) {
                System.out.println(service.output());
                throw e;
            }
        }
    }

    private interface Counts {
        long[] read() throws Exception;
    }

    /**
     * Waits for history to drain after the database came back, then checks that every route event
     * the collector took is in route_history exactly once, with nothing dropped or refused.
     */
    private void assertEveryAcceptedEventInHistoryOnce(int httpPort, long accepted, Counts counts,
                                                       TestReporter report) throws Exception {
        // Drained: every accepted event settled (written, refused or dropped) and nothing waiting.
        await("route history to drain after the restart", Duration.ofSeconds(120), () ->
                metric(httpPort, "rampart_history_written_events_total")
                        + metric(httpPort, "rampart_history_rejected_events_total")
                        + metric(httpPort, "rampart_history_dropped_events_total") >= accepted
                        && metric(httpPort, "rampart_history_spool_bytes") == 0
                        && metric(httpPort, "rampart_history_queued_events") == 0
                        && metric(httpPort, "rampart_history_handover_events") == 0);
        long[] rows = counts.read();
        assertThat(accepted).as("route events the collector took").isEqualTo(ROUTES);
        assertThat(rows[0]).as("route_history rows = accepted route events").isEqualTo(accepted);
        assertThat(rows[1]).as("distinct routes in route_history: none twice").isEqualTo(accepted);
        assertThat(rows[2]).as("withdrawals in route_history (the router withdrew nothing)").isZero();
        assertThat(metric(httpPort, "rampart_history_dropped_events_total")).isZero();
        assertThat(metric(httpPort, "rampart_history_rejected_events_total")).isZero();
        assertThat(metric(httpPort, "rampart_history_written_events_total")).isEqualTo(accepted);
        print(report, "history", rows[0] + " rows, " + rows[1] + " routes; "
                + (long) metric(httpPort, "rampart_history_spooled_events_total") + " of them through the spool");
    }

    private static void print(TestReporter report, String key, String message) {
        report.publishEntry(key, message);
        System.out.println(key + ": " + message);
    }

    /**
     * A server on the directory and port, durable as docs/collector.md asks of an external one:
     * the library would start it with fsync and synchronous_commit off.
     */
    private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    /** The postmaster's process id, the first line of the lock file it keeps in its data directory. */
    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
    }

    /**
     * The router's BMP: an Initiation, a Loc-RIB Peer Up (RFC 9069), then the table as Route
     * Monitoring messages of {@link #PER_MESSAGE} distinct /24s each, every message its own AS path.
     */
    private static List<byte[]> table() {
        List<byte[]> messages = new ArrayList<>();
        messages.add(BmpBytes.body().tlv(InformationTlv.SYS_NAME, "edge-router").message(BmpMessage.INITIATION));
        byte[] open = BgpMessageEncoder.encode(OpenMessage.of(ROUTER_AS, 90, 0xc0000201, List.of(
                new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST), new Capability.FourOctetAs(ROUTER_AS))),
                PeerCapabilities.LEGACY);
        long seconds = System.currentTimeMillis() / 1000;
        messages.add(locRibPeer(seconds).localAddress("0.0.0.0").u16(0).u16(0).bytes(open).bytes(open)
                .tlv(InformationTlv.VRF_TABLE_NAME, "global").message(BmpMessage.PEER_UP));
        for (int first = 0; first < ROUTES; first += PER_MESSAGE) {
            List<UnicastNlri> nlri = new ArrayList<>(PER_MESSAGE);
            for (int i = first; i < first + PER_MESSAGE; i++) {
                nlri.add(new UnicastNlri(Ipv4Prefix.of((10 + i / 65_536) << 24 | (i / 256 % 256) << 16 | (i % 256) << 8, 24)));
            }
            UpdateMessage update = new UpdateMessage(List.of(), List.of(
                    new PathAttribute.Origin(PathAttribute.Origin.IGP),
                    PathAttribute.AsPath.sequence(ROUTER_AS, 64_600 + first / PER_MESSAGE % 1000, 131_072 + first),
                    new PathAttribute.NextHop(0xc0000209)), nlri);
            messages.add(locRibPeer(seconds).bytes(BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS))
                    .message(BmpMessage.ROUTE_MONITORING));
        }
        return messages;
    }

    private static BmpBytes locRibPeer(long seconds) {
        return BmpBytes.body().peer(3, 0, 0, "0.0.0.0", ROUTER_AS, "192.0.2.1", seconds, 0);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} until it holds; a check that throws (a server not answering) is tried again. */
    private static void await(String what, Duration timeout, Check check) throws InterruptedException {
        Exception[] last = new Exception[1];
        if (!Daemon.await(timeout, () -> {
            try {
                return check.holds();
            } catch (Exception e) {
                last[0] = e;
                return false;
            }
        })) {
            throw new AssertionError("timed out waiting for " + what, last[0]);
        }
    }

    private static long historyRows(int pgPort) throws Exception {
        return historyCounts(pgPort)[0];
    }

    /** Rows, distinct routes and withdrawals in route history, read from the external server directly. */
    private static long[] historyCounts(int pgPort) throws Exception {
        return historyCounts(DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                "postgres", ""));
    }

    /** Rows, distinct routes and withdrawals in route history, over {@code connection}, which this closes. */
    private static long[] historyCounts(Connection connection) throws Exception {
        try (var db = connection;
             var rows = db.createStatement().executeQuery(
                     "SELECT count(*), count(DISTINCT route_key), count(*) FILTER (WHERE is_withdrawn) FROM route_history")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)};
        }
    }

    /** The routes the service's RIB holds for the router, as its API counts them. */
    private long ribRoutes(ServiceProcess service, int httpPort) throws Exception {
        return service.api(httpPort).get("/api/v1/routes?router=" + ROUTER + "&limit=1").path("matched").asLong();
    }

    private int readyStatus(int httpPort) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The value of the metric line that is exactly {@code series}, without labels; fails when there is none. */
    private double metric(int httpPort, String series) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + series));
    }
}
