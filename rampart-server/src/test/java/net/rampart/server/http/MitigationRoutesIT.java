package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.server.RampartService;
import net.rampart.server.config.MitigationConfig;
import net.rampart.server.config.Settings;
import net.rampart.server.mitigation.MitigationService;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mitigation API over real HTTP, on the embedded PostgreSQL. */
class MitigationRoutesIT {

    static final String INVENTORY = """
            customers:
              - id: example-net
                prefixes: [192.0.2.0/24, 2001:db8::/32]
            safelist:
              - {prefix: 192.0.2.53/32, reason: resolver}
            """;
    static final String PLAYBOOKS = """
            playbooks:
              - name: udp-flood
                match: {vectors: [udp_flood]}
                steps:
                  - {action: police, rate_bps: 100M, ttl: 10m}
                  - {action: discard, ttl: 30m, escalate_when: {min_persistence: 2m, min_confidence: 0.8}}
              - name: syn-flood
                match: {vectors: [syn_flood]}
                steps: [{action: discard, ttl: 10m}]
            """;

    @TempDir
    static Path dir;
    private static Database database;
    private static MitigationService service;
    private static HttpApi http;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static Path playbooks;

    @BeforeAll
    static void start() throws Exception {
        database = Database.open(DatabaseSettings.embedded(dir.resolve("postgres")));
        Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
        playbooks = dir.resolve("playbooks.yaml");
        Files.writeString(playbooks, PLAYBOOKS);
        Settings settings = new Settings(Map.of(
                MitigationConfig.POP, "ams1",
                MitigationConfig.INVENTORY, dir.resolve("inventory.yaml").toString(),
                MitigationConfig.PLAYBOOKS, playbooks.toString(),
                MitigationConfig.EVENTS_PER_SECOND, "3"));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The service's own mapper: how request bodies are read (duplicate keys) is part of what is tested.
        ObjectMapper mapper = RampartService.jsonMapper();
        MitigationConfig config = MitigationConfig.from(settings, dir);
        service = new MitigationService(config, MitigationService.loadPolicy(config, Clock.systemUTC()),
                database.dataSource(), metrics, Clock.systemUTC(), InetAddress.getLoopbackAddress(), mapper);
        service.start();
        http = new HttpApi(mapper, metrics, List.of(new MitigationRoutes(service, mapper)), "test", null,
                java.util.Optional.empty());
        http.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        http.stop(Duration.ofSeconds(1));
        service.stop(Duration.ofSeconds(1));
        database.close();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("content-type", "application/json");
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String event(String id, String victim, String vector) {
        return """
                {"event_id":"%s","timestamp":"2026-11-22T08:00:00Z","source":"it","victim_ip":"%s","vector":"%s",
                 "bps":900000000,"confidence":0.6,"top_dst_ports":[53]}
                """.formatted(id, victim, vector);
    }

    /** The bucket holds 3 events a second; a test that posts several waits for it to refill. */
    private static HttpResponse<String> postEvent(String body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> r = send("POST", "/api/v1/events", body);
        while (r.statusCode() == 429 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = send("POST", "/api/v1/events", body);
        }
        return r;
    }

    @Test
    void eventLifecycleThroughTheApi() throws Exception {
        HttpResponse<String> created = postEvent(event("api-1", "192.0.2.10", "udp_flood"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode result = json(created);
        assertThat(result.path("outcome").asText()).isEqualTo("created");
        assertThat(result.path("dry_run").asBoolean()).isFalse();
        String id = result.path("mitigation_id").asText();

        HttpResponse<String> duplicate = postEvent(event("api-1", "192.0.2.10", "udp_flood"));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(json(duplicate).path("error").asText()).isEqualTo("duplicate_event");

        HttpResponse<String> extended = postEvent(event("api-2", "192.0.2.10", "udp_flood"));
        assertThat(json(extended).path("outcome").asText()).isEqualTo("extended");
        assertThat(json(extended).path("mitigation_id").asText()).isEqualTo(id);

        JsonNode shown = json(send("GET", "/api/v1/mitigations/" + id, null));
        assertThat(shown.path("status").asText()).isEqualTo("active");
        assertThat(shown.path("victim_ip").asText()).isEqualTo("192.0.2.10");
        assertThat(shown.path("rule").path("match").path("destination").asText()).isEqualTo("192.0.2.10/32");
        assertThat(shown.path("rule").path("match").path("destination_ports").get(0).asInt()).isEqualTo(53);
        assertThat(shown.path("rule").path("action").path("type").asText()).isEqualTo("police");
        assertThat(shown.path("rule").path("action").path("rate_bps").asLong()).isEqualTo(100_000_000L);
        assertThat(shown.path("event_count").asInt()).isEqualTo(2);
        assertThat(shown.path("audit").findValuesAsText("action")).contains("mitigation_created",
                "mitigation_extended");

        JsonNode list = json(send("GET", "/api/v1/mitigations?status=active", null));
        assertThat(list.path("matched").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(list.path("items").findValuesAsText("id")).contains(id);

        HttpResponse<String> missingReason = send("POST", "/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"alice\"}");
        assertThat(missingReason.statusCode()).isEqualTo(400);
        assertThat(json(missingReason).path("detail").asText()).startsWith("reason");
        HttpResponse<String> withdrawn = send("POST", "/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"alice\",\"reason\":\"customer asked\"}");
        assertThat(withdrawn.statusCode()).isEqualTo(200);
        assertThat(json(withdrawn).path("status").asText()).isEqualTo("withdrawn");
        assertThat(json(withdrawn).path("ended_by").asText()).isEqualTo("operator:alice");
        assertThat(send("POST", "/api/v1/mitigations/00000000-0000-0000-0000-000000000000/withdraw",
                "{\"operator\":\"a\",\"reason\":\"b\"}").statusCode()).isEqualTo(404);
    }

    /** Received events and the whole audit log read back from PostgreSQL, filtered and paged. */
    @Test
    void eventsAndTheAuditLogAreReadBackFilteredAndPaged() throws Exception {
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (String n : List.of("1", "2", "3")) {
            String body = event("read-" + n, "2001:db8::e1", "udp_flood").replace("\"it\"", "\"reader\"");
            HttpResponse<String> r = postEvent(body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(json(r).path("mitigation_id").asText());
        }

        JsonNode events = json(send("GET", "/api/v1/events?source=reader&victim=" + enc("2001:0DB8::E1"), null));
        assertThat(events.path("matched").asInt()).isEqualTo(3);
        assertThat(events.path("items").findValuesAsText("event_id")).containsExactly("read-3", "read-2", "read-1");
        JsonNode newest = events.path("items").get(0);
        assertThat(newest.path("victim_ip").asText()).isEqualTo("2001:db8::e1");
        assertThat(newest.path("action").asText()).isEqualTo("ban");
        assertThat(newest.path("bps").asLong()).isEqualTo(900_000_000L);
        assertThat(newest.path("pps").isNull()).isTrue();
        assertThat(newest.path("confidence").asDouble()).isEqualTo(0.6);
        assertThat(newest.path("top_dst_ports").toString()).isEqualTo("[53]");
        assertThat(newest.path("mitigation_ids").get(0).asText()).isEqualTo(ids.get(2));
        assertThat(newest.path("received_at").asText()).endsWith("Z");

        JsonNode first = json(send("GET", "/api/v1/events?source=reader&limit=2", null));
        assertThat(first.path("items").findValuesAsText("event_id")).containsExactly("read-3", "read-2");
        JsonNode second = json(send("GET", "/api/v1/events?source=reader&limit=2&cursor="
                + first.path("next_cursor").asText(), null));
        assertThat(second.path("items").findValuesAsText("event_id")).containsExactly("read-1");
        assertThat(second.path("next_cursor").isNull()).isTrue();
        assertThat(json(send("GET", "/api/v1/events?source=reader&since=" + enc(java.time.Instant.now().plusSeconds(60)
                .toString()), null)).path("matched").asInt()).isZero();
        HttpResponse<String> badVictim = send("GET", "/api/v1/events?victim=192.0.2.024", null);
        assertThat(badVictim.statusCode()).isEqualTo(400);
        assertThat(json(badVictim).path("field").asText()).isEqualTo("victim");
        String unknown = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("k:no-such-event".getBytes(StandardCharsets.UTF_8));
        assertThat(json(send("GET", "/api/v1/events?cursor=" + unknown, null)).path("field").asText())
                .isEqualTo("cursor");

        assertThat(send("POST", "/api/v1/mitigations/" + ids.get(0) + "/withdraw",
                "{\"operator\":\"Reader-Op\",\"reason\":\"read back\"}").statusCode()).isEqualTo(200);
        JsonNode audit = json(send("GET", "/api/v1/audit?actor=reader-op&since=" + enc(before.toString()), null));
        assertThat(audit.path("matched").asInt()).isEqualTo(1);
        JsonNode withdrawal = audit.path("items").get(0);
        assertThat(withdrawal.path("action").asText()).isEqualTo("mitigation_withdrawn");
        assertThat(withdrawal.path("mitigation_id").asText()).isEqualTo(ids.get(0));
        assertThat(withdrawal.path("pop").asText()).isEqualTo("ams1");
        // One mitigation: the first event created it, the later two extended it.
        JsonNode byDetector = json(send("GET", "/api/v1/audit?actor=detector:reader&limit=2", null));
        assertThat(byDetector.path("matched").asInt()).isEqualTo(3);
        assertThat(byDetector.path("items").findValuesAsText("event_id")).containsExactly("read-3", "read-2");
        JsonNode rest = json(send("GET", "/api/v1/audit?actor=detector:reader&limit=2&cursor="
                + byDetector.path("next_cursor").asText(), null));
        assertThat(rest.path("items")).hasSize(1);
        assertThat(rest.path("items").get(0).path("action").asText()).isEqualTo("mitigation_created");
        assertThat(rest.path("next_cursor").isNull()).isTrue();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void badInputNamesTheFieldAndGuardrailsNameThemselves() throws Exception {
        HttpResponse<String> bad = postEvent(event("bad-1", "192.0.2.300", "udp_flood"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("field").asText()).isEqualTo("victim_ip");
        assertThat(send("POST", "/api/v1/events", "{not json").statusCode()).isEqualTo(400);

        HttpResponse<String> stranger = postEvent(event("g-1", "198.51.100.7", "udp_flood"));
        assertThat(stranger.statusCode()).isEqualTo(422);
        assertThat(json(stranger).path("guardrail").asText()).isEqualTo("victim_not_in_inventory");

        HttpResponse<String> safe = postEvent(event("g-2", "192.0.2.53", "udp_flood"));
        assertThat(json(safe).path("guardrail").asText()).isEqualTo("safelist");

        HttpResponse<String> noPlaybook = postEvent(event("g-3", "192.0.2.20", "icmp_flood"));
        assertThat(noPlaybook.statusCode()).isEqualTo(202);
        assertThat(json(noPlaybook).path("outcome").asText()).isEqualTo("no_playbook");
        assertThat(json(noPlaybook).path("mitigation_id").isNull()).isTrue();
    }

    /**
     * Text PostgreSQL cannot store is a 400 naming the field, before anything is remembered: the
     * same event id, withdrawal or safelist entry sent again in good form is then accepted.
     */
    @Test
    void unstorableTextIsRefusedAtTheEdgeNamingTheField() throws Exception {
        HttpResponse<String> nul = postEvent(event("text-1", "192.0.2.40", "udp_flood").replace("\"it\"", "\"it\\u0000x\""));
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
        assertThat(json(nul).path("error").asText()).isEqualTo("invalid_field");
        assertThat(json(nul).path("field").asText()).isEqualTo("source");
        assertThat(json(nul).path("detail").asText())
                .isEqualTo("source: contains a control character (U+0000) at position 3");
        assertThat(nul.body()).doesNotContain("\\u0000").doesNotContain("\u0000");

        HttpResponse<String> rawNul = postEvent(event("text-1", "192.0.2.40", "udp_flood")
                .replace("\"bps\"", "\"raw_details\":{\"note\":[\"a\\u0000\"]},\"bps\""));
        assertThat(rawNul.statusCode()).as(rawNul.body()).isEqualTo(400);
        assertThat(json(rawNul).path("field").asText()).isEqualTo("raw_details.note[0]");

        HttpResponse<String> longSource = postEvent(event("text-1", "192.0.2.40", "udp_flood")
                .replace("\"it\"", "\"" + "s".repeat(TextLimits.SOURCE + 1) + "\""));
        assertThat(longSource.statusCode()).isEqualTo(400);
        assertThat(json(longSource).path("detail").asText()).isEqualTo("source: 129 characters, at most 128");

        // A detector's free text may break lines; it is stored as JSON, escaped.
        HttpResponse<String> good = postEvent(event("text-1", "192.0.2.40", "udp_flood")
                .replace("\"bps\"", "\"raw_details\":{\"note\":\"line 1\\nline 2\"},\"bps\""));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        assertThat(json(good).path("outcome").asText()).isEqualTo("created");
        String id = json(good).path("mitigation_id").asText();
        assertThat(json(send("GET", "/api/v1/mitigations/" + id, null)).path("victim_ip").asText())
                .isEqualTo("192.0.2.40");

        HttpResponse<String> badOperator = send("POST", "/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"al\\u0000ice\",\"reason\":\"customer asked\"}");
        assertThat(badOperator.statusCode()).isEqualTo(400);
        assertThat(json(badOperator).path("detail").asText())
                .isEqualTo("operator: contains a control character (U+0000) at position 3");
        HttpResponse<String> longReason = send("POST", "/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"alice\",\"reason\":\"" + "r".repeat(2000) + "\"}");
        assertThat(longReason.statusCode()).isEqualTo(400);
        assertThat(json(longReason).path("detail").asText()).isEqualTo("reason: 2000 characters, at most 1024");
        assertThat(service.repository().find(id).orElseThrow().status()).isEqualTo(MitigationStatus.ACTIVE);
        HttpResponse<String> withdrawn = send("POST", "/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"alice\",\"reason\":\"customer asked\"}");
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(json(withdrawn).path("ended_by").asText()).isEqualTo("operator:alice");

        HttpResponse<String> badReason = send("POST", "/api/v1/safelist",
                "{\"prefix\":\"192.0.2.48/30\",\"reason\":\"lab\\u0007\",\"operator\":\"bob\"}");
        assertThat(badReason.statusCode()).isEqualTo(400);
        assertThat(json(badReason).path("detail").asText())
                .isEqualTo("reason: contains a control character (U+0007) at position 4");
        assertThat(json(send("GET", "/api/v1/safelist", null)).path("items").findValuesAsText("prefix"))
                .doesNotContain("192.0.2.48/30");
        assertThat(send("POST", "/api/v1/safelist",
                "{\"prefix\":\"192.0.2.48/30\",\"reason\":\"lab\",\"operator\":\"bob\"}").statusCode())
                .isEqualTo(201);
        assertThat(json(send("GET", "/api/v1/safelist", null)).path("items").findValuesAsText("prefix"))
                .contains("192.0.2.48/30");

        String prefix = URLEncoder.encode("192.0.2.48/30", StandardCharsets.UTF_8);
        HttpResponse<String> nulOperator = send("DELETE", "/api/v1/safelist?prefix=" + prefix + "&operator=bob%00", null);
        assertThat(nulOperator.statusCode()).isEqualTo(400);
        assertThat(json(nulOperator).path("error").asText()).isEqualTo("invalid_parameter");
        assertThat(json(nulOperator).path("detail").asText())
                .isEqualTo("operator: contains a control character (U+0000) at position 4");
        assertThat(send("DELETE", "/api/v1/safelist?prefix=" + prefix + "&operator=bob", null).statusCode())
                .isEqualTo(204);
    }

    /** Every query parameter is checked, also those a route reads without the shared helper. */
    @Test
    void unstorableQueryParametersAreRefused() throws Exception {
        HttpResponse<String> nulPop = send("GET", "/api/v1/mitigations?pop=ams1%00", null);
        assertThat(nulPop.statusCode()).as(nulPop.body()).isEqualTo(400);
        assertThat(json(nulPop).path("error").asText()).isEqualTo("invalid_parameter");
        assertThat(json(nulPop).path("detail").asText())
                .isEqualTo("pop: contains a control character (U+0000) at position 5");
        HttpResponse<String> longCursor = send("GET", "/api/v1/mitigations?cursor=" + "c".repeat(300), null);
        assertThat(longCursor.statusCode()).isEqualTo(400);
        assertThat(json(longCursor).path("detail").asText()).isEqualTo("cursor: 300 characters, at most 256");
        assertThat(send("GET", "/api/v1/mitigations?pop=ams1", null).statusCode()).isEqualTo(200);
    }

    /** PostgreSQL's error names tables and values: it goes to the log, the answer is a fixed sentence. */
    @Test
    void aStoreFailureIsA503WithoutTheDatabasesText() throws Exception {
        try (java.sql.Connection c = database.dataSource().getConnection();
             java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER TABLE mitigation_safelist RENAME TO mitigation_safelist_away");
            try {
                HttpResponse<String> failed = send("GET", "/api/v1/safelist", null);
                assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
                assertThat(failed.headers().firstValue("Retry-After"))
                        .contains(Long.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
                assertThat(json(failed).path("error").asText()).isEqualTo("database_unavailable");
                assertThat(json(failed).path("detail").asText()).isEqualTo(DatabaseUnavailable.DETAIL);
                assertThat(failed.body()).doesNotContain("mitigation_safelist").doesNotContainIgnoringCase("relation");
            } finally {
                s.execute("ALTER TABLE mitigation_safelist_away RENAME TO mitigation_safelist");
            }
        }
        assertThat(send("GET", "/api/v1/safelist", null).statusCode()).isEqualTo(200);
    }

    private static List<String> safelistPrefixes() throws Exception {
        return json(send("GET", "/api/v1/safelist", null)).path("items").findValuesAsText("prefix");
    }

    /**
     * A safelist entry that would switch mitigation off everywhere, or whose prefix is not what
     * was written, is a 400 naming {@code prefix}, and nothing is stored; the entry sent again in
     * good form is stored.
     */
    @Test
    void dangerousOrAmbiguousSafelistEntriesAreRefused() throws Exception {
        HttpResponse<String> everything = send("POST", "/api/v1/safelist",
                "{\"prefix\":\"0.0.0.0/0\",\"reason\":\"oops\",\"operator\":\"erin\"}");
        assertThat(everything.statusCode()).as(everything.body()).isEqualTo(400);
        assertThat(json(everything).path("error").asText()).isEqualTo("invalid_field");
        assertThat(json(everything).path("field").asText()).isEqualTo("prefix");
        assertThat(json(everything).path("detail").asText()).isEqualTo(
                "prefix: 0.0.0.0/0 is too wide to safelist: IPv4 safelist prefixes must be /8 or longer");
        HttpResponse<String> everything6 = send("POST", "/api/v1/safelist",
                "{\"prefix\":\"::/0\",\"reason\":\"oops\",\"operator\":\"erin\"}");
        assertThat(everything6.statusCode()).isEqualTo(400);
        assertThat(json(everything6).path("field").asText()).isEqualTo("prefix");

        HttpResponse<String> hostBits = send("POST", "/api/v1/safelist",
                "{\"prefix\":\"2001:db8:beef::1/48\",\"reason\":\"monitoring\",\"operator\":\"erin\"}");
        assertThat(hostBits.statusCode()).as(hostBits.body()).isEqualTo(400);
        assertThat(json(hostBits).path("field").asText()).isEqualTo("prefix");
        assertThat(json(hostBits).path("detail").asText())
                .isEqualTo("prefix: '2001:db8:beef::1/48' has host bits set; did you mean 2001:db8:beef::/48?");

        // With duplicate keys read leniently, the last "prefix" would be stored: refused instead.
        HttpResponse<String> twice = send("POST", "/api/v1/safelist",
                "{\"prefix\":\"203.0.113.0/24\",\"reason\":\"lab\",\"operator\":\"erin\",\"prefix\":\"0.0.0.0/1\"}");
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
        assertThat(json(twice).path("error").asText()).isEqualTo("invalid_json");
        assertThat(json(twice).path("detail").asText()).contains("Duplicate field 'prefix'");

        assertThat(safelistPrefixes()).doesNotContain("0.0.0.0/0", "::/0", "0.0.0.0/1", "::/48",
                "2001:db8:beef::/48", "203.0.113.0/24");

        assertThat(send("POST", "/api/v1/safelist",
                "{\"prefix\":\"2001:db8:beef::/48\",\"reason\":\"monitoring\",\"operator\":\"erin\"}")
                .statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/v1/safelist",
                "{\"prefix\":\"203.0.113.0/24\",\"reason\":\"lab\",\"operator\":\"erin\"}").statusCode())
                .isEqualTo(201);
        assertThat(safelistPrefixes()).contains("2001:db8:beef::/48", "203.0.113.0/24");

        for (String prefix : List.of("2001:db8:beef::/48", "203.0.113.0/24")) {
            assertThat(send("DELETE", "/api/v1/safelist?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)
                    + "&operator=erin", null).statusCode()).isEqualTo(204);
        }
    }

    /**
     * An event whose victim is written ambiguously, whose time is absurd or whose body repeats a
     * key is a 400 and is not remembered: the same event id sent again in good form is stored.
     */
    @Test
    void ambiguousOrAbsurdEventsAreRefused() throws Exception {
        HttpResponse<String> octal = postEvent(event("canon-1", "192.0.2.024", "udp_flood"));
        assertThat(octal.statusCode()).as(octal.body()).isEqualTo(400);
        assertThat(json(octal).path("error").asText()).isEqualTo("invalid_field");
        assertThat(json(octal).path("field").asText()).isEqualTo("victim_ip");
        assertThat(json(octal).path("detail").asText()).contains("leading zero");
        HttpResponse<String> canonical = postEvent(event("canon-1", "192.0.2.24", "udp_flood"));
        assertThat(canonical.statusCode()).as(canonical.body()).isEqualTo(202);
        assertThat(json(canonical).path("outcome").asText()).isEqualTo("created");
        assertThat(json(send("GET", "/api/v1/mitigations/" + json(canonical).path("mitigation_id").asText(), null))
                .path("victim_ip").asText()).isEqualTo("192.0.2.24");

        HttpResponse<String> farFuture = postEvent(event("time-1", "192.0.2.25", "udp_flood")
                .replace("2026-11-22T08:00:00Z", "+99999-01-01T00:00:00Z"));
        assertThat(farFuture.statusCode()).as(farFuture.body()).isEqualTo(400);
        assertThat(json(farFuture).path("field").asText()).isEqualTo("timestamp");
        assertThat(json(farFuture).path("detail").asText()).contains("is outside 2000-01-01T00:00:00Z");
        HttpResponse<String> inWindow = postEvent(event("time-1", "192.0.2.25", "udp_flood"));
        assertThat(inWindow.statusCode()).as(inWindow.body()).isEqualTo(202);
        assertThat(json(inWindow).path("outcome").asText()).isEqualTo("created");
        assertThat(json(send("GET", "/api/v1/mitigations/" + json(inWindow).path("mitigation_id").asText(), null))
                .path("victim_ip").asText()).isEqualTo("192.0.2.25");

        HttpResponse<String> twice = postEvent(event("dup-1", "192.0.2.26", "udp_flood")
                .replace("\"vector\"", "\"victim_ip\":\"192.0.2.27\",\"vector\""));
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
        assertThat(json(twice).path("error").asText()).isEqualTo("invalid_json");
        assertThat(json(twice).path("detail").asText()).contains("Duplicate field 'victim_ip'");
        HttpResponse<String> once = postEvent(event("dup-1", "192.0.2.26", "udp_flood"));
        assertThat(once.statusCode()).as(once.body()).isEqualTo(202);
        assertThat(json(once).path("outcome").asText()).isEqualTo("created");
        assertThat(json(send("GET", "/api/v1/mitigations/" + json(once).path("mitigation_id").asText(), null))
                .path("victim_ip").asText()).isEqualTo("192.0.2.26");
    }

    @Test
    void safelistThroughTheApiProtectsAtOnce() throws Exception {
        HttpResponse<String> added = send("POST", "/api/v1/safelist",
                "{\"prefix\":\"2001:db8:dead::/48\",\"reason\":\"monitoring\",\"operator\":\"bob\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode list = json(send("GET", "/api/v1/safelist", null));
        assertThat(list.path("items").findValuesAsText("prefix")).contains("2001:db8:dead::/48", "192.0.2.53/32");

        HttpResponse<String> refused = postEvent(event("s-1", "2001:db8:dead::1", "syn_flood"));
        assertThat(json(refused).path("guardrail").asText()).isEqualTo("safelist");

        String prefix = URLEncoder.encode("2001:db8:dead::/48", StandardCharsets.UTF_8);
        assertThat(send("DELETE", "/api/v1/safelist?prefix=" + prefix + "&operator=bob", null).statusCode())
                .isEqualTo(204);
        assertThat(send("DELETE", "/api/v1/safelist?prefix=" + prefix + "&operator=bob", null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> allowed = postEvent(event("s-2", "2001:db8:dead::1", "syn_flood"));
        assertThat(json(allowed).path("outcome").asText()).isEqualTo("created");
    }

    @Test
    void aBadReloadKeepsTheRunningPolicy() throws Exception {
        Files.writeString(playbooks, PLAYBOOKS.replace("rate_bps: 100M, ", ""));
        HttpResponse<String> refused = send("POST", "/api/v1/reload?operator=carol", null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).path("problems").get(0).asText()).contains("police needs a rate");
        assertThat(service.policy().playbooks()).hasSize(2);

        Files.writeString(playbooks, PLAYBOOKS);
        HttpResponse<String> applied = send("POST", "/api/v1/reload?operator=carol", null);
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(json(applied).path("playbooks").asInt()).isEqualTo(2);
    }

    @Test
    void detectorAdaptersAndRateLimit() throws Exception {
        HttpResponse<String> fnm = send("POST", "/api/v1/events/fastnetmon", """
                {"ip":"192.0.2.77","action":"ban","attack_details":{"attack_uuid":"u-1","attack_type":"syn_flood",
                 "attack_protocol":"tcp"}}
                """);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fnm.statusCode() == 429 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            fnm = send("POST", "/api/v1/events/fastnetmon", """
                    {"ip":"192.0.2.77","action":"ban","attack_details":{"attack_uuid":"u-1","attack_type":"syn_flood",
                     "attack_protocol":"tcp"}}
                    """);
        }
        assertThat(fnm.statusCode()).as(fnm.body()).isEqualTo(202);
        assertThat(json(fnm).path("outcome").asText()).isEqualTo("created");

        // Five alerts at once cannot fit a bucket of three: refused whole, with a time to retry.
        StringBuilder alerts = new StringBuilder("{\"alerts\":[");
        for (int i = 0; i < 5; i++) {
            alerts.append(i == 0 ? "" : ",").append("{\"status\":\"firing\",\"labels\":{\"victim_ip\":\"192.0.2.")
                    .append(100 + i).append("\",\"vector\":\"udp_flood\"},\"fingerprint\":\"f").append(i).append("\"}");
        }
        alerts.append("]}");
        HttpResponse<String> limited = send("POST", "/api/v1/events/alertmanager", alerts.toString());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
    }

    /** Runs the command line against this service; returns exit code, stdout and stderr. */
    private static String[] cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 2];
            all[0] = "--url";
            all[1] = "http://127.0.0.1:" + http.port();
            System.arraycopy(args, 0, all, 2, args.length);
            code = new picocli.CommandLine(new net.rampart.cli.RampartCli()).execute(all);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theCommandLineDrivesTheApi() throws Exception {
        String id = json(postEvent(event("cli-1", "192.0.2.150", "udp_flood"))).path("mitigation_id").asText();

        String[] list = cli("mitigations", "list");
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1]).contains(id).contains("192.0.2.150").contains("police 100000000bps");

        String[] show = cli("mitigations", "show", id);
        assertThat(JSON.readTree(show[1]).path("rule").path("match").path("destination").asText())
                .isEqualTo("192.0.2.150/32");

        String[] withdrawn = cli("mitigations", "withdraw", id, "--reason", "test over", "--operator", "dave");
        assertThat(withdrawn[0]).isEqualTo("0");
        assertThat(withdrawn[1]).contains("withdrawn");
        assertThat(service.repository().find(id).orElseThrow().endedBy()).isEqualTo("operator:dave");

        String[] missing = cli("mitigations", "show", "00000000-0000-0000-0000-000000000000");
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).startsWith("rampart: not_found:");

        assertThat(cli("safelist", "add", "192.0.2.160/28", "--reason", "lab", "--operator", "dave")[0])
                .isEqualTo("0");
        assertThat(cli("safelist", "list")[1]).contains("192.0.2.160/28").contains("operator:dave").contains("lab");
        assertThat(cli("safelist", "remove", "192.0.2.160/28", "--operator", "dave")[0]).isEqualTo("0");
        assertThat(cli("safelist", "remove", "192.0.2.160/28", "--operator", "dave")[0]).isEqualTo("1");

        assertThat(cli("peers")[1]).startsWith("PEER");
        String[] reload = cli("reload", "--operator", "dave");
        assertThat(reload[0]).isEqualTo("0");
        assertThat(reload[1]).contains("2 playbooks");
    }

    /** Every item of a list, following next_cursor from the first page; asserts each page keeps to the limit. */
    private static List<JsonNode> everyPage(String target, int limit) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> r = send("GET", target + (target.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = json(r);
            assertThat(page.path("items").size()).as("%s: %s", target, r.body()).isBetween(1, limit);
            page.path("items").forEach(items::add);
            cursor = page.path("next_cursor").textValue();
            if (cursor == null) {
                // The last page says so itself: no cursor to an empty page after it.
                assertThat(items).as("%s: every item once", target).hasSize(page.path("matched").asInt());
            }
        } while (cursor != null);
        return items;
    }

    private static void assertRefused(String target, String parameter) throws Exception {
        HttpResponse<String> r = send("GET", target, null);
        assertThat(r.statusCode()).as("%s: %s", target, r.body()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).as(target).isEqualTo("invalid_parameter");
        assertThat(json(r).path("field").asText()).as(target).isEqualTo(parameter);
        assertThat(json(r).path("detail").asText()).as(target).startsWith(parameter + ": ");
    }

    /**
     * Mitigations (paged by key in the database) and the safelist (cut from a list) page alike:
     * limit, matched and an opaque next_cursor that leads to the rest, each item once; a cursor
     * the list did not hand out, or a limit out of range, is a 400 naming it on every list.
     */
    @Test
    void everyListPagesAlikeAndRefusesACursorItDidNotHandOut() throws Exception {
        List<String> created = new ArrayList<>();
        for (String victim : List.of("192.0.2.60", "192.0.2.61", "192.0.2.62")) {
            HttpResponse<String> r = postEvent(event("page-" + victim, victim, "udp_flood"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            created.add(json(r).path("mitigation_id").asText());
        }
        List<String> mitigations = everyPage("/api/v1/mitigations?status=all&pop=all", 2).stream()
                .map(m -> m.path("id").asText()).toList();
        assertThat(mitigations).doesNotHaveDuplicates().containsAll(created);

        assertThat(send("POST", "/api/v1/safelist",
                "{\"prefix\":\"192.0.2.64/30\",\"reason\":\"paging\",\"operator\":\"it\"}").statusCode())
                .isEqualTo(201);
        try {
            List<String> safelist = everyPage("/api/v1/safelist", 1).stream()
                    .map(e -> e.path("prefix").asText()).toList();
            assertThat(safelist).doesNotHaveDuplicates().contains("192.0.2.53/32", "192.0.2.64/30");
        } finally {
            send("DELETE", "/api/v1/safelist?prefix=" + URLEncoder.encode("192.0.2.64/30", StandardCharsets.UTF_8)
                    + "&operator=it", null);
        }

        // A cursor that is garbage or names no mitigation must not read as the end of the list: a client would stop there.
        String unknownMitigation = Page.keyed(List.of(), 1, "00000000-0000-4000-8000-000000000000").nextCursor();
        String offsetCursor = Page.cut(0, List.of("x"), 2).nextCursor();
        for (String list : List.of("/api/v1/mitigations", "/api/v1/safelist", "/api/v1/pops", "/api/v1/mitigation/peers")) {
            assertRefused(list + "?cursor=garbage", "cursor");
            assertRefused(list + "?limit=0", "limit");
            assertRefused(list + "?limit=1001", "limit");
        }
        assertRefused("/api/v1/mitigations?cursor=" + unknownMitigation, "cursor");
        // The raw id the list used to hand out, and an offset cursor of another list, are not its cursors.
        assertRefused("/api/v1/mitigations?cursor=" + created.get(0), "cursor");
        assertRefused("/api/v1/mitigations?cursor=" + offsetCursor, "cursor");
        assertRefused("/api/v1/safelist?cursor=" + unknownMitigation, "cursor");
    }

    @Test
    void statsAndPopsSeeEveryPop() throws Exception {
        postEvent(event("p-1", "192.0.2.200", "udp_flood"));
        JsonNode stats = json(send("GET", "/api/v1/stats?pop=all", null));
        assertThat(stats.path("pop").asText()).isEqualTo("all");
        assertThat(stats.path("mitigations").path("active").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode pops = json(send("GET", "/api/v1/pops", null));
        assertThat(pops.path("items").findValuesAsText("pop")).contains("ams1");
        assertThat(json(send("GET", "/api/v1/mitigation/peers", null)).path("matched").asInt()).isZero();
    }
}
