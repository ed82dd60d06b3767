package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real processes: a detector posts an attack to the service, the service's
 * speaker announces the rule, GoBGP holds it; the service restarts and reconciliation restores
 * exactly the desired rules; an operator withdraws and the rule leaves GoBGP.
 */
class MitigationEndToEndIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void detectorToRouterAndBackAcrossARestart() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd is not installed");
        int bgpPort = ServiceProcess.freePort();
        int httpPort = ServiceProcess.freePort();
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
                      - {action: police, rate_bps: 100M, ttl: 10m}
                      - {action: discard, ttl: 30m, escalate_when: {min_persistence: 2m, min_confidence: 0.8}}
                """);
        Map<String, String> environment = Map.ofEntries(
                Map.entry("RAMPART_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("RAMPART_BMP_PORT", "0"),
                Map.entry("RAMPART_RTR_PORT", "0"),
                Map.entry("RAMPART_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("RAMPART_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("RAMPART_POP", "ams1"),
                Map.entry("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString()),
                Map.entry("RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString()),
                Map.entry("RAMPART_BGP_ASN", "65000"),
                Map.entry("RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                Map.entry("RAMPART_BGP_PEERS", "127.0.0.1:" + bgpPort + "/65001"));

        try (GoBgpDaemon gobgp = GoBgpDaemon.start(dir, gobgpConfig); HttpClient client = HttpClient.newHttpClient()) {
            String rule = "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000";
            String mitigationId;
            try (ServiceProcess service = ServiceProcess.start(environment)) {
                assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
                HttpResponse<String> posted = post(client, service, httpPort, "/api/v1/events", """
                        {"event_id":"e2e-1","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                         "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                        """);
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
                mitigationId = json.readTree(posted.body()).path("mitigation_id").asText();
                String shownBody = client.send(service.request(httpPort, "/api/v1/mitigations/" + mitigationId)
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                JsonNode audit = json.readTree(shownBody).path("audit");
                assertThat(audit).as(shownBody).extracting(a -> a.path("actor").asText())
                        .anySatisfy(actor -> assertThat(actor).startsWith("detector:fastnetmon via token:bootstrap-admin("));
                assertThat(awaitRib(gobgp, Set.of(rule))).as(service.output()).isEqualTo(Set.of(rule));
                assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
            }
            // GoBGP drops the rules of a session that closed; the restarted service must restore them.
            assertThat(awaitRib(gobgp, Set.of())).isEmpty();
            try (ServiceProcess service = ServiceProcess.start(environment)) {
                assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
                assertThat(awaitRib(gobgp, Set.of(rule))).as(service.output()).isEqualTo(Set.of(rule));

                // SIGHUP reloads the policy files, as init systems expect.
                new ProcessBuilder("kill", "-HUP", Long.toString(service.pid())).start().waitFor(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (service.events("policy_reloaded").stream().noneMatch(e -> e.path("trigger").asText()
                        .equals("sighup")) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                assertThat(service.events("policy_reloaded")).as(service.output())
                        .anySatisfy(e -> assertThat(e.path("trigger").asText()).isEqualTo("sighup"));

                HttpResponse<String> withdrawn = post(client, service, httpPort, "/api/v1/mitigations/" + mitigationId
                        + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"attack over\"}");
                assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
                assertThat(awaitRib(gobgp, Set.of())).isEmpty();
                assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, ServiceProcess service, int port, String path,
                                             String body) throws Exception {
        return client.send(service.request(port, path)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> awaitRib(GoBgpDaemon gobgp, Set<String> expected) throws Exception {
        Set<String> seen = Set.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            seen = gobgp.flowSpecRules("ipv4-flowspec");
            if (seen.equals(expected)) {
                return seen;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return seen;
    }
}
