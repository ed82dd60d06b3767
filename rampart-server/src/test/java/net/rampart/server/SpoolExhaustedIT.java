package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route history spool's disk budget used up with real parts: the service as its own process
 * with its embedded PostgreSQL and the smallest spool it allows (64 MiB), a real GoBGP sending its
 * Loc-RIB over BMP. A second connection holds an ACCESS EXCLUSIVE lock on {@code route_history},
 * so the writer waits on its COPY: the memory queue fills, then the spool, then events are
 * dropped. The service must say so ({@code history_spool_exhausted}), close the BMP session
 * ({@code bmp_sessions_closed}); GoBGP reconnects and sends its table again. Once the lock goes,
 * every event accepted is written or counted as dropped, and the RIB, {@code route_history} and
 * {@code current_route} hold every route GoBGP holds, as docs/collector.md and the history-lag
 * runbook promise.
 */
class SpoolExhaustedIT {

    /** Routes of a shared attribute set: they fill the memory queue (200 000 events) and cost the spool little. */
    private static final int SMALL = 200_000;
    /** Routes of an attribute set each of about 2.9 KB: through the spool, they use up its 64 MiB. */
    private static final int LARGE = 40_000;
    private static final int COMMUNITIES = 720;
    private static final long SPOOL_BUDGET = 64L << 20;
    /** Repeats of a file's last route, for the routes {@code gobgp mrt inject} leaves out at its end. */
    private static final int TAIL = 3_000;
    /** Every route GoBGP holds: the first one, the small table and the large one. */
    private static final int TOTAL = 1 + SMALL + LARGE;
    private static final java.util.concurrent.atomic.AtomicInteger ANNOUNCEMENTS = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void anExhaustedSpoolClosesTheBmpSessionAndTheResentTableMakesHistoryWholeOnceTheDatabaseIsBack(
            @TempDir Path directory) throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "gobgpd is not installed (Debian package gobgpd); skipped");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        metricsPort = httpPort;
        Map<String, String> environment = Map.of(
                "RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", Integer.toString(bmpPort),
                "RAMPART_BMP_ALLOW", "127.0.0.1/32",
                "RAMPART_RTR_PORT", "0",
                "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_HISTORY_SPOOL_MB", "64",
                "RAMPART_HISTORY_CHECKPOINT_INTERVAL", "2s",
                "RAMPART_DATA_DIR", Files.createDirectories(directory.resolve("data")).toString());
        try (var service = ServiceProcess.start(environment);
             var gobgp = GoBgpDaemon.start(Files.createDirectories(directory.resolve("gobgp")),
                     GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(bmpPort, "local-rib").toml())) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            announceFirstRoute(gobgp);
            awaitValue("the first route in history", 1L, () -> count(service, "SELECT count(*) FROM route_history"),
                    service);

            try (Connection lock = service.database()) {
                lock.setAutoCommit(false);
                lock.createStatement().execute("LOCK TABLE route_history IN ACCESS EXCLUSIVE MODE");

                // Injected in this order, GoBGP streams the small table first: it fills the memory
                // queue, and the large one goes to the spool. (While routes are injected this fast,
                // GoBGP's Loc-RIB stream leaves a few hundred out; its table dump at a new session
                // sends them all.)
                inject(gobgp, directory, 10, SMALL, i -> smallAttributes());
                inject(gobgp, directory, 20, LARGE, SpoolExhaustedIT::largeAttributes);
                assertThat(destinations(gobgp)).isEqualTo(TOTAL);

                JsonNode exhausted = awaitEvent(service, "history_spool_exhausted");
                assertThat(exhausted.path("level").asText()).isEqualTo("ERROR");
                assertThat(exhausted.path("budget_bytes").asLong()).isEqualTo(SPOOL_BUDGET);
                assertThat(exhausted.path("spool_bytes").asLong()).isPositive().isLessThanOrEqualTo(SPOOL_BUDGET);
                JsonNode closed = awaitEvent(service, "bmp_sessions_closed");
                assertThat(closed.path("reason").asText()).isEqualTo("route history spool is full");
                assertThat(closed.path("routers").asInt()).isEqualTo(1);
                assertThat(metric(httpPort, "rampart_history_dropped_events_total")).isPositive();
                await("the session's end", Duration.ofSeconds(60),
                        () -> !service.events("bmp_session_closed").isEmpty(), service);
                // gobgpd never reads from the station: it finds the connection closed, and connects
                // again at once, only when it next writes. A router with news to send: its first
                // route is announced again until it has.
                await("GoBGP connected again", Duration.ofMinutes(3), () -> {
                    if (service.events("bmp_session_established").size() >= 2) {
                        return true;
                    }
                    announceFirstRoute(gobgp);
                    return false;
                }, service);
                // The database stays away until GoBGP has sent its whole table again, as an outage
                // longer than a router's reconnect would.
                await("the RIB holds every route GoBGP holds again", Duration.ofMinutes(5),
                        () -> metric(httpPort, "rampart_rib_routes") == TOTAL, service);
                assertThat(metric(httpPort, "rampart_history_spool_bytes")).isLessThanOrEqualTo(SPOOL_BUDGET);
                try (var rows = lock.createStatement().executeQuery("SELECT count(*) FROM route_history")) {
                    rows.next();
                    assertThat(rows.getLong(1)).as("nothing written past the lock").isEqualTo(1L);
                }
                lock.rollback();
            }

            int total = TOTAL;
            await("the spool drained", Duration.ofMinutes(5),
                    () -> !service.events("history_spool_drained").isEmpty()
                            && metric(httpPort, "rampart_history_spool_bytes") == 0
                            && metric(httpPort, "rampart_history_queued_events") == 0
                            && metric(httpPort, "rampart_history_handover_events") == 0, service);
            // What GoBGP sent again while the spool was still full was dropped as well: once the spool
            // is read out, the sessions are closed once more, and the table comes again into a
            // history that can take it.
            await("the sessions closed again once the spool is read out", Duration.ofMinutes(2),
                    () -> service.events("bmp_sessions_closed").stream().anyMatch(e -> e.path("reason").asText()
                            .equals("route history caught up after dropping events while its spool was full")), service);
            await("GoBGP connected a third time", Duration.ofMinutes(3), () -> {
                if (service.events("bmp_session_established").size() >= 3) {
                    return true;
                }
                announceFirstRoute(gobgp);
                return false;
            }, service);
            // Nothing accepted is lost: every event history took is written or counted as dropped.
            await("every accepted event written or dropped", Duration.ofMinutes(2),
                    () -> metric(httpPort, "rampart_history_accepted_events_total")
                            == metric(httpPort, "rampart_history_written_events_total")
                            + metric(httpPort, "rampart_history_dropped_events_total")
                            + metric(httpPort, "rampart_history_rejected_events_total"), service);
            assertThat(metric(httpPort, "rampart_history_rejected_events_total")).isZero();
            assertThat((double) count(service, "SELECT count(*) FROM route_history"))
                    .as("each written event is one row").isEqualTo(metric(httpPort, "rampart_history_written_events_total"));
            // What GoBGP holds, announced: in history, and current after a checkpoint.
            awaitValue("every route GoBGP holds announced in route_history", (long) total,
                    () -> count(service, "SELECT count(DISTINCT route_key) FROM route_history WHERE NOT is_withdrawn"),
                    service);
            awaitValue("every route GoBGP holds current in current_route", (long) total,
                    () -> count(service, "SELECT count(*) FROM current_route WHERE NOT withdrawn"), service);
            assertThat(metric(httpPort, "rampart_rib_routes")).isEqualTo(total);
            assertThat(service.terminate(Duration.ofSeconds(90))).as(service.output()).isZero();
        }
    }

    /**
     * Announces the first route, its MED changed each time: GoBGP writes to a BMP station only
     * for a change, and notices that the station closed the connection (then connects again)
     * only when it writes. The route is the same prefix every time, so the table's size stays.
     */
    private static void announceFirstRoute(GoBgpDaemon gobgp) throws Exception {
        gobgp.cli("global", "rib", "add", "198.51.100.0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                "aspath", "65002,65003", "med", Integer.toString(ANNOUNCEMENTS.incrementAndGet()));
    }

    /** ORIGIN IGP, AS_PATH 65002 65010 (4-octet, as TABLE_DUMP_V2 has it), NEXT_HOP 192.0.2.9. */
    private static byte[] smallAttributes() {
        return new byte[] {0x40, 1, 1, 0,
                0x40, 2, 10, 2, 2, 0, 0, (byte) 0xFD, (byte) 0xEA, 0, 0, (byte) 0xFD, (byte) 0xF2,
                0x40, 3, 4, (byte) 192, 0, 2, 9};
    }

    /** The small set and {@link #COMMUNITIES} standard communities of this route's own. */
    private static byte[] largeAttributes(int route) {
        byte[] base = smallAttributes();
        int length = COMMUNITIES * 4;
        byte[] attributes = new byte[base.length + 4 + length];
        System.arraycopy(base, 0, attributes, 0, base.length);
        int at = base.length;
        attributes[at++] = (byte) 0xD0; // optional, transitive, extended length
        attributes[at++] = 8;
        attributes[at++] = (byte) (length >>> 8);
        attributes[at++] = (byte) length;
        for (int c = 0; c < COMMUNITIES; c++) {
            int community = (65000 + route % 500) << 16 | (route / 500 * COMMUNITIES + c) & 0xFFFF;
            for (int shift = 24; shift >= 0; shift -= 8) {
                attributes[at++] = (byte) (community >>> shift);
            }
        }
        return attributes;
    }

    /**
     * Puts {@code routes} /24 routes from {@code firstOctet}.0.0.0 into GoBGP's Loc-RIB, in order.
     * {@code gobgp mrt inject} (GoBGP 3.10) exits before the daemon has taken the last few hundred
     * to thousand routes it streamed, always a tail of the file, so each file ends with the last
     * route repeated {@link #TAIL} times (GoBGP takes a repeat as an update of the same route), and
     * what is still missing is injected again.
     */
    private static void inject(GoBgpDaemon gobgp, Path directory, int firstOctet, int routes,
                               IntFunction<byte[]> attributes) throws Exception {
        int before = destinations(gobgp);
        int held = 0;
        for (int attempt = 0; attempt < 5 && held < routes; attempt++) {
            Path file = mrtTable(directory.resolve("table-" + firstOctet + "-" + attempt + ".mrt"), firstOctet,
                    held, routes, attributes);
            gobgp.cli("mrt", "inject", "global", file.toString());
            Files.delete(file);
            int now = destinations(gobgp) - before;
            assertThat(now).as("GoBGP took routes in file order").isGreaterThanOrEqualTo(held);
            held = now;
        }
        assertThat(held).as("routes GoBGP holds from %d.0.0.0", firstOctet).isEqualTo(routes);
    }

    /** The IPv4 destinations in GoBGP's Loc-RIB. */
    private static int destinations(GoBgpDaemon gobgp) throws Exception {
        String summary = gobgp.cli("global", "rib", "summary", "-a", "ipv4");
        var match = java.util.regex.Pattern.compile("Destination: (\\d+),").matcher(summary);
        assertThat(match.find()).as(summary).isTrue();
        return Integer.parseInt(match.group(1));
    }

    /**
     * An MRT TABLE_DUMP_V2 file (RFC 6396) of one peer's /24 routes {@code from} to {@code to}
     * (exclusive) of a table starting at {@code firstOctet}.0.0.0, for {@code gobgp mrt inject global}.
     */
    private static Path mrtTable(Path file, int firstOctet, int from, int to, IntFunction<byte[]> attributes)
            throws IOException {
        int time = (int) (System.currentTimeMillis() / 1000);
        try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            mrtHeader(out, time, 1, 4 + 2 + 2 + 1 + 4 + 4 + 4); // PEER_INDEX_TABLE
            out.writeInt(0xC0000202); // collector BGP ID
            out.writeShort(0); // no view name
            out.writeShort(1); // one peer
            out.writeByte(0x02); // its AS is 4 octets, its address IPv4
            out.writeInt(0xC0000202);
            out.writeInt(0xC0000202);
            out.writeInt(65002);
            for (int n = from; n < to + TAIL; n++) {
                int i = Math.min(n, to - 1);
                byte[] set = attributes.apply(i);
                mrtHeader(out, time, 2, 4 + 1 + 3 + 2 + 2 + 4 + 2 + set.length); // RIB_IPV4_UNICAST
                out.writeInt(n);
                out.writeByte(24);
                out.writeByte(firstOctet + i / 65_536);
                out.writeByte(i / 256 % 256);
                out.writeByte(i % 256);
                out.writeShort(1); // one entry
                out.writeShort(0); // peer index
                out.writeInt(time);
                out.writeShort(set.length);
                out.write(set);
            }
        }
        return file;
    }

    private static void mrtHeader(DataOutputStream out, int time, int subtype, int length) throws IOException {
        out.writeInt(time);
        out.writeShort(13); // TABLE_DUMP_V2
        out.writeShort(subtype);
        out.writeInt(length);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} until it holds; a check that throws (the service not answering yet) is tried again. */
    private static void await(String what, Duration timeout, Check check, ServiceProcess service)
            throws InterruptedException {
        Exception[] last = new Exception[1];
        boolean held = Daemon.await(timeout, () -> {
            try {
                return check.holds();
            } catch (Exception e) {
                last[0] = e;
                return false;
            }
        });
        if (!held) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n"
                    + historyMetrics() + "\n"
                    + String.join("\n", service.stdout().stream().filter(l -> !l.contains("\"DEBUG\"")).toList()),
                    last[0]);
        }
    }

    private interface Reading {
        Object read() throws Exception;
    }

    private static void awaitValue(String what, Object expected, Reading reading, ServiceProcess service)
            throws InterruptedException {
        Object[] last = new Object[1];
        try {
            await(what, Duration.ofMinutes(3), () -> expected.equals(last[0] = reading.read()), service);
        } catch (AssertionError e) {
            throw new AssertionError("expected " + expected + ", last read " + last[0] + ": " + e.getMessage(),
                    e.getCause());
        }
    }

    private static JsonNode awaitEvent(ServiceProcess service, String name) throws InterruptedException {
        await(name + " in the log", Duration.ofMinutes(3), () -> service.event(name).isPresent(), service);
        return service.event(name).orElseThrow();
    }

    private static long count(ServiceProcess service, String sql) throws Exception {
        try (var db = service.database(); var rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The service's HTTP port, for the history and RIB metrics a timed-out wait shows. */
    private static volatile int metricsPort;

    private static String historyMetrics() {
        try (var client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return String.join("\n", body.lines().filter(line -> line.startsWith("rampart_history_")
                    || line.startsWith("rampart_rib_routes ") || line.startsWith("rampart_bmp_")).toList());
        } catch (Exception e) {
            return "metrics not read: " + e;
        }
    }

    /** The value of the first metric line starting with {@code series}; -1 when there is none. */
    private static double metric(int httpPort, String series) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(series + " ") || line.startsWith(series + "{"))
                    .findFirst().map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .orElse(-1.0);
        }
    }
}
