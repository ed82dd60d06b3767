package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import net.rampart.rpki.rtr.RtrClient;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.mrt.MrtReader;
import net.rampart.wire.mrt.MrtRecord;
import net.rampart.wire.mrt.MrtRouteDecoder;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's fault "CPU starvation during a full-table load", on real processes: the service
 * (its own JVM, embedded PostgreSQL) is fed an IPv4 full table over BMP by a real GoBGP while
 * twice as many busy processes as the machine has cores compete for the CPU. The same GoBGP is
 * the FlowSpec speaker's BGP peer, holding one rule, with a hold time of 9 s (keepalives every
 * 3 s), and a router is connected over RTR asking for deltas every few seconds as a router
 * would. The starvation lasts the whole load and at least {@link #MIN_STARVATION}, several
 * hold times, so a keepalive held back by the load would show as a hold timer expiring.
 *
 * <p>Then: every route sent is in the RIB (compared with the dump, prefix and AS path), the BMP
 * session is the first and only one, the BGP session never went down (GoBGP's count of flops
 * unchanged, the rule still there), the RTR client's connection answered every query, no log
 * event of a session closed or failed, and {@code /health/ready} answered 200 throughout.
 */
class CpuStarvationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Routes of the table: as many as this test's time allows on a two-core machine. */
    private static final int ROUTES = 200_000;
    /** Records of the table's end injected twice into GoBGP (see {@link #forInjection}). */
    private static final int INJECT_TAIL = 20_000;
    private static final int HOLD_SECONDS = 9;
    private static final Duration MIN_STARVATION = Duration.ofSeconds(4L * HOLD_SECONDS);
    /** How long a busy process may live whatever happens to this test. */
    private static final int BUSY_HARD_LIMIT_SECONDS = 90;
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(75);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NEIGHBOR = "127.0.0.1";
    private static final String IPV4_ROUTES = "/api/v1/routes?router=127.0.0.1&family=ipv4";
    private static final String RULE =
            "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000";
    /** Log events of a session closed, refused or failed by the service, none of which may appear. */
    private static final List<String> SESSION_ENDS = List.of("bmp_connection_error", "bmp_session_closed",
            "bmp_sessions_closed", "bmp_framing_lost", "bmp_session_not_established", "router_routes_withdrawn",
            "peer_disconnected", "history_spool_exhausted", "bgp_session_down", "bgp_session_error",
            "rtr_client_disconnected", "rtr_client_error", "rtr_session_error", "rtr_protocol_error");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void aFullTableLoadedWhileTheCpuIsStarvedDropsNoBmpBgpOrRtrSession() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd is not installed");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int rtrPort = ServiceProcess.freePort();
        int bgpPort = ServiceProcess.freePort();
        Path dump = FullTableDump.write(dir.resolve("full-table.mrt.gz"), ROUTES, 22);
        Map<String, String> sent = routes(dump);
        Path table = forInjection(dump);
        assertThat(sent).hasSize(ROUTES);

        Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24]
                """);
        Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 30m}
                """);
        Path vrps = Files.writeString(dir.resolve("vrps.json"), "{\"metadata\":{\"generated\":"
                + System.currentTimeMillis() / 1000 + "},\"roas\":[{\"asn\":\"AS64500\",\"prefix\":\"192.0.2.0/24\","
                + "\"maxLength\":24,\"ta\":\"test\"},{\"asn\":\"AS64501\",\"prefix\":\"2001:db8::/32\",\"maxLength\":48,"
                + "\"ta\":\"test\"}]}");
        Map<String, String> environment = ServiceProcess.loopbackCollector(httpPort, bmpPort, dir.resolve("data"));
        environment.putAll(Map.ofEntries(
                Map.entry("RAMPART_RTR_PORT", Integer.toString(rtrPort)),
                Map.entry("RAMPART_RPKI_SOURCES", "file:" + vrps),
                Map.entry("RAMPART_RPKI_POLL_INTERVAL", "1d"),
                Map.entry("RAMPART_POP", "ams1"),
                Map.entry("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString()),
                Map.entry("RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString()),
                Map.entry("RAMPART_BGP_ASN", "65000"),
                Map.entry("RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                Map.entry("RAMPART_BGP_HOLD_TIME", HOLD_SECONDS + "s"),
                Map.entry("RAMPART_BGP_PEERS", "127.0.0.1:" + bgpPort + "/65001")));
        String gobgpConfig = GoBgpDaemon.config(65001, "10.0.0.2").port(bgpPort).localAddress("127.0.0.1")
                .neighbor(GoBgpDaemon.neighbor(NEIGHBOR, 65000).passive().families("ipv4-flowspec", "ipv6-flowspec"))
                .toml();

        List<Process> busy = new ArrayList<>();
        try (GoBgpDaemon gobgp = GoBgpDaemon.start(dir, gobgpConfig);
             ServiceProcess service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();

            // The BGP session with its rule, before the fault.
            Daemon.await("the FlowSpec session established", WAIT, () -> gobgp.established(NEIGHBOR));
            JsonNode peer = neighbor(gobgp);
            assertThat(peer.path("timers").path("state").path("negotiated_hold_time").asLong())
                    .as("hold time agreed with GoBGP: %s", peer).isEqualTo(HOLD_SECONDS);
            long flops = peer.path("state").path("flops").asLong();
            post(service, httpPort, "/api/v1/events", """
                    {"event_id":"starved-1","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                     "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                    """, 202);
            Daemon.await("the rule in GoBGP's FlowSpec RIB", WAIT, () -> rules(gobgp).equals(Set.of(RULE)));

            // The router synced over RTR, before the fault.
            RtrClient router = RtrClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), rtrPort), 1,
                    WAIT);
            RtrClient.Sync full = router.reset();
            assertThat(full.payload()).as("VRPs of the file").hasSize(2);
            int session = full.sessionId();
            int serial = full.endOfData().serial();

            // The table in the router, not yet sent: BMP comes up only once the CPU is starved.
            gobgp.cli("mrt", "inject", "global", table.toString());
            long[] inGoBgp = {0};
            assertThat(Daemon.await(WAIT, () -> (inGoBgp[0] = destinations(gobgp)) == ROUTES))
                    .as("IPv4 destinations in GoBGP after the injection: %d", inGoBgp[0]).isTrue();

            int busyCount = Runtime.getRuntime().availableProcessors() * 2;
            for (int i = 0; i < busyCount; i++) {
                busy.add(new ProcessBuilder("timeout", Integer.toString(BUSY_HARD_LIMIT_SECONDS), "sh", "-c",
                        "while :; do :; done").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            long starved = System.nanoTime();
            Duration cpuBefore = cpu(service);
            gobgp.cli("bmp", "add", "127.0.0.1:" + bmpPort, "local-rib");

            // While starved: readiness sampled, the router's Serial Queries answered on its one
            // connection, until the whole table is in the RIB and its history written, and for at
            // least MIN_STARVATION.
            Map<Integer, Integer> readyAnswers = new TreeMap<>();
            List<String> readyFailures = new ArrayList<>();
            int rtrQueries = 0;
            long lastRtr = System.nanoTime();
            long deadline = starved + LOAD_TIMEOUT.toNanos();
            long ribRoutes = -1;
            double queued = -1;
            long loadedAt = 0;
            while (System.nanoTime() < deadline) {
                int status = ready(httpPort, readyFailures);
                readyAnswers.merge(status, 1, Integer::sum);
                // The router's IPv4 routes: its Loc-RIB also carries the FlowSpec rule, back from GoBGP.
                ribRoutes = get(service, httpPort, IPV4_ROUTES + "&limit=1").path("matched").asLong();
                queued = metrics(service, httpPort).getOrDefault("rampart_history_queued_events", -1.0);
                if (loadedAt == 0 && ribRoutes == ROUTES && queued == 0) {
                    loadedAt = System.nanoTime();
                }
                if (System.nanoTime() - lastRtr > TimeUnit.SECONDS.toNanos(5)) {
                    RtrClient.Sync delta = router.since(session, serial);
                    assertThat(delta.sessionId()).isEqualTo(session);
                    assertThat(delta.payload()).as("nothing changed in the VRPs").isEmpty();
                    rtrQueries++;
                    lastRtr = System.nanoTime();
                }
                if (loadedAt != 0 && System.nanoTime() - starved >= MIN_STARVATION.toNanos()) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            Duration starvation = Duration.ofNanos(System.nanoTime() - starved);
            Duration serviceCpu = cpu(service).minus(cpuBefore);
            // Still starved: the BGP session must be up now, not only once the CPU is back.
            boolean establishedWhileStarved = gobgp.established(NEIGHBOR);
            stop(busy);
            assertThat(loadedAt).as("the table (%d routes) in the RIB and its history written within %s while "
                    + "starved; RIB routes %s, history queue %s; service output:%n%s", ROUTES, LOAD_TIMEOUT, ribRoutes,
                    queued, tail(service)).isNotZero();
            Duration loading = Duration.ofNanos(loadedAt - starved);
            System.out.printf("CPU starvation: %d busy processes for %s, the service's JVM used %s of CPU in it; "
                    + "table of %d routes loaded and written in %s; %d RTR queries; readiness answers %s%n", busyCount,
                    starvation, serviceCpu, ROUTES, loading, rtrQueries, readyAnswers);

            // Sessions: none closed, none started again.
            for (String event : SESSION_ENDS) {
                assertThat(service.events(event)).as("log events %s", event).isEmpty();
            }
            assertThat(service.events("bmp_session_established")).as("BMP sessions").hasSize(1);
            assertThat(service.events("bgp_session_up")).as("BGP sessions").hasSize(1);
            assertThat(establishedWhileStarved).as("BGP session established at the end of the starvation").isTrue();
            JsonNode after = neighbor(gobgp);
            assertThat(after.path("state").path("session_state").asInt()).as("GoBGP's session: %s", after).isEqualTo(6);
            assertThat(after.path("state").path("flops").asLong()).as("GoBGP's count of session flops")
                    .isEqualTo(flops);
            assertThat(rules(gobgp)).as("the rule announced before the starvation").isEqualTo(Set.of(RULE));
            JsonNode routers = get(service, httpPort, "/api/v1/routers").path("items");
            assertThat(routers).as("routers: %s", routers).singleElement()
                    .satisfies(r -> assertThat(r.path("connected").asBoolean()).isTrue());
            assertThat(rtrQueries).as("Serial Queries answered while starved").isPositive();
            RtrClient.Sync last = router.since(session, serial);
            assertThat(last.sessionId()).isEqualTo(session);
            assertThat(last.endOfData().serial()).isEqualTo(serial);
            router.close();

            // Readiness throughout, and now.
            assertThat(readyFailures).as("/health/ready while starved").isEmpty();
            assertThat(readyAnswers.keySet()).as("/health/ready statuses while starved").containsOnly(200);
            assertThat(ready(httpPort, readyFailures)).isEqualTo(200);

            // Every route sent, no other.
            assertThat(metrics(service, httpPort).get("rampart_bmp_parse_errors_total")).isZero();
            Map<String, String> held = held(service, httpPort);
            assertThat(held.size()).as("routes in the RIB").isEqualTo(ROUTES);
            assertThat(held).as("the RIB against the table sent").isEqualTo(sent);
            assertThat(service.terminate(Duration.ofSeconds(60))).as(tail(service)).isZero();
        } finally {
            stop(busy);
        }
    }

    /** The CPU time the service's JVM has used so far. */
    private static Duration cpu(ServiceProcess service) {
        return ProcessHandle.of(service.pid()).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /** Ends the busy processes: SIGTERM to {@code timeout}, which passes it on; SIGKILL to what is left. */
    private static void stop(List<Process> busy) throws InterruptedException {
        for (Process p : busy) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
        busy.clear();
    }

    /**
     * The gzip'd dump written out plain for {@code gobgp mrt inject}, which reads no gzip, with
     * its last {@link #INJECT_TAIL} records repeated at the end: gobgp 3.10's CLI ends before the
     * daemon has taken the last few hundred paths it streamed, so the repeat carries the table's
     * own end in and only repeated paths are lost.
     */
    private static Path forInjection(Path gzipped) throws IOException {
        byte[] dump;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
            dump = in.readAllBytes();
        }
        List<Integer> starts = new ArrayList<>();
        for (int at = 0; at < dump.length; at += MrtReader.HEADER_LENGTH + ByteBuffer.wrap(dump, at + 8, 4).getInt()) {
            starts.add(at);
        }
        int tail = starts.get(Math.max(1, starts.size() - INJECT_TAIL));
        Path plain = gzipped.resolveSibling("full-table-for-gobgp.mrt");
        try (OutputStream out = Files.newOutputStream(plain)) {
            out.write(dump);
            out.write(dump, tail, dump.length - tail);
        }
        return plain;
    }

    /** The dump's routes, prefix to AS path text, read back with the project's MRT reader. */
    private static Map<String, String> routes(Path dump) throws IOException {
        Map<String, String> routes = new LinkedHashMap<>();
        try (MrtReader reader = MrtReader.open(dump)) {
            while (reader.hasNext()) {
                if (reader.next() instanceof MrtRecord.RibAfi rib) {
                    assertThat(rib.entries()).hasSize(1);
                    assertThat(rib.afi()).isEqualTo(AfiSafi.AFI_IPV4);
                    var attributes = MrtRouteDecoder.attributes(AfiSafi.IPV4_UNICAST, rib.entries().get(0));
                    PathAttribute.AsPath path = attributes.attribute(PathAttribute.AsPath.class).orElseThrow();
                    routes.put(AddressText.of(rib.prefix()) + "/" + rib.prefixLength(), text(path));
                }
            }
        }
        return routes;
    }

    private static String text(PathAttribute.AsPath path) {
        StringJoiner text = new StringJoiner(" ");
        for (AsPathSegment segment : path.segments()) {
            assertThat(segment.type()).isEqualTo(AsPathSegment.Type.AS_SEQUENCE);
            for (int i = 0; i < segment.size(); i++) {
                text.add(Long.toString(segment.asn(i)));
            }
        }
        return text.toString();
    }

    /** The RIB's IPv4 routes of the router, prefix to AS path text, read page by page from the API. */
    private Map<String, String> held(ServiceProcess service, int port) throws Exception {
        Map<String, String> held = new LinkedHashMap<>();
        Set<String> views = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = get(service, port, IPV4_ROUTES + "&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            for (JsonNode route : page.path("items")) {
                views.add(route.path("view").asText());
                assertThat(held.put(route.path("prefix").asText(), AsPathText.of(route)))
                        .as("one route per prefix: %s", route).isNull();
            }
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        assertThat(views).as("GoBGP sends its Loc-RIB").containsExactly("loc-rib");
        return held;
    }

    /** The status of {@code /health/ready}, or 0 when it did not answer within 10 s (noted in {@code failures}). */
    private int ready(int port, List<String> failures) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            failures.add(e.toString());
            return 0;
        }
    }

    /** The service's metrics without labels, by name. */
    private Map<String, Double> metrics(ServiceProcess service, int port) throws Exception {
        Map<String, Double> metrics = new TreeMap<>();
        HttpResponse<String> r = http.send(service.request(port, "/metrics").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0 && !line.contains("{")) {
                metrics.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return metrics;
    }

    /** GET of the API, answered 200 within 20 s or failing the test. */
    private JsonNode get(ServiceProcess service, int port, String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(service.request(port, pathAndQuery).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private void post(ServiceProcess service, int port, String path, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(service.request(port, path).timeout(WAIT)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(status);
    }

    /** GoBGP's view of its neighbour, the FlowSpec speaker. */
    private static JsonNode neighbor(GoBgpDaemon gobgp) throws Exception {
        return JSON.readTree(gobgp.cli("neighbor", NEIGHBOR, "-j"));
    }

    private static Set<String> rules(GoBgpDaemon gobgp) {
        try {
            return gobgp.flowSpecRules("ipv4-flowspec");
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    /** The IPv4 destinations in GoBGP's Loc-RIB, from {@code gobgp global rib summary}; -1 while unreadable. */
    private static long destinations(GoBgpDaemon gobgp) {
        try {
            String summary = gobgp.cli("global", "rib", "summary", "-a", "ipv4");
            int at = summary.indexOf("Destination: ");
            return Long.parseLong(summary.substring(at + "Destination: ".length(), summary.indexOf(',', at)).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The service's last log lines, for a failure message that stays readable. */
    private static String tail(ServiceProcess service) {
        List<String> lines = service.stdout();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
