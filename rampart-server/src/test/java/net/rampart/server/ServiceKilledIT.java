package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.rampart.rpki.rtr.RtrClient;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.rtr.Ipv4PrefixPdu;
import net.rampart.wire.rtr.Ipv6PrefixPdu;
import net.rampart.wire.rtr.RtrPdu;
import net.rampart.wire.rtr.SerialNotify;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's fault "Rampart killed while serving RTR and with a mitigation active", on real
 * processes: the service is killed with SIGKILL (no shutdown hook runs) while a router is
 * connected over RTR and GoBGP holds a FlowSpec rule, the VRP file changes while it is down,
 * and it is started again on the same data directory. Then the RTR session id is the same and
 * the serial has not gone back; the router's Serial Queries with the serials it held before
 * the kill get the exact deltas (docs/rpki.md: a Cache Reset only for a serial older than the
 * retained history or of another session, and neither is the case here); GoBGP holds exactly
 * the active mitigation's rule, once, and not the one withdrawn before the kill.
 */
class ServiceKilledIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration RTR_TIMEOUT = Duration.ofSeconds(10);
    private static final int RTR_VERSION = 1;

    private static final String RULE_KEPT =
            "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000";
    private static final String RULE_WITHDRAWN =
            "[destination: 192.0.2.20/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000";

    /** The VRPs at the first start; the client's first sync. */
    private static final Set<String> SET_A = Set.of("192.0.2.0/24-24 AS64500", "198.51.100.0/24-24 AS64501",
            "2001:db8::/32-48 AS64502");
    /** Loaded before the kill: one VRP gone, one new. */
    private static final Set<String> SET_B = Set.of("192.0.2.0/24-24 AS64500", "203.0.113.0/24-24 AS64503",
            "2001:db8::/32-48 AS64502");
    /** Written while the service is dead, loaded by the restarted one. */
    private static final Set<String> SET_C = Set.of("198.51.100.0/24-25 AS64504", "203.0.113.0/24-24 AS64503",
            "2001:db8::/32-48 AS64502");

    @TempDir
    Path dir;

    @Test
    void killedWhileServingRtrWithAMitigationActiveItResumesTheRtrSessionAndRestoresExactlyTheDesiredRules()
            throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd is not installed");
        int bgpPort = ServiceProcess.freePort();
        int httpPort = ServiceProcess.freePort();
        int rtrPort = ServiceProcess.freePort();
        InetSocketAddress cache = new InetSocketAddress(InetAddress.getLoopbackAddress(), rtrPort);
        String gobgpConfig = GoBgpDaemon.config(65001, "10.0.0.2").port(bgpPort).localAddress("127.0.0.1")
                .neighbor(GoBgpDaemon.neighbor("127.0.0.1", 65000).passive().families("ipv4-flowspec", "ipv6-flowspec"))
                .toml();
        Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24, 2001:db8::/32]
                """);
        Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 30m}
                """);
        Path vrps = dir.resolve("vrps.json");
        writeVrps(vrps, SET_A);
        Map<String, String> environment = Map.ofEntries(
                Map.entry("RAMPART_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("RAMPART_BMP_PORT", "0"),
                Map.entry("RAMPART_RTR_PORT", Integer.toString(rtrPort)),
                Map.entry("RAMPART_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("RAMPART_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("RAMPART_RPKI_SOURCES", "file:" + vrps),
                Map.entry("RAMPART_RPKI_POLL_INTERVAL", "1d"),
                // Three VRPs a set: one changed is a third of it.
                Map.entry("RAMPART_RPKI_MAX_SHRINK_PERCENT", "100"),
                Map.entry("RAMPART_POP", "ams1"),
                Map.entry("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString()),
                Map.entry("RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString()),
                Map.entry("RAMPART_BGP_ASN", "65000"),
                Map.entry("RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                Map.entry("RAMPART_BGP_PEERS", "127.0.0.1:" + bgpPort + "/65001"));

        try (GoBgpDaemon gobgp = GoBgpDaemon.start(dir, gobgpConfig); HttpClient http = HttpClient.newHttpClient()) {
            int session;
            long serialA;
            long serialB;
            String keptId;
            String withdrawnId;
            try (ServiceProcess service = ServiceProcess.start(environment)) {
                assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
                var api = service.api(httpPort);
                JsonNode first = awaitState(api, state -> state.path("vrp_count").asInt() == SET_A.size());
                session = first.path("session_id").asInt();

                // A router syncs the whole set, then the delta once B is loaded, and stays connected.
                RtrClient router = RtrClient.connect(cache, RTR_VERSION, RTR_TIMEOUT);
                RtrClient.Sync full = router.reset();
                assertThat(full.sessionId()).isEqualTo(session);
                serialA = Integer.toUnsignedLong(full.endOfData().serial());
                assertThat(announced(full.payload())).isEqualTo(SET_A);

                writeVrps(vrps, SET_B);
                JsonNode refreshed = post(http, service, httpPort, "/api/v1/rpki/refresh", "", 200);
                assertThat(refreshed.path("changed").asBoolean()).as(refreshed.toString()).isTrue();
                serialB = awaitState(api, state -> state.path("serial").asLong() != serialA).path("serial").asLong();
                assertThat(serialB).isEqualTo(serialA + 1);
                RtrClient.Sync delta = router.since(session, (int) serialA);
                assertThat(Integer.toUnsignedLong(delta.endOfData().serial())).isEqualTo(serialB);
                assertThat(changes(delta.payload())).containsExactlyInAnyOrder(
                        "- 198.51.100.0/24-24 AS64501", "+ 203.0.113.0/24-24 AS64503");

                // Two attacks, two rules; the second is withdrawn by an operator.
                keptId = post(http, service, httpPort, "/api/v1/events", event("kill-1", "192.0.2.10"), 202)
                        .path("mitigation_id").asText();
                withdrawnId = post(http, service, httpPort, "/api/v1/events", event("kill-2", "192.0.2.20"), 202)
                        .path("mitigation_id").asText();
                assertThat(awaitRib(gobgp, Set.of(RULE_KEPT, RULE_WITHDRAWN))).as(service.output())
                        .isEqualTo(Set.of(RULE_KEPT, RULE_WITHDRAWN));
                post(http, service, httpPort, "/api/v1/mitigations/" + withdrawnId + "/withdraw",
                        "{\"operator\":\"alice\",\"reason\":\"attack over\"}", 200);
                assertThat(awaitRib(gobgp, Set.of(RULE_KEPT))).as(service.output()).isEqualTo(Set.of(RULE_KEPT));
                // Mitigation changes are written behind the answer (docs/mitigation.md); a read of the
                // stored mitigations waits for the writes made before it, so once it shows the
                // withdrawal the state to restore is in PostgreSQL, as it is a moment after any answer.
                assertThat(api.get("/api/v1/mitigations/" + withdrawnId).path("status").asText()).isEqualTo("withdrawn");
                assertThat(api.get("/api/v1/mitigations/" + keptId).path("status").asText()).isEqualTo("active");

                // SIGKILL, the service's own process: no shutdown hook, no BGP NOTIFICATION, no RTR goodbye.
                ProcessHandle.of(service.pid()).orElseThrow().destroyForcibly();
                assertThat(service.awaitExit(WAIT)).as("killed by SIGKILL").isEqualTo(128 + 9);
                assertThat(service.events("shutdown_requested")).as("no shutdown ran").isEmpty();
                // The router sees its connection end.
                assertThat(connectionEnds(router)).as("the RTR connection ends with the process").isTrue();
                router.close();
            }

            // GoBGP drops the rules of the session that died with the process.
            assertThat(awaitRib(gobgp, Set.of())).isEmpty();
            writeVrps(vrps, SET_C);

            try (ServiceProcess service = ServiceProcess.start(environment)) {
                assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
                var api = service.api(httpPort);
                JsonNode resumed = api.get("/api/v1/state");
                assertThat(resumed.path("session_id").asInt()).as("RTR session id after the kill").isEqualTo(session);
                assertThat(resumed.path("serial").asLong()).as("serial after the kill").isGreaterThanOrEqualTo(serialB);
                // The file changed while the service was dead: the restarted service loads it as the next serial.
                JsonNode loaded = awaitState(api, state -> state.path("serial").asLong() != serialB);
                long serialC = loaded.path("serial").asLong();
                assertThat(serialC).isEqualTo(serialB + 1);
                assertThat(loaded.path("session_id").asInt()).isEqualTo(session);

                try (RtrClient router = RtrClient.connect(cache, RTR_VERSION, RTR_TIMEOUT)) {
                    // The router as it was at the kill: at B. Its Serial Query gets the delta B to C.
                    RtrClient.Sync sinceB = incremental(router, session, serialB);
                    assertThat(sinceB.sessionId()).isEqualTo(session);
                    assertThat(Integer.toUnsignedLong(sinceB.endOfData().serial())).isEqualTo(serialC);
                    assertThat(changes(sinceB.payload())).containsExactlyInAnyOrder(
                            "- 192.0.2.0/24-24 AS64500", "+ 198.51.100.0/24-25 AS64504");
                    // A router still at A (stored before the kill) gets the merged delta A to C.
                    RtrClient.Sync sinceA = incremental(router, session, serialA);
                    assertThat(Integer.toUnsignedLong(sinceA.endOfData().serial())).isEqualTo(serialC);
                    assertThat(changes(sinceA.payload())).containsExactlyInAnyOrder(
                            "- 192.0.2.0/24-24 AS64500", "- 198.51.100.0/24-24 AS64501",
                            "+ 203.0.113.0/24-24 AS64503", "+ 198.51.100.0/24-25 AS64504");
                    // Applying it to what the router held gives the set served now.
                    Set<String> applied = apply(SET_A, sinceA.payload());
                    assertThat(applied).isEqualTo(SET_C);
                    RtrClient.Sync whole = router.reset();
                    assertThat(Integer.toUnsignedLong(whole.endOfData().serial())).isEqualTo(serialC);
                    assertThat(announced(whole.payload())).isEqualTo(applied);
                    // Up to date: nothing more.
                    assertThat(incremental(router, session, serialC).payload()).isEmpty();
                }

                // Reconciliation: exactly the active mitigation's rule, once; the withdrawn one stays withdrawn.
                assertThat(awaitRib(gobgp, Set.of(RULE_KEPT))).as(service.output()).isEqualTo(Set.of(RULE_KEPT));
                assertThat(ribPaths(gobgp, "ipv4-flowspec")).as("paths in GoBGP's IPv4 FlowSpec RIB").hasSize(1);
                assertThat(ribPaths(gobgp, "ipv6-flowspec")).as("paths in GoBGP's IPv6 FlowSpec RIB").isEmpty();
                assertThat(api.get("/api/v1/mitigations/" + keptId).path("status").asText()).isEqualTo("active");
                assertThat(api.get("/api/v1/mitigations/" + withdrawnId).path("status").asText()).isEqualTo("withdrawn");
                assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            }
        }
    }

    private static String event(String id, String victim) {
        return """
                {"event_id":"%s","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                 "victim_ip":"%s","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                """.formatted(id, victim);
    }

    /** Writes {@code vrps} ("prefix-maxLength ASn") as a Routinator JSON export. */
    private static void writeVrps(Path file, Set<String> vrps) throws IOException {
        List<String> roas = new ArrayList<>();
        for (String vrp : new TreeSet<>(vrps)) {
            String[] words = vrp.split(" ");
            String[] prefix = words[0].split("-");
            roas.add("{\"asn\":\"%s\",\"prefix\":\"%s\",\"maxLength\":%s,\"ta\":\"test\"}"
                    .formatted(words[1], prefix[0], prefix[1]));
        }
        Files.writeString(file, "{\"metadata\":{\"generated\":" + System.currentTimeMillis() / 1000
                + "},\"roas\":[" + String.join(",", roas) + "]}");
    }

    /** The Serial Query of a router that held {@code serial}; a Cache Reset fails the test. */
    private static RtrClient.Sync incremental(RtrClient router, int session, long serial) throws IOException {
        try {
            return router.since(session, (int) serial);
        } catch (RtrClient.RefusedException e) {
            return fail("Serial Query for retained serial %d of session %d answered %s; docs/rpki.md promises "
                    + "the delta", serial, session, e.answer());
        }
    }

    /** The announced VRPs of a whole answer. */
    private static Set<String> announced(List<RtrPdu> payload) {
        Set<String> out = new HashSet<>();
        for (String change : changes(payload)) {
            assertThat(change).as("a Reset Query's answer only announces").startsWith("+ ");
            assertThat(out.add(change.substring(2))).as("announced once: %s", change).isTrue();
        }
        return out;
    }

    private static Set<String> apply(Set<String> held, List<RtrPdu> payload) {
        Set<String> out = new HashSet<>(held);
        for (String change : changes(payload)) {
            boolean applied = change.startsWith("+ ") ? out.add(change.substring(2)) : out.remove(change.substring(2));
            assertThat(applied).as("%s applies to what the router held", change).isTrue();
        }
        return out;
    }

    /** Each prefix PDU as "+ prefix-maxLength ASn" or "- ...". */
    private static List<String> changes(List<RtrPdu> payload) {
        List<String> out = new ArrayList<>();
        for (RtrPdu pdu : payload) {
            switch (pdu) {
                case Ipv4PrefixPdu p -> out.add((p.announce() ? "+ " : "- ") + Ipv4Prefix.of(p.address(), p.prefixLength())
                        + "-" + p.maxLength() + " AS" + p.asn());
                case Ipv6PrefixPdu p -> out.add((p.announce() ? "+ " : "- ")
                        + Ipv6Prefix.of(p.addressHigh(), p.addressLow(), p.prefixLength()) + "-" + p.maxLength()
                        + " AS" + p.asn());
                default -> fail("unexpected PDU in the payload: %s", pdu);
            }
        }
        return out;
    }

    /** Reads what the cache still sends (a Serial Notify at most) until the connection ends; false if it stays open. */
    private static boolean connectionEnds(RtrClient router) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                RtrPdu pdu = router.read();
                assertThat(pdu).as("nothing but a notify while idle").isInstanceOf(SerialNotify.class);
            } catch (java.net.SocketTimeoutException stillOpen) {
                // read timed out: try again until the deadline
            } catch (IOException ended) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode post(HttpClient http, ServiceProcess service, int port, String path, String body,
                                 int status) throws Exception {
        HttpResponse<String> r = http.send(service.request(port, path).timeout(WAIT)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(status);
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private interface StateCheck {
        boolean holds(JsonNode state);
    }

    /** Polls {@code /api/v1/state} until {@code check} holds; fails with the last state after {@link #WAIT}. */
    private static JsonNode awaitState(ServiceProcess.Api api, StateCheck check) throws Exception {
        JsonNode state = api.get("/api/v1/state");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds(state) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            state = api.get("/api/v1/state");
        }
        assertThat(check.holds(state)).as("RPKI state: %s", state).isTrue();
        return state;
    }

    /** GoBGP's FlowSpec rules once they equal {@code expected}, or what it holds after 30 s. */
    private static Set<String> awaitRib(GoBgpDaemon gobgp, Set<String> expected) throws Exception {
        AtomicReference<Set<String>> seen = new AtomicReference<>(Set.of());
        Daemon.await(WAIT, () -> {
            try {
                seen.set(gobgp.flowSpecRules("ipv4-flowspec"));
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return seen.get().equals(expected);
        });
        return seen.get();
    }

    /** Every path of GoBGP's Loc-RIB for {@code family}, best or not: a rule sent twice shows twice. */
    private static List<String> ribPaths(GoBgpDaemon gobgp, String family) throws Exception {
        return gobgp.cli("global", "rib", "-a", family).lines().filter(line -> line.startsWith("*")).toList();
    }
}
