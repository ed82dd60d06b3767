package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the fully assembled service serves is in /openapi.json, and nothing more; every
 * list in it is documented in the one shape of docs/api.md; and every field the GET answers carry,
 * with data in the service, is declared in their schema.
 */
class OpenApiCoverageIT {

    /** Not a list to page through: the {@code top} few routes of a ranking, at most 1000 (docs/api.md). */
    private static final String RANKING = "/api/v1/churn";

    @Test
    void openApiDocumentsExactlyTheServedRoutes(@TempDir Path dataDir) throws Exception {
        var settings = new Settings(Map.of("RAMPART_HTTP_PORT", Integer.toString(ServiceProcess.freePort()),
                "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dataDir.toString()));
        var service = new RampartService(ServerConfig.from(settings), settings, "test");
        try {
            service.start();
            var paths = service.openApi().path("paths");
            var served = service.servedRoutes();
            assertThat(served).isNotEmpty();
            for (var route : served) {
                assertThat(paths.path(route.path()).has(route.method().name().toLowerCase(Locale.ROOT)))
                        .as("OpenAPI documents %s %s", route.method(), route.path()).isTrue();
            }
            paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method ->
                    assertThat(served).as("%s %s is documented but not served", method, path.getKey())
                            .anyMatch(route -> route.path().equals(path.getKey())
                                    && route.method().name().equalsIgnoreCase(method))));
            everyListIsTheSharedPage(service.openApi());
        } finally {
            service.stop();
        }
    }

