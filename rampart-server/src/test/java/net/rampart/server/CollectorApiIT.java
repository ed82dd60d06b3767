package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real service collects BMP from a real GoBGP; the API and metrics show the router and its peer. */
class CollectorApiIT {

    private final ObjectMapper json = new ObjectMapper();
    /** The running service's admin token. */
    private String token;

    @Test
    void routerAndPeerAppearInTheApiAndGoAwayWithTheSession(@TempDir Path directory) throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "gobgpd is not installed (Debian package gobgpd); skipped");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        // One VRP: 10.9.0.0/16-24 belongs to AS65003.
        Path vrps = Files.writeString(directory.resolve("vrps.json"), """
                {"metadata": {"generated": %d}, "roas": [{"asn": "AS65003", "prefix": "10.9.0.0/16", "maxLength": 24, "ta": "test"}]}
                """.formatted(java.time.Instant.now().getEpochSecond()));
        var environment = Map.of(
                "RAMPART_RPKI_SOURCES", "file:" + vrps,
                "RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", Integer.toString(bmpPort),
                "RAMPART_BMP_ALLOW", "127.0.0.1/32",
                "RAMPART_RTR_PORT", "0",
                "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", Files.createDirectories(directory.resolve("data")).toString());
        try (var service = ServiceProcess.start(environment); var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            token = service.adminToken();
            JsonNode ready = get(client, httpPort, "/health/ready");
            assertThat(ready.path("checks").path("bmp").asText()).isEqualTo("up");

            try (var gobgp = GoBgpDaemon.start(Files.createDirectories(directory.resolve("gobgp")),
                    GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(bmpPort, "local-rib").toml())) {
                gobgp.cli("global", "rib", "add", "10.9.0.0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                        "aspath", "65002,65003");
                gobgp.cli("global", "rib", "add", "10.9.1.0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                        "aspath", "65002,65004");
                gobgp.cli("global", "rib", "add", "198.51.100.0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                        "aspath", "65002,65003");
                gobgp.cli("global", "rib", "add", "-a", "evpn", "macadv", "aa:bb:cc:00:11:22", "10.0.0.7",
                        "etag", "10", "label", "100", "rd", "65001:10", "rt", "65001:10");

                JsonNode peers = await(() -> get(client, httpPort, "/api/v1/peers?state=up"),
                        page -> page.path("matched").asInt() == 1, service);
                JsonNode peer = peers.path("items").get(0);
                assertThat(peer.path("router").asText()).isEqualTo("127.0.0.1");
                assertThat(peer.path("peer_type").asInt()).isEqualTo(3);
                assertThat(peer.path("asn").asLong()).isEqualTo(65001);
                assertThat(peer.path("bgp_id").asText()).isEqualTo("192.0.2.254");
                assertThat(peer.path("seen_without_peer_up").asBoolean()).isTrue();

                JsonNode route = await(() -> get(client, httpPort, "/api/v1/routes?prefix=10.9.0.0/24"),
                        page -> page.path("matched").asInt() == 1, service).path("items").get(0);
                assertThat(route.path("next_hop").asText()).isEqualTo("192.0.2.9");
                assertThat(route.path("view").asText()).isEqualTo("loc-rib");
                assertThat(route.path("family").asText()).isEqualTo("ipv4");
                assertThat(route.path("rpki").asText()).isEqualTo("valid");
                await(() -> get(client, httpPort, "/api/v1/routes?family=ipv4"), page -> page.path("matched").asInt() == 3,
                        service);
                assertThat(get(client, httpPort, "/api/v1/routes?rpki=invalid").path("items").get(0).path("prefix")
                        .asText()).isEqualTo("10.9.1.0/24");
                assertThat(get(client, httpPort, "/api/v1/routes?rpki=not-found").path("items").get(0).path("prefix")
                        .asText()).isEqualTo("198.51.100.0/24");
                JsonNode byPeer = get(client, httpPort, "/api/v1/rpki/peers");
                assertThat(byPeer.path("totals").path("valid").asLong()).isEqualTo(1);
                assertThat(byPeer.path("totals").path("invalid").asLong()).isEqualTo(1);
                assertThat(byPeer.path("totals").path("not-found").asLong()).isEqualTo(1);
                assertThat(byPeer.path("items").get(0).path("view").asText()).isEqualTo("loc-rib");

                // New VRPs: 10.9.0.0/16 moves to AS65099, 198.51.100.0/24 gets a VRP for its origin
                // AS65003. Only those prefixes are re-validated; the counts follow without a RIB pass.
                Files.writeString(vrps, """
                        {"metadata": {"generated": %d}, "roas": [
                          {"asn": "AS65099", "prefix": "10.9.0.0/16", "maxLength": 24, "ta": "test"},
                          {"asn": "AS65003", "prefix": "198.51.100.0/24", "maxLength": 24, "ta": "test"}]}
                        """.formatted(java.time.Instant.now().getEpochSecond()));
                var refreshed = client.send(service.request(httpPort, "/api/v1/rpki/refresh")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
                JsonNode after = get(client, httpPort, "/api/v1/rpki/peers").path("totals");
                assertThat(after.path("valid").asLong()).isEqualTo(1);
                assertThat(after.path("invalid").asLong()).isEqualTo(2);
                assertThat(after.path("not-found").asLong()).isZero();
                assertThat(get(client, httpPort, "/api/v1/routes?prefix=198.51.100.0/24").path("items").get(0)
                        .path("rpki").asText()).isEqualTo("valid");
                JsonNode revalidated = await(() -> service.events("rpki_routes_revalidated").stream()
                                .reduce((first, last) -> last).orElse(json.nullNode()),
                        event -> event.path("changed").asInt() == 2, service);
                assertThat(revalidated.path("examined").asInt()).as("the routes the changed VRPs cover").isEqualTo(3);
                await(() -> json.getNodeFactory().booleanNode(metricsText(client, httpPort).lines().anyMatch(line ->
                                line.startsWith("rampart_rib_peer_routes_rpki{") && line.contains("state=\"invalid\"")
                                        && line.contains("view=\"loc-rib\"") && line.endsWith(" 2.0"))),
                        JsonNode::asBoolean, service);
                assertThat(get(client, httpPort, "/api/v1/routes?prefix=10.0.0.0/8&match=longer&family=ipv4")
                        .path("matched").asInt()).isEqualTo(2);
                assertThat(get(client, httpPort, "/api/v1/routes?prefix=10.0.0.0/8").path("matched").asInt()).isZero();
                assertThat(get(client, httpPort, "/api/v1/routes?prefix=10.9.0.1/24").path("detail").asText())
                        .contains("did you mean 10.9.0.0/24");
                assertThat(get(client, httpPort, "/api/v1/routes?origin_asn=ASX").path("error").asText())
                        .isEqualTo("invalid_parameter");

                JsonNode evpn = await(() -> get(client, httpPort, "/api/v1/evpn?mac=AABB.CC00.1122"),
                        page -> page.path("matched").asInt() == 1, service).path("items").get(0);
                assertThat(evpn.path("evpn").path("rd").asText()).isEqualTo("65001:10");
                assertThat(evpn.path("evpn").path("ip").asText()).isEqualTo("10.0.0.7");
                assertThat(get(client, httpPort, "/api/v1/evpn?rd=65001:99").path("matched").asInt()).isZero();

                JsonNode routers = get(client, httpPort, "/api/v1/routers");
                assertThat(routers.path("items").get(0).path("connected").asBoolean()).isTrue();
                await(() -> metric(client, httpPort, "rampart_rib_routes"), value -> value.asDouble() == 4.0, service);

                gobgp.cli("global", "rib", "del", "10.9.0.0/24", "-a", "ipv4");
                JsonNode history = await(() -> get(client, httpPort, "/api/v1/routes/10.9.0.0/24/history"),
                        page -> page.path("matched").asInt() == 2, service);
                assertThat(history.path("items").get(0).path("withdrawn").asBoolean()).isTrue();
                assertThat(history.path("items").get(1).path("withdrawn").asBoolean()).isFalse();
                assertThat(history.path("items").get(1).path("next_hop").asText()).isEqualTo("192.0.2.9");
                assertThat(history.path("items").get(1).path("view").asText()).isEqualTo("loc-rib");
                JsonNode churn = get(client, httpPort, "/api/v1/churn?window=1h&top=5");
                assertThat(churn.path("items")).anySatisfy(item -> {
                    assertThat(item.path("prefix").asText()).isEqualTo("10.9.0.0/24");
                    assertThat(item.path("updates").asInt()).isEqualTo(2);
                });
                assertThat(get(client, httpPort, "/api/v1/churn?window=forever").path("error").asText()).isEqualTo("invalid_parameter");
                assertThat(metric(client, httpPort, "rampart_bmp_routers").asDouble()).isEqualTo(1.0);
                assertThat(service.events("bmp_session_established")).isNotEmpty();
            }
            await(() -> get(client, httpPort, "/api/v1/routers"),
                    page -> !page.path("items").get(0).path("connected").asBoolean(), service);
            assertSessionRowsInDatabase(service);
            JsonNode peerEvents = get(client, httpPort, "/api/v1/peer-events?router=127.0.0.1");
            assertThat(peerEvents.path("items").get(0).path("event").asText()).as(peerEvents.toString()).isEqualTo("down");
            assertThat(peerEvents.path("items").get(0).path("peer_asn").asLong()).isEqualTo(65001);
            assertThat(get(client, httpPort, "/api/v1/peer-events?peer=edge").path("error").asText()).isEqualTo("invalid_parameter");
            assertThat(get(client, httpPort, "/api/v1/peer-statistics?router=nobody").path("matched").asInt()).isZero();
            assertThat(get(client, httpPort, "/api/v1/peer-statistics?since=yesterday").path("error").asText())
                    .isEqualTo("invalid_parameter");
            assertThat(get(client, httpPort, "/api/v1/peers?state=up").path("matched").asInt()).isZero();
            assertThat(metric(client, httpPort, "rampart_rib_routes").asDouble()).isZero();
            // Four announcements, the withdrawal, and the three routes withdrawn with the session.
            await(() -> metric(client, httpPort, "rampart_history_written_events_total"),
                    written -> written.asDouble() == 8.0, service);
            assertThat(get(client, httpPort, "/api/v1/peers?state=sideways").path("error").asText()).isEqualTo("invalid_parameter");
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    /** The routers, peers and peer events the service wrote, read straight from its PostgreSQL. */
    private static void assertSessionRowsInDatabase(ServiceProcess service) throws Exception {
        try (var db = service.database()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try (var rows = db.createStatement().executeQuery("""
                        SELECT r.name, r.active, p.asn, host(p.bgp_id), p.peer_type, p.active,
                               (SELECT count(*) FROM peer_event e WHERE e.peer_id = p.id AND e.event = 'down')
                        FROM router r JOIN peer p ON p.router_id = r.id""")) {
                    if (rows.next() && !rows.getBoolean(2) && !rows.getBoolean(6) && rows.getLong(7) == 1) {
                        assertThat(rows.getString(1)).isEqualTo("127.0.0.1");
                        assertThat(rows.getLong(3)).isEqualTo(65001);
                        assertThat(rows.getString(4)).isEqualTo("192.0.2.254");
                        assertThat(rows.getInt(5)).isEqualTo(3);
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("router, peer and peer_event rows not written within 30 s\n" + service.output());
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private interface Fetch {
        JsonNode get() throws Exception;
    }

    private static JsonNode await(Fetch fetch, java.util.function.Predicate<JsonNode> condition, ServiceProcess service)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = fetch.get();
            if (condition.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("not reached within 30 s; last answer " + last + "\n" + service.output());
    }

    private JsonNode get(HttpClient client, int port, String path) throws Exception {
        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private static String metricsText(HttpClient client, int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of a metric without labels, as a JSON number node. */
    private JsonNode metric(HttpClient client, int port, String name) throws Exception {
        return metricsText(client, port).lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> json.getNodeFactory().numberNode(Double.parseDouble(line.substring(name.length() + 1))))
                .orElseThrow(() -> new AssertionError(name + " not in /metrics"));
    }
}
