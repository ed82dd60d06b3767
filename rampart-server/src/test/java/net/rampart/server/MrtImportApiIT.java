package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real RIPE RIS dump streamed to the running service lands in its RIB under the source's name,
 * is listed as a source with its peers, and is still there after a restart.
 */
class MrtImportApiIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void importedRoutesAreServedAndBadFilesAreRefused(@TempDir Path dataDir) throws Exception {
        Path dump = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "mrt",
                "ripe_rrc15_2010.02_updates.20100227.1600.gz");
        assumeTrue(Files.isRegularFile(dump), "shared testdata not found at " + dump + "; skipped");
        int httpPort = ServiceProcess.freePort();
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1", "RAMPART_DATA_DIR", dataDir.toString());
        try (var service = ServiceProcess.start(environment); var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();

            var imported = post(client, service, httpPort, "/api/v1/mrt/imports?source=rrc15", Files.readAllBytes(dump));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            JsonNode summary = json.readTree(imported.body());
            assertThat(summary.path("source").asText()).isEqualTo("rrc15");
            assertThat(summary.path("announcements").asLong()).isPositive();
            assertThat(summary.path("bad_records").asLong()).isZero();

            JsonNode routes = json.readTree(client.send(service.request(httpPort, "/api/v1/routes?router=mrt:rrc15&limit=5")
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(routes.path("matched").asLong()).isPositive();
            assertThat(routes.path("items")).hasSize(5);
            assertThat(routes.path("items").get(0).path("view").asText()).isEqualTo("adj-rib-in-pre");

            var garbage = post(client, service, httpPort, "/api/v1/mrt/imports?source=junk", new byte[] {0, 0, 0, 1, 0, 13, 0, 1, 0x7f, 0x7f, 0x7f, 0x7f, 1});
            assertThat(garbage.statusCode()).isEqualTo(422);
            assertThat(json.readTree(garbage.body()).path("error").asText()).isEqualTo("mrt_unreadable");

            var nameless = post(client, service, httpPort, "/api/v1/mrt/imports", new byte[0]);
            assertThat(nameless.statusCode()).isEqualTo(400);
            assertThat(json.readTree(nameless.body()).path("error").asText()).isEqualTo("invalid_parameter");
            assertThat(json.readTree(nameless.body()).path("field").asText()).isEqualTo("source");
            assertThat(json.readTree(nameless.body()).path("detail").asText()).startsWith("source: required");

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    @Test
    void anImportedSourceIsListedWithItsPeersAndItsRoutesSurviveARestart(@TempDir Path dataDir) throws Exception {
        Path dump = TestData.folder("mrt").resolve("ripe_rrc15_2010.02_updates.20100227.1600.gz");
        int httpPort = ServiceProcess.freePort();
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1", "RAMPART_DATA_DIR", dataDir.toString());

        long routesBefore;
        Map<String, String> peersBefore;
        Map<String, Long> routesByPeerBefore;
        List<JsonNode> sample;
        try (var service = ServiceProcess.start(environment); var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();

            var imported = post(client, service, httpPort, "/api/v1/mrt/imports?source=rrc15", Files.readAllBytes(dump));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            JsonNode summary = json.readTree(imported.body());
            // The dump is of 2010: beyond the default five years of route history, and the answer says so.
            assertThat(summary.path("oldest_record").asText()).startsWith("2010-02-27T16:00");
            assertThat(summary.path("warning").asText()).contains("older than the route history retention");

            JsonNode listed = source(get(client, service, httpPort, "/api/v1/routers"));
            assertThat(listed.path("source").asText()).isEqualTo("mrt");
            assertThat(listed.path("connected").asBoolean()).isFalse();
            peersBefore = peers(client, service, httpPort);
            assertThat(peersBefore).hasSize(summary.path("peers").asInt());
            routesBefore = get(client, service, httpPort, "/api/v1/routes?router=mrt:rrc15&limit=1").path("matched").asLong();
            assertThat(routesBefore).isPositive();
            routesByPeerBefore = routesByPeer(client, service, httpPort, peersBefore.keySet());
            sample = new ArrayList<>();
            get(client, service, httpPort, "/api/v1/routes?router=mrt:rrc15&limit=50").path("items").forEach(sample::add);

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            // Logged before the first old record went into the RIB, so before any of its history was written.
            assertThat(service.event("mrt_older_than_retention")).as(service.output()).hasValueSatisfying(event -> {
                assertThat(event.path("source").asText()).isEqualTo("rrc15");
                assertThat(event.path("record_time").asText()).startsWith("2010-02-27T16:0");
                assertThat(event.path("retention_days").asLong()).isEqualTo(1826);
            });
        }

        try (var service = ServiceProcess.start(environment); var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();

            assertThat(source(get(client, service, httpPort, "/api/v1/routers")).path("source").asText()).isEqualTo("mrt");
            assertThat(peers(client, service, httpPort)).isEqualTo(peersBefore);
            assertThat(get(client, service, httpPort, "/api/v1/routes?router=mrt:rrc15&limit=1").path("matched").asLong())
                    .isEqualTo(routesBefore);
            assertThat(routesByPeer(client, service, httpPort, peersBefore.keySet())).isEqualTo(routesByPeerBefore);
            for (JsonNode before : sample) {
                JsonNode after = sameRoute(client, service, httpPort, before);
                assertThat(after).as("%s from %s after the restart", before.path("prefix"), before.path("peer"))
                        .isNotNull();
                // The store keeps each attribute set's full encoding: the path reads back with its segments, sets too.
                for (String field : List.of("next_hop", "as_path", "as_path_segments", "origin_asn", "origin", "med",
                        "local_pref", "communities", "large_communities", "last_change")) {
                    assertThat(after.path(field)).as("%s of %s", field, before.path("prefix")).isEqualTo(before.path(field));
                }
            }

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            assertThat(service.event("mrt_routes_reloaded")).as(service.output()).hasValueSatisfying(event -> {
                assertThat(event.path("sources").asInt()).isEqualTo(1);
                assertThat(event.path("routes").asLong()).isEqualTo(routesBefore);
                assertThat(event.has("duration_ms")).isTrue();
            });
            // Reloaded routes are not recorded again: the history writer wrote nothing in this run.
            assertThat(service.event("history_flushed").orElseThrow().path("written").asLong()).isZero();
        }
    }

    /** The router mrt:rrc15 in a page of routers. */
    private static JsonNode source(JsonNode routers) {
        for (JsonNode router : routers.path("items")) {
            if (router.path("id").asText().equals("mrt:rrc15")) {
                return router;
            }
        }
        throw new AssertionError("mrt:rrc15 is not listed: " + routers);
    }

    /** The source's peers: address to "up" or "down" and ASN. */
    private Map<String, String> peers(HttpClient client, ServiceProcess service, int port) throws Exception {
        JsonNode page = get(client, service, port, "/api/v1/peers?router=mrt:rrc15&limit=1000");
        Map<String, String> peers = new TreeMap<>();
        page.path("items").forEach(peer -> peers.put(peer.path("address").asText(),
                (peer.path("up").asBoolean() ? "up" : "down") + " AS" + peer.path("asn").asLong()));
        assertThat(peers).hasSize(page.path("matched").asInt());
        return peers;
    }

    private Map<String, Long> routesByPeer(HttpClient client, ServiceProcess service, int port, Iterable<String> peers)
            throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String peer : peers) {
            counts.put(peer, get(client, service, port, "/api/v1/routes?router=mrt:rrc15&limit=1&peer="
                    + URLEncoder.encode(peer, StandardCharsets.UTF_8)).path("matched").asLong());
        }
        return counts;
    }

    /** The route of the same peer, prefix and path id, or null. */
    private JsonNode sameRoute(HttpClient client, ServiceProcess service, int port, JsonNode route) throws Exception {
        JsonNode page = get(client, service, port, "/api/v1/routes?router=mrt:rrc15&match=exact&limit=1000&peer="
                + URLEncoder.encode(route.path("peer").asText(), StandardCharsets.UTF_8)
                + "&prefix=" + URLEncoder.encode(route.path("prefix").asText(), StandardCharsets.UTF_8));
        for (JsonNode candidate : page.path("items")) {
            if (candidate.path("path_id").asInt() == route.path("path_id").asInt()) {
                return candidate;
            }
        }
        return null;
    }

    private JsonNode get(HttpClient client, ServiceProcess service, int port, String path) throws Exception {
        var response = client.send(service.request(port, path).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static HttpResponse<String> post(HttpClient client, ServiceProcess service, int port, String path,
                                             byte[] body) throws Exception {
        return client.send(service.request(port, path)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