    /**
     * An operation answering a list (an {@code items} array) answers the shared Page schema, takes
     * the shared limit and cursor parameters and documents their 400 as an Error. A list given
     * its own shape, or one that forgets limit or cursor, fails here.
     */
    private static void everyListIsTheSharedPage(JsonNode document) {
        int[] lists = {0};
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            JsonNode operation = method.getValue();
            JsonNode schema = resolve(document, operation.at("/responses/200/content/application~1json/schema"));
            boolean page = false;
            for (JsonNode part : schema.path("allOf")) {
                page |= part.path("$ref").asText().equals("#/components/schemas/Page");
            }
            if (!(page || schema.path("properties").has("items")) || path.getKey().equals(RANKING)) {
                return;
            }
            lists[0]++;
            String what = method.getKey() + " " + path.getKey();
            assertThat(page).as("%s answers allOf the shared Page", what).isTrue();
            assertThat(operation.path("parameters").findValuesAsText("$ref")).as("%s's parameters", what)
                    .contains("#/components/parameters/Limit", "#/components/parameters/Cursor");
            assertThat(resolve(document, operation.at("/responses/400")).at("/content/application~1json/schema/$ref")
                    .asText()).as("%s's 400", what).isEqualTo("#/components/schemas/Error");
        }));
        // routers, peers, routes, evpn, rpki/peers, history, vrps, tokens, mitigations, safelist, pops,
        // mitigation/peers, alerts, monitors/flaps, events, audit, peer-events, peer-statistics, rpki/rtr-clients,
        // anomalies, backups, ml/models, ml/flaps
        assertThat(lists[0]).as("lists found in the document").isEqualTo(23);
    }

    /**
     * The service with data behind its GET endpoints: a RIPE RIS dump imported (routers, peers,
     * routes, history), one VRP, a mitigation from an event, and a BGP peer that does not answer (so
     * the session shows its state and last error). Every field of every answer, at any depth, must
     * be declared in the operation's schema: a field the code adds and the document forgets fails here.
     */
    @Test
    void everyFieldOfTheAnswersIsDeclared(@TempDir Path dir) throws Exception {
        Path dump = TestData.folder("mrt").resolve("ripe_rrc15_2010.02_updates.20100227.1600.gz");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path vrps = Files.writeString(dir.resolve("vrps.json"), """
                {"metadata": {"generated": %d}, "roas": [{"asn": "AS65003", "prefix": "10.9.0.0/16", "maxLength": 24, "ta": "test"}]}
                """.formatted(Instant.now().getEpochSecond()));
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24]
                safelist:
                  - {prefix: 192.0.2.53/32, reason: resolver}
                """);
        Path playbooks = Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps: [{action: police, rate_bps: 100M, ttl: 10m}]
                """);
        // A prefix nobody announces in the dump, until the test monitors one that is (see below).
        Path monitors = Files.writeString(dir.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                """);
        int httpPort = ServiceProcess.freePort();
        var settings = new Settings(Map.ofEntries(Map.entry("RAMPART_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("RAMPART_BMP_PORT", "0"), Map.entry("RAMPART_RTR_PORT", "0"),
                Map.entry("RAMPART_BIND_ADDRESS", "127.0.0.1"), Map.entry("RAMPART_DATA_DIR", data.toString()),
                Map.entry("RAMPART_RPKI_SOURCES", "file:" + vrps), Map.entry("RAMPART_POP", "ams1"),
                Map.entry("RAMPART_MONITORS", monitors.toString()),
                Map.entry("RAMPART_INVENTORY", inventory.toString()), Map.entry("RAMPART_PLAYBOOKS", playbooks.toString()),
                Map.entry("RAMPART_BGP_ASN", "65000"), Map.entry("RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                // A free port nobody listens on: the session keeps trying, and says why it fails.
                Map.entry("RAMPART_BGP_PEERS", "127.0.0.1:" + ServiceProcess.freePort() + "/65001")));
        var service = new RampartService(ServerConfig.from(settings), settings, "test");
        try (var client = HttpClient.newHttpClient()) {
            service.start();
            var api = new Api(client, httpPort, Files.readString(data.resolve("admin.token")).strip());
            assertThat(api.post("/api/v1/mrt/imports?source=rrc15", Files.readAllBytes(dump)).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> event = api.post("/api/v1/events", ("""
                    {"event_id":"openapi-1","timestamp":"%s","source":"it","victim_ip":"192.0.2.10",
                     "vector":"udp_flood","confidence":0.6,"top_dst_ports":[53]}
                    """.formatted(Instant.now())).getBytes(StandardCharsets.UTF_8));
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            String mitigation = api.json(event).path("mitigation_id").asText();
            JsonNode firstRoute = api.get("/api/v1/routes?router=mrt:rrc15&family=ipv4&limit=1").path("items").get(0);
            String prefix = firstRoute.path("prefix").asText();
            // History is written in batches, and VRPs loaded in the background: both come a moment later.
            api.await("/api/v1/routes/" + prefix + "/history", page -> page.path("matched").asLong() > 0);
            api.await("/api/v1/vrps", page -> page.path("matched").asLong() == 1);
            // family=other answers (it was a 400 while the document offered it), and only routes of other families.
            assertThat(api.get("/api/v1/routes?family=other&limit=1000").path("items"))
                    .allSatisfy(route -> assertThat(route.path("family").asText()).isEqualTo("other"));

            // Monitoring a prefix of the dump with an origin nobody uses: the detector, built anew
            // from the RIB on the file change, finds it hijacked.
            Files.writeString(monitors, """
                    prefixes:
                      - prefix: %s
                        origins: [AS1]
                        path:
                          - max_length: 1
                    asns:
                      - asn: AS1
                        upstreams: [AS2]
                    groups:
                      noc: {channels: [pager]}
                    # No prefix is in noc: nothing is sent.
                    channels:
                      pager: {type: webhook, url: "http://127.0.0.1:9/pager"}
                    """.formatted(prefix));
            api.await("/api/v1/alerts", page -> page.path("matched").asLong() > 0);
            long alert = api.get("/api/v1/alerts").path("items").get(0).path("id").asLong();

            JsonNode document = service.openApi();
            Map<String, String> gets = Map.ofEntries(
                    Map.entry("/api/v1/routers", "/api/v1/routers"),
                    Map.entry("/api/v1/peers", "/api/v1/peers?limit=1000"),
                    Map.entry("/api/v1/routes", "/api/v1/routes?limit=1000"),
                    Map.entry("/api/v1/rpki/peers", "/api/v1/rpki/peers"),
                    Map.entry("/api/v1/routes/{prefix}/history", "/api/v1/routes/" + prefix + "/history"),
                    Map.entry("/api/v1/state", "/api/v1/state"),
                    Map.entry("/api/v1/vrps", "/api/v1/vrps"),
                    Map.entry("/api/v1/mitigations", "/api/v1/mitigations"),
                    Map.entry("/api/v1/mitigations/{id}", "/api/v1/mitigations/" + mitigation),
                    Map.entry("/api/v1/safelist", "/api/v1/safelist"),
                    Map.entry("/api/v1/stats", "/api/v1/stats"),
                    Map.entry("/api/v1/pops", "/api/v1/pops"),
                    Map.entry("/api/v1/mitigation/peers", "/api/v1/mitigation/peers"),
                    Map.entry("/api/v1/tokens", "/api/v1/tokens"),
                    Map.entry("/api/v1/session", "/api/v1/session"),
                    Map.entry("/api/v1/monitors", "/api/v1/monitors"),
                    // With the VRP's AS too, so that a prefix only a VRP names is in the answer.
                    Map.entry("/api/v1/monitors/draft", "/api/v1/monitors/draft?asn="
                            + firstRoute.path("origin_asn").asLong() + "&asn=AS65003"),
                    Map.entry("/api/v1/alerts", "/api/v1/alerts"),
                    Map.entry("/api/v1/alerts/{id}", "/api/v1/alerts/" + alert));
            for (var get : gets.entrySet()) {
                JsonNode answer = api.get(get.getValue());
                if (answer.has("items")) {
                    assertThat(answer.path("items")).as("%s has data to check", get.getValue()).isNotEmpty();
                }
                JsonNode schema = document.path("paths").path(get.getKey())
                        .at("/get/responses/200/content/application~1json/schema");
                assertThat(schema.isMissingNode()).as("%s has a schema", get.getKey()).isFalse();
                assertDeclared(document, answer, List.of(schema), get.getValue());
            }
            // The draft of a real table's AS is a file the monitors loader takes as it is.
            JsonNode draft = api.get("/api/v1/monitors/draft?asn=" + firstRoute.path("origin_asn").asLong());
            assertThat(new MonitorsLoader().parse(draft.path("yaml").asText(), "draft.yaml").prefixes())
                    .extracting(p -> p.prefix().toString()).contains(prefix);
        } finally {
            service.stop();
        }
    }

    /**
     * Fails naming the first field of {@code value}, at any depth, that none of {@code schemas}
     * declares: in its {@code properties}, or by {@code additionalProperties} (a schema, or true
     * for a free-form object). A schema saying only {@code "type": "object"} declares no field, so
     * a free-form object must say so. The parts of allOf, oneOf and anyOf count as one schema.
     */
    private static void assertDeclared(JsonNode document, JsonNode value, List<JsonNode> schemas, String at) {
        List<JsonNode> expanded = new ArrayList<>();
        schemas.forEach(schema -> expand(document, schema, expanded));
        if (value.isObject()) {
            value.properties().forEach(field -> {
                List<JsonNode> declared = new ArrayList<>();
                boolean freeForm = false;
                for (JsonNode schema : expanded) {
                    JsonNode additional = schema.path("additionalProperties");
                    if (schema.path("properties").has(field.getKey())) {
                        declared.add(schema.path("properties").get(field.getKey()));
                    } else if (additional.isObject()) {
                        declared.add(additional);
                    } else {
                        freeForm |= additional.asBoolean(false);
                    }
                }
                assertThat(freeForm || !declared.isEmpty())
                        .as("%s.%s is in the answer but not in the schema", at, field.getKey()).isTrue();
                assertDeclared(document, field.getValue(), declared, at + "." + field.getKey());
            });
        } else if (value.isArray()) {
            List<JsonNode> items = expanded.stream().filter(schema -> schema.has("items"))
                    .map(schema -> schema.get("items")).toList();
            for (int i = 0; i < value.size(); i++) {
                assertDeclared(document, value.get(i), items, at + "[" + i + "]");
            }
        }
    }

    /** {@code schema} resolved, and the parts it combines, into {@code out}. */
    private static void expand(JsonNode document, JsonNode schema, List<JsonNode> out) {
        JsonNode resolved = resolve(document, schema);
        out.add(resolved);
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            resolved.path(combinator).forEach(part -> expand(document, part, out));
        }
    }

    /** The running service's API, with its admin token. */
    private record Api(HttpClient client, int port, String token) {
        private static final ObjectMapper JSON = new ObjectMapper();

        HttpRequest.Builder request(String pathAndQuery) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .header("Authorization", "Bearer " + token);
        }

        JsonNode get(String pathAndQuery) throws Exception {
            HttpResponse<String> response = client.send(request(pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(200);
            return json(response);
        }

        HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
            return client.send(request(pathAndQuery).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode json(HttpResponse<String> response) throws Exception {
            return JSON.readTree(response.body());
        }

        /** GETs {@code pathAndQuery} until {@code done} holds, for at most a minute. */
        void await(String pathAndQuery, Predicate<JsonNode> done) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            JsonNode answer = get(pathAndQuery);
            while (!done.test(answer) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                answer = get(pathAndQuery);
            }
            assertThat(done.test(answer)).as("%s: %s", pathAndQuery, answer).isTrue();
        }
    }

    /** {@code node}, or what its {@code $ref} (a pointer into this document) names. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }
}
