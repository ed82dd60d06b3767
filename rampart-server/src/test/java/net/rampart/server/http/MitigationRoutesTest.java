package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import net.rampart.mitigation.MutableClock;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.lifecycle.InMemoryMitigationRepository;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationRepository;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.server.RampartService;
import net.rampart.server.config.MitigationConfig;
import net.rampart.server.config.Settings;
import net.rampart.server.mitigation.MitigationService;
import net.rampart.server.mitigation.MitigationStore;
import net.rampart.store.mitigation.EventFilter;
import net.rampart.store.mitigation.MitigationStoreException;
import net.rampart.store.mitigation.PostgresAuditLog.AuditFilter;
import net.rampart.store.mitigation.PostgresAuditLog.StoredAuditEntry;
import net.rampart.store.mitigation.ReceivedEvent;
import net.rampart.store.mitigation.PostgresMitigationRepository.PopSummary;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mitigation routes in one process: the real {@link MitigationService} (policy files,
 * engine, guardrails, audit) over a store kept in memory, served by {@link HttpApi} on a
 * loopback port, on a clock moved by hand. No database, no service; one BGP peer is configured
 * and never connected, so its session stays idle. {@link MitigationRoutesIT} runs the same
 * routes over PostgreSQL; this is the handlers' fast loop.
 */
class MitigationRoutesTest {

    private static final String INVENTORY = """
            customers:
              - id: example-net
                prefixes: [192.0.2.0/24, 2001:db8::/32]
            safelist:
              - {prefix: 192.0.2.53/32, reason: resolver}
            """;
    private static final String PLAYBOOKS = """
            playbooks:
              - name: udp-flood
                match: {vectors: [udp_flood]}
                steps:
                  - {action: police, rate_bps: 100M, ttl: 10m}
                  - {action: discard, ttl: 30m, escalate_when: {min_persistence: 2m, min_confidence: 0.8}}
              - name: syn-flood
                match: {vectors: [syn_flood]}
                steps: [{action: discard, ttl: 5m}]
              - name: ack-flood
                match: {vectors: [ack_flood]}
                steps: [{action: mark, dscp: 8, ttl: 5m}]
            """;
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    private static final String UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
    private static final String IDLE_PEER = "198.51.100.1/65001";

    @TempDir
    Path dir;
    private final ObjectMapper json = RampartService.jsonMapper();
    private final MutableClock clock = new MutableClock(T0);
    private final MemoryStore store = new MemoryStore();
    private final HttpClient client = HttpClient.newHttpClient();
    private Path playbooks;
    private MitigationService service;
    private HttpApi http;

    /**
     * The store in memory: the engine tests' repository, and the audit entries in a list. While
     * {@link #failing}, its own reads fail as PostgreSQL's do, with text that must not reach a client.
     */
    private static final class MemoryStore implements MitigationStore {
        final InMemoryMitigationRepository repository = new InMemoryMitigationRepository();
        final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public MitigationRepository repository() {
            return repository;
        }

        @Override
        public AuditLog audit() {
            return audit::add;
        }

        @Override
        public List<AuditEntry> auditTrail(String mitigationId, int limit) {
            failIfAsked();
            List<AuditEntry> newestFirst = new ArrayList<>(
                    audit.stream().filter(e -> mitigationId.equals(e.mitigationId())).toList());
            Collections.reverse(newestFirst);
            return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        }

        @Override
        public List<PopSummary> pops() {
            failIfAsked();
            Map<String, List<Mitigation>> byPop = new TreeMap<>(repository.list(null, null, null, Integer.MAX_VALUE)
                    .stream().collect(Collectors.groupingBy(Mitigation::pop)));
            return byPop.values().stream().map(ms -> new PopSummary(ms.get(0).pop(),
                    (int) ms.stream().filter(m -> m.status().isActive()).count(), ms.size(),
                    ms.stream().map(Mitigation::updatedAt).max(Instant::compareTo).orElseThrow())).toList();
        }

        private void failIfAsked() {
            if (failing) {
                throw new MitigationStoreException("cannot read: relation \"mitigation_audit\" does not exist");
            }
        }

        @Override
        public boolean makingProgress() {
            return true;
        }

        @Override
        public int unwritten() {
            return 0;
        }

        @Override
        public void close() {
        }

        /** The whole log, each entry's id its place in the list from 1, as the table's sequence gives it. */
        @Override
        public List<StoredAuditEntry> auditLog(AuditFilter filter, Long afterId, int limit) {
            failIfAsked();
            List<StoredAuditEntry> newestFirst = new ArrayList<>();
            for (int i = audit.size() - 1; i >= 0; i--) {
                if ((afterId == null || i + 1 < afterId) && keeps(filter, audit.get(i))) {
                    newestFirst.add(new StoredAuditEntry(i + 1, audit.get(i)));
                }
            }
            return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        }

        @Override
        public long auditCount(AuditFilter filter) {
            return audit.stream().filter(e -> keeps(filter, e)).count();
        }

        private static boolean keeps(AuditFilter f, AuditEntry e) {
            return (f.actor() == null || e.actor().toLowerCase(Locale.ROOT).contains(f.actor().toLowerCase(Locale.ROOT)))
                    && (f.action() == null || f.action().equals(e.action()))
                    && (f.since() == null || !e.time().isBefore(f.since()));
        }

        /** Only PostgreSQL keeps received events: MitigationRoutesIT reads them back. */
        @Override
        public Optional<List<ReceivedEvent>> events(EventFilter filter, String afterId, int limit) {
            return afterId == null ? Optional.of(List.of()) : Optional.empty();
        }

        @Override
        public long eventCount(EventFilter filter) {
            return 0;
        }

        /** The audit entries of one action, oldest first. */
        List<AuditEntry> entries(String action) {
            return audit.stream().filter(e -> e.action().equals(action)).toList();
        }
    }

    @BeforeEach
    void start() throws Exception {
        start(Map.of());
    }

    /** Starts the service and its routes with the test's settings, {@code extra} added or replacing them. */
    private void start(Map<String, String> extra) throws Exception {
        Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
        playbooks = dir.resolve("playbooks.yaml");
        Files.writeString(playbooks, PLAYBOOKS);
        Map<String, String> settings = new HashMap<>(Map.of(
                MitigationConfig.POP, "ams1",
                MitigationConfig.INVENTORY, dir.resolve("inventory.yaml").toString(),
                MitigationConfig.PLAYBOOKS, playbooks.toString(),
                MitigationConfig.BGP_PEERS, IDLE_PEER,
                MitigationConfig.BGP_ASN, "65000",
                MitigationConfig.BGP_ROUTER_ID, "192.0.2.254"));
        settings.putAll(extra);
        MitigationConfig config = MitigationConfig.from(new Settings(settings), dir);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        service = new MitigationService(config, MitigationService.loadPolicy(config, clock), store, metrics, clock,
                InetAddress.getLoopbackAddress(), json);
        http = new HttpApi(json, metrics, List.of(new MitigationRoutes(service, json)), "test", null, Optional.empty());
        http.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop(Duration.ofSeconds(1));
        service.stop(Duration.ofSeconds(1));
    }

    private void restart(Map<String, String> extra) throws Exception {
        stop();
        start(extra);
    }

    private HttpResponse<String> send(String method, String target, String body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + target))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String target) throws Exception {
        return send("GET", target, null, null);
    }

    private HttpResponse<String> post(String target, String body) throws Exception {
        return send("POST", target, body, body == null ? null : "application/json");
    }

    private HttpResponse<String> delete(String target) throws Exception {
        return send("DELETE", target, null, null);
    }

    /** The JSON body of {@code response}, which must have {@code status}. */
    private JsonNode answer(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri(),
                response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private JsonNode ok(String target) throws Exception {
        return answer(get(target), 200);
    }

    /** A 4xx or 5xx answer's error body, which must carry {@code error}. */
    private JsonNode error(HttpResponse<String> response, int status, String error) throws Exception {
        JsonNode body = answer(response, status);
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        return body;
    }

    /** A 400 naming {@code field}, as the shared error body: {@code field} and a detail starting with its name. */
    private JsonNode refused(HttpResponse<String> response, String error, String field) throws Exception {
        JsonNode body = error(response, 400, error);
        assertThat(body.path("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(body.path("detail").asText()).as(response.body()).startsWith(field + ": ");
        return body;
    }

    private static String event(String id, String victim, String vector, String more) {
        return """
                {"event_id":"%s","timestamp":"2026-11-22T08:00:00Z","source":"test","victim_ip":"%s","vector":"%s"%s}
                """.formatted(id, victim, vector, more.isEmpty() ? "" : "," + more);
    }

    /** Posts a ban that creates a mitigation; its id. */
    private String created(String id, String victim) throws Exception {
        JsonNode result = answer(post("/api/v1/events", event(id, victim, "udp_flood", "")), 202);
        assertThat(result.path("outcome").asText()).isEqualTo("created");
        return result.path("mitigation_id").asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A mitigation written by hand, as another POP or an older run would have left it. */
    private static Mitigation stored(String pop, MitigationStatus status, Instant createdAt) {
        FlowSpecRule rule = new FlowSpecRule(new FlowMatch(IpPrefix.parse("192.0.2.200/32"), OptionalInt.of(17),
                List.of(), false), new FlowAction.Discard());
        boolean ended = status != MitigationStatus.ACTIVE;
        return new Mitigation(UUID.randomUUID().toString(), pop, "example-net", AddressText.parse("192.0.2.200"),
                AttackVector.UDP_FLOOD, "udp-flood", 0, rule, status, createdAt, createdAt,
                createdAt.plus(Duration.ofMinutes(10)), createdAt, createdAt, 1, OptionalDouble.empty(), false,
                ended ? createdAt : null, ended ? "system" : null, ended ? "ttl expired" : null);
    }

    @Test
    void anEventCreatesAMitigationShownWithEveryFieldAndItsAudit() throws Exception {
        JsonNode result = answer(post("/api/v1/events", event("ev-1", "192.0.2.10", "udp_flood",
                "\"bps\":1200000000,\"pps\":900000,\"confidence\":0.6,\"top_dst_ports\":[123,53],\"action\":\"ban\"")),
                202);
        assertThat(names(result)).containsExactly("event_id", "mitigation_id", "mitigation_ids", "outcome", "dry_run");
        assertThat(result.path("event_id").asText()).isEqualTo("ev-1");
        String id = result.path("mitigation_id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(result.path("mitigation_ids")).hasSize(1);
        assertThat(result.path("mitigation_ids").get(0).asText()).isEqualTo(id);
        assertThat(result.path("outcome").asText()).isEqualTo("created");
        assertThat(result.path("dry_run").isBoolean()).isTrue();
        assertThat(result.path("dry_run").asBoolean()).isFalse();

        JsonNode m = ok("/api/v1/mitigations/" + id);
        assertThat(names(m)).containsExactly("id", "pop", "customer_id", "victim_ip", "vector", "playbook", "step",
                "status", "dry_run", "rule", "created_at", "updated_at", "expires_at", "first_event_at",
                "last_event_at", "event_count", "last_confidence", "ended_at", "ended_by", "end_reason", "audit");
        assertThat(m.path("id").asText()).isEqualTo(id);
        assertThat(m.path("pop").asText()).isEqualTo("ams1");
        assertThat(m.path("customer_id").asText()).isEqualTo("example-net");
        assertThat(m.path("victim_ip").asText()).isEqualTo("192.0.2.10");
        assertThat(m.path("vector").asText()).isEqualTo("udp_flood");
        assertThat(m.path("playbook").asText()).isEqualTo("udp-flood");
        assertThat(m.path("step").asInt(-1)).isZero();
        assertThat(m.path("status").asText()).isEqualTo("active");
        assertThat(m.path("dry_run").asBoolean(true)).isFalse();
        JsonNode match = m.path("rule").path("match");
        assertThat(match.path("destination").asText()).isEqualTo("192.0.2.10/32");
        assertThat(match.path("protocol").asInt()).isEqualTo(17);
        assertThat(match.path("destination_ports").toString()).isEqualTo("[53,123]");
        assertThat(match.path("tcp_flags").isNull()).isTrue();
        assertThat(m.path("rule").path("action").toString())
                .isEqualTo("{\"type\":\"police\",\"bytes_per_second\":12500000,\"rate_bps\":100000000}");
        // The lifecycle runs on Rampart's clock, not the detector's timestamp; every time has milliseconds.
        assertThat(m.path("created_at").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        assertThat(m.path("updated_at").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        assertThat(m.path("expires_at").asText()).isEqualTo("2026-11-22T08:10:00.000Z");
        assertThat(m.path("first_event_at").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        assertThat(m.path("last_event_at").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        assertThat(m.path("event_count").asInt()).isEqualTo(1);
        assertThat(m.path("last_confidence").asDouble()).isEqualTo(0.6);
        assertThat(m.path("ended_at").isNull()).isTrue();
        assertThat(m.path("ended_by").isNull()).isTrue();
        assertThat(m.path("end_reason").isNull()).isTrue();

        JsonNode audit = m.path("audit");
        assertThat(audit).hasSize(1);
        assertThat(names(audit.get(0))).containsExactly("time", "actor", "action", "event_id", "details");
        assertThat(audit.get(0).path("time").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        assertThat(audit.get(0).path("actor").asText()).isEqualTo("detector:test");
        assertThat(audit.get(0).path("action").asText()).isEqualTo("mitigation_created");
        assertThat(audit.get(0).path("event_id").asText()).isEqualTo("ev-1");
        assertThat(audit.get(0).path("details").path("victim").asText()).isEqualTo("192.0.2.10");
        assertThat(audit.get(0).path("details").path("action").asText()).isEqualTo("police");
        assertThat(audit.get(0).path("details").path("step").asText()).isEqualTo("0");
    }

    @Test
    void laterEventsExtendEscalateAndEndTheMitigation() throws Exception {
        String id = answer(post("/api/v1/events", event("ev-1", "192.0.2.10", "udp_flood",
                "\"confidence\":0.6,\"top_dst_ports\":[53]")), 202).path("mitigation_id").asText();

        clock.advance(Duration.ofMinutes(1));
        JsonNode extended = answer(post("/api/v1/events", event("ev-2", "192.0.2.10", "udp_flood",
                "\"confidence\":0.6,\"top_dst_ports\":[123]")), 202);
        assertThat(extended.path("outcome").asText()).isEqualTo("extended");
        assertThat(extended.path("mitigation_id").asText()).isEqualTo(id);
        JsonNode m = ok("/api/v1/mitigations/" + id);
        assertThat(m.path("event_count").asInt()).isEqualTo(2);
        assertThat(m.path("rule").path("match").path("destination_ports").toString()).isEqualTo("[53,123]");
        assertThat(m.path("expires_at").asText()).isEqualTo("2026-11-22T08:11:00.000Z");

        // Two minutes into the attack and confident enough: the playbook's second step.
        clock.advance(Duration.ofMinutes(1));
        JsonNode escalated = answer(post("/api/v1/events", event("ev-3", "192.0.2.10", "udp_flood",
                "\"confidence\":0.9,\"top_dst_ports\":[53]")), 202);
        assertThat(escalated.path("outcome").asText()).isEqualTo("escalated");
        m = ok("/api/v1/mitigations/" + id);
        assertThat(m.path("step").asInt()).isEqualTo(1);
        assertThat(m.path("rule").path("action").toString()).isEqualTo("{\"type\":\"discard\"}");
        assertThat(m.path("expires_at").asText()).isEqualTo("2026-11-22T08:32:00.000Z");
        assertThat(m.path("last_confidence").asDouble()).isEqualTo(0.9);

        JsonNode unban = answer(post("/api/v1/events", event("ev-4", "192.0.2.10", "udp_flood",
                "\"action\":\"unban\"")), 202);
        assertThat(unban.path("outcome").asText()).isEqualTo("withdrawn");
        assertThat(unban.path("mitigation_ids").get(0).asText()).isEqualTo(id);
        m = ok("/api/v1/mitigations/" + id);
        assertThat(m.path("status").asText()).isEqualTo("withdrawn");
        assertThat(m.path("ended_at").asText()).isEqualTo("2026-11-22T08:02:00.000Z");
        assertThat(m.path("ended_by").asText()).isEqualTo("detector:test");
        assertThat(m.path("end_reason").asText()).isEqualTo("unban event ev-4");
        assertThat(texts(m.path("audit"), "action")).as("newest first").containsExactly("mitigation_withdrawn",
                "mitigation_escalated", "mitigation_extended", "mitigation_created");
        assertThat(texts(m.path("audit"), "event_id")).containsExactly("ev-4", "ev-3", "ev-2", "ev-1");

        JsonNode nothing = answer(post("/api/v1/events", event("ev-5", "192.0.2.10", "udp_flood",
                "\"action\":\"unban\"")), 202);
        assertThat(nothing.path("outcome").asText()).isEqualTo("nothing_to_withdraw");
        assertThat(nothing.path("mitigation_id").isNull()).isTrue();
        assertThat(nothing.path("mitigation_ids").isArray()).isTrue();
        assertThat(nothing.path("mitigation_ids")).isEmpty();
    }

    @Test
    void aRepeatedEventIdIs409AndChangesNothing() throws Exception {
        String id = created("ev-1", "192.0.2.10");

        JsonNode body = error(post("/api/v1/events", event("ev-1", "192.0.2.10", "udp_flood", "")), 409,
                "duplicate_event");
        assertThat(body.path("detail").asText()).isEqualTo("event ev-1 was already received");
        assertThat(names(body)).containsExactly("error", "detail");
        assertThat(ok("/api/v1/mitigations/" + id).path("event_count").asInt()).isEqualTo(1);

        // Without an event_id, the event gets a new UUID.
        String own = answer(post("/api/v1/events", "{\"timestamp\":\"2026-11-22T08:00:00Z\",\"source\":\"test\","
                + "\"victim_ip\":\"192.0.2.10\",\"vector\":\"udp_flood\"}"), 202).path("event_id").asText();
        assertThat(UUID.fromString(own).toString()).isEqualTo(own);
    }

    @Test
    void aBadEventIs400NamingTheFieldAndIsNotRemembered() throws Exception {
        for (String victim : List.of("192.0.2.300", "192.0.2.024", "::ffff:192.0.2.10", "example.net",
                "192.0.2.0/24", "")) {
            refused(post("/api/v1/events", event("bad", victim, "udp_flood", "")), "invalid_field", "victim_ip");
        }
        JsonNode missing = refused(post("/api/v1/events",
                "{\"timestamp\":\"2026-11-22T08:00:00Z\",\"source\":\"test\",\"vector\":\"udp_flood\"}"),
                "invalid_field", "victim_ip");
        assertThat(missing.path("detail").asText()).isEqualTo("victim_ip: required");
        refused(post("/api/v1/events", event("bad", "192.0.2.10", "ddos", "")), "invalid_field", "vector");
        refused(post("/api/v1/events", event("bad", "192.0.2.10", "udp_flood", "\"confidence\":1.5")),
                "invalid_field", "confidence");
        refused(post("/api/v1/events", event("bad", "192.0.2.10", "udp_flood",
                "\"top_dst_ports\":[1,2,3,4,5,6,7,8,9]")), "invalid_field", "top_dst_ports");
        refused(post("/api/v1/events", event("bad", "192.0.2.10", "udp_flood", "")
                .replace("2026-11-22T08:00:00Z", "2026-11-24T08:00:00Z")), "invalid_field", "timestamp");

        JsonNode notJson = error(post("/api/v1/events", "{\"event_id\":"), 400, "invalid_json");
        assertThat(notJson.path("detail").asText()).startsWith("the body is not JSON: ");
        assertThat(notJson.has("field")).isFalse();
        JsonNode array = error(post("/api/v1/events", "[]"), 400, "invalid_json");
        assertThat(array.path("detail").asText()).isEqualTo("the body must be a JSON object");

        assertThat(ok("/api/v1/mitigations?status=all&pop=all").path("matched").asInt()).isZero();
        // Refused events were not remembered: the same id in good form is taken.
        assertThat(created("bad", "192.0.2.10")).isNotEmpty();
    }

    @Test
    void aGuardrailRefusalIs422NamingTheGuardrailAndChangesNothing() throws Exception {
        JsonNode stranger = error(post("/api/v1/events", event("g-1", "198.51.100.7", "udp_flood", "")), 422,
                "guardrail_refused");
        assertThat(names(stranger)).containsExactly("error", "detail", "guardrail");
        assertThat(stranger.path("guardrail").asText()).isEqualTo("victim_not_in_inventory");
        assertThat(stranger.path("detail").asText())
                .isEqualTo("victim_not_in_inventory: 198.51.100.7 is not inside any customer's prefixes");

        JsonNode safe = error(post("/api/v1/events", event("g-2", "192.0.2.53", "udp_flood", "")), 422,
                "guardrail_refused");
        assertThat(safe.path("guardrail").asText()).isEqualTo("safelist");
        assertThat(safe.path("detail").asText())
                .isEqualTo("safelist: 192.0.2.53/32 overlaps safelisted 192.0.2.53/32 (resolver)");

        assertThat(ok("/api/v1/mitigations?status=all&pop=all").path("matched").asInt()).isZero();
        assertThat(store.entries("guardrail_refused")).extracting(AuditEntry::actor)
                .containsExactly("detector:test", "detector:test");
    }

    @Test
    void fastNetMonNotificationsBanAndUnbanByTheirAttack() throws Exception {
        JsonNode ban = answer(post("/api/v1/events/fastnetmon", """
                {"ip":"192.0.2.77","action":"ban","attack_details":{"attack_uuid":"u-1","attack_type":"syn_flood",
                 "attack_protocol":"tcp","total_incoming_traffic_bits":800000000,"total_incoming_pps":100000}}
                """), 202);
        assertThat(ban.path("event_id").asText()).isEqualTo("fastnetmon:u-1:ban");
        assertThat(ban.path("outcome").asText()).isEqualTo("created");
        String id = ban.path("mitigation_id").asText();
        JsonNode m = ok("/api/v1/mitigations/" + id);
        assertThat(m.path("vector").asText()).isEqualTo("syn_flood");
        assertThat(m.path("playbook").asText()).isEqualTo("syn-flood");
        assertThat(m.path("rule").path("match").path("protocol").asInt()).isEqualTo(6);
        assertThat(m.path("rule").path("match").path("tcp_flags").asText()).isEqualTo("syn");
        assertThat(m.path("rule").path("action").path("type").asText()).isEqualTo("discard");
        assertThat(m.path("expires_at").asText()).isEqualTo("2026-11-22T08:05:00.000Z");
        assertThat(m.path("audit").get(0).path("actor").asText()).isEqualTo("detector:fastnetmon");

        JsonNode unban = answer(post("/api/v1/events/fastnetmon", """
                {"ip":"192.0.2.77","action":"unban","attack_details":{"attack_uuid":"u-1","attack_type":"syn_flood"}}
                """), 202);
        assertThat(unban.path("event_id").asText()).isEqualTo("fastnetmon:u-1:unban");
        assertThat(unban.path("outcome").asText()).isEqualTo("withdrawn");
        assertThat(ok("/api/v1/mitigations/" + id).path("status").asText()).isEqualTo("withdrawn");

        refused(post("/api/v1/events/fastnetmon", "{\"ip\":\"192.0.2.077\",\"action\":\"ban\"}"), "invalid_field",
                "ip");
        assertThat(refused(post("/api/v1/events/fastnetmon", "{\"action\":\"ban\"}"), "invalid_field", "ip")
                .path("detail").asText()).isEqualTo("ip: required");
        refused(post("/api/v1/events/fastnetmon", "{\"ip\":\"192.0.2.77\",\"action\":\"block\"}"), "invalid_field",
                "action");
    }

    private static String alert(String status, String victim, String fingerprint) {
        return """
                {"status":"%s","labels":{"victim_ip":"%s","vector":"udp_flood"},"fingerprint":"%s",
                 "startsAt":"2026-11-22T07:58:00Z"}
                """.formatted(status, victim, fingerprint);
    }

    @Test
    void alertmanagerAnswersEachAlertWithItsResultOrItsError() throws Exception {
        String batch = "{\"version\":\"4\",\"alerts\":[" + alert("firing", "192.0.2.100", "f0") + ","
                + alert("firing", "198.51.100.9", "f1") + "," + alert("resolved", "192.0.2.100", "f0") + "]}";
        JsonNode results = answer(post("/api/v1/events/alertmanager", batch), 202).path("results");
        assertThat(results).hasSize(3);

        JsonNode first = results.get(0);
        assertThat(first.path("event_id").asText()).isEqualTo("alertmanager:f0:2026-11-22T07:58:00Z:ban");
        assertThat(first.path("outcome").asText()).isEqualTo("created");
        String id = first.path("mitigation_id").asText();
        // A refused alert is its event id with the error it would have had alone, and no result.
        JsonNode second = results.get(1);
        assertThat(names(second)).containsExactly("event_id", "error", "detail", "guardrail");
        assertThat(second.path("event_id").asText()).isEqualTo("alertmanager:f1:2026-11-22T07:58:00Z:ban");
        assertThat(second.path("error").asText()).isEqualTo("guardrail_refused");
        assertThat(second.path("guardrail").asText()).isEqualTo("victim_not_in_inventory");
        JsonNode third = results.get(2);
        assertThat(third.path("event_id").asText()).isEqualTo("alertmanager:f0:2026-11-22T07:58:00Z:unban");
        assertThat(third.path("outcome").asText()).isEqualTo("withdrawn");
        assertThat(third.path("mitigation_ids").get(0).asText()).isEqualTo(id);

        JsonNode again = answer(post("/api/v1/events/alertmanager", batch), 202).path("results");
        assertThat(texts(again, "error")).containsExactly("duplicate_event", "guardrail_refused", "duplicate_event");
        assertThat(names(again.get(0))).containsExactly("event_id", "error", "detail");

        // One bad alert refuses the whole batch before any of it is applied.
        JsonNode bad = refused(post("/api/v1/events/alertmanager", "{\"alerts\":[" + alert("firing", "192.0.2.101",
                "f2") + ",{\"status\":\"firing\",\"labels\":{\"vector\":\"udp_flood\"}}]}"), "invalid_field",
                "alerts[1].labels.victim_ip");
        assertThat(bad.path("detail").asText()).isEqualTo("alerts[1].labels.victim_ip: required");
        refused(post("/api/v1/events/alertmanager", "{\"version\":\"4\"}"), "invalid_field", "alerts");
        assertThat(ok("/api/v1/mitigations?status=all").path("matched").asInt()).isEqualTo(1);
    }

    @Test
    void aBatchLargerThanTheEventRateIsRefusedWholeWithARetryTime() throws Exception {
        restart(Map.of(MitigationConfig.EVENTS_PER_SECOND, "2"));
        // Three alerts never fit a bucket of two, however much time has passed.
        String batch = "{\"alerts\":[" + alert("firing", "192.0.2.100", "f0") + ","
                + alert("firing", "192.0.2.101", "f1") + "," + alert("firing", "192.0.2.102", "f2") + "]}";
        HttpResponse<String> limited = post("/api/v1/events/alertmanager", batch);
        JsonNode body = error(limited, 429, "rate_limited");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isPositive();
        assertThat(body.path("detail").asText()).isEqualTo("too many events; retry after " + retryAfter + " s");
        assertThat(ok("/api/v1/mitigations?status=all").path("matched").asInt()).isZero();
    }

    @Test
    void mitigationsAreListedNewestFirstByPopAndStatus() throws Exception {
        String m1 = created("l-1", "192.0.2.11");
        clock.advance(Duration.ofSeconds(1));
        String m2 = created("l-2", "192.0.2.12");
        clock.advance(Duration.ofSeconds(1));
        String m3 = created("l-3", "192.0.2.13");
        answer(post("/api/v1/mitigations/" + m2 + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"test\"}"), 200);
        Mitigation elsewhere = stored("fra1", MitigationStatus.ACTIVE, T0.plusSeconds(10));
        store.repository.save(elsewhere);

        JsonNode page = ok("/api/v1/mitigations");
        assertThat(names(page)).containsExactly("items", "matched", "next_cursor");
        assertThat(texts(page.path("items"), "id")).as("this POP, every status").containsExactly(m3, m2, m1);
        assertThat(page.path("matched").asInt()).isEqualTo(3);
        assertThat(page.path("next_cursor").isNull()).isTrue();

        assertThat(texts(ok("/api/v1/mitigations?status=active").path("items"), "id")).containsExactly(m3, m1);
        assertThat(ok("/api/v1/mitigations?status=active").path("matched").asInt()).isEqualTo(2);
        assertThat(texts(ok("/api/v1/mitigations?status=withdrawn").path("items"), "id")).containsExactly(m2);
        assertThat(ok("/api/v1/mitigations?status=expired").path("matched").asInt()).isZero();
        assertThat(texts(ok("/api/v1/mitigations?status=ACTIVE").path("items"), "id")).containsExactly(m3, m1);
        assertThat(texts(ok("/api/v1/mitigations?status=all").path("items"), "id")).containsExactly(m3, m2, m1);
        assertThat(texts(ok("/api/v1/mitigations?status=ALL").path("items"), "id")).containsExactly(m3, m2, m1);

        assertThat(texts(ok("/api/v1/mitigations?pop=all").path("items"), "id"))
                .containsExactly(elsewhere.id(), m3, m2, m1);
        assertThat(texts(ok("/api/v1/mitigations?pop=fra1").path("items"), "id")).containsExactly(elsewhere.id());
        assertThat(texts(ok("/api/v1/mitigations?pop=all&status=withdrawn").path("items"), "id")).containsExactly(m2);
        assertThat(ok("/api/v1/mitigations?pop=nowhere").path("matched").asInt()).isZero();

        JsonNode bad = refused(get("/api/v1/mitigations?status=gone"), "invalid_parameter", "status");
        assertThat(bad.path("detail").asText()).isEqualTo("status: 'gone' is not active, withdrawn, expired or all");
    }

    @Test
    void mitigationsArePagedByTheLastOneSeen() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(0, created("p-" + i, "192.0.2." + (20 + i)));
            clock.advance(Duration.ofSeconds(1));
        }
        JsonNode first = ok("/api/v1/mitigations?limit=2");
        assertThat(texts(first.path("items"), "id")).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.path("matched").asInt()).isEqualTo(5);
        String cursor = first.path("next_cursor").asText();
        assertThat(cursor).isNotEmpty().doesNotContain(ids.get(1));

        // A mitigation created between pages shifts nothing: the next page starts after the last one seen.
        String newest = created("p-6", "192.0.2.26");
        JsonNode second = ok("/api/v1/mitigations?limit=2&cursor=" + cursor);
        assertThat(texts(second.path("items"), "id")).containsExactly(ids.get(2), ids.get(3));
        assertThat(second.path("matched").asInt()).isEqualTo(6);
        JsonNode third = ok("/api/v1/mitigations?limit=2&cursor=" + second.path("next_cursor").asText());
        assertThat(texts(third.path("items"), "id")).containsExactly(ids.get(4));
        assertThat(third.has("next_cursor")).isTrue();
        assertThat(third.path("next_cursor").isNull()).as("the last page has no cursor").isTrue();

        // Nor does the last one seen leaving the filter between pages.
        JsonNode active = ok("/api/v1/mitigations?status=active&limit=2");
        assertThat(texts(active.path("items"), "id")).containsExactly(newest, ids.get(0));
        answer(post("/api/v1/mitigations/" + ids.get(0) + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"x\"}"),
                200);
        JsonNode next = ok("/api/v1/mitigations?status=active&limit=2&cursor=" + active.path("next_cursor").asText());
        assertThat(texts(next.path("items"), "id")).containsExactly(ids.get(1), ids.get(2));
    }

    @Test
    void everyListTakesTheSharedLimitAndRefusesCursorsItDidNotHandOut() throws Exception {
        for (int i = 0; i < 101; i++) {
            store.repository.save(stored("ams1", MitigationStatus.EXPIRED, T0.minusSeconds(i)));
        }
        JsonNode byDefault = ok("/api/v1/mitigations");
        assertThat(byDefault.path("items")).hasSize(100);
        assertThat(byDefault.path("matched").asInt()).isEqualTo(101);
        assertThat(byDefault.path("next_cursor").isTextual()).isTrue();
        JsonNode most = ok("/api/v1/mitigations?limit=1000");
        assertThat(most.path("items")).hasSize(101);
        assertThat(most.path("next_cursor").isNull()).isTrue();

        String keyCursor = byDefault.path("next_cursor").asText();
        answer(post("/api/v1/safelist", "{\"prefix\":\"192.0.2.64/30\",\"reason\":\"lab\",\"operator\":\"bob\"}"), 201);
        String offsetCursor = ok("/api/v1/safelist?limit=1").path("next_cursor").asText();
        for (String list : List.of("/api/v1/mitigations", "/api/v1/safelist", "/api/v1/pops",
                "/api/v1/mitigation/peers")) {
            for (String limit : List.of("0", "1001", "-1", "ten", "1.5")) {
                JsonNode body = refused(get(list + "?limit=" + limit), "invalid_parameter", "limit");
                assertThat(body.path("detail").asText()).as(list)
                        .isEqualTo("limit: must be a whole number from 1 to 1000, not '" + limit + "'");
            }
            assertThat(ok(list + "?limit=1000").path("items").size()).as(list).isPositive();
            JsonNode garbage = refused(get(list + "?cursor=garbage"), "invalid_parameter", "cursor");
            assertThat(garbage.path("detail").asText()).isEqualTo("cursor: 'garbage' is not a cursor this list "
                    + "handed out; start without one and follow next_cursor");
            String foreign = list.equals("/api/v1/mitigations") ? offsetCursor : keyCursor;
            refused(get(list + "?cursor=" + foreign), "invalid_parameter", "cursor");
        }
        // A well-formed cursor naming no mitigation, or a raw id, must not read as the end of the list.
        refused(get("/api/v1/mitigations?cursor=" + Page.keyed(List.of(), 1, UNKNOWN_ID).nextCursor()),
                "invalid_parameter", "cursor");
        refused(get("/api/v1/mitigations?cursor=" + most.path("items").get(0).path("id").asText()),
                "invalid_parameter", "cursor");
    }

    @Test
    void anUnknownMitigationIs404() throws Exception {
        for (String id : List.of(UNKNOWN_ID, "not-a-uuid")) {
            JsonNode shown = error(get("/api/v1/mitigations/" + id), 404, "not_found");
            assertThat(shown.path("detail").asText()).isEqualTo("no mitigation " + id);
            JsonNode withdrawn = error(post("/api/v1/mitigations/" + id + "/withdraw",
                    "{\"operator\":\"alice\",\"reason\":\"gone\"}"), 404, "not_found");
            assertThat(withdrawn.path("detail").asText()).isEqualTo("no mitigation " + id);
        }
    }

    @Test
    void anOperatorWithdrawsWithAReasonOnce() throws Exception {
        String id = created("w-1", "192.0.2.30");
        clock.advance(Duration.ofMinutes(1));

        JsonNode withdrawn = answer(post("/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"alice\",\"reason\":\"customer asked\"}"), 200);
        assertThat(withdrawn.path("id").asText()).isEqualTo(id);
        assertThat(withdrawn.path("status").asText()).isEqualTo("withdrawn");
        assertThat(withdrawn.path("ended_at").asText()).isEqualTo("2026-11-22T08:01:00.000Z");
        assertThat(withdrawn.path("updated_at").asText()).isEqualTo("2026-11-22T08:01:00.000Z");
        assertThat(withdrawn.path("ended_by").asText()).isEqualTo("operator:alice");
        assertThat(withdrawn.path("end_reason").asText()).isEqualTo("customer asked");
        assertThat(withdrawn.has("audit")).as("the withdrawal answers the Mitigation alone").isFalse();

        JsonNode audit = ok("/api/v1/mitigations/" + id).path("audit");
        assertThat(texts(audit, "action")).containsExactly("mitigation_withdrawn", "mitigation_created");
        assertThat(audit.get(0).path("actor").asText()).isEqualTo("operator:alice");
        assertThat(audit.get(0).path("time").asText()).isEqualTo("2026-11-22T08:01:00.000Z");
        assertThat(audit.get(0).path("event_id").isNull()).isTrue();
        assertThat(audit.get(0).path("details").path("reason").asText()).isEqualTo("customer asked");

        // An ended mitigation is answered unchanged, and nothing more is audited.
        clock.advance(Duration.ofMinutes(1));
        JsonNode again = answer(post("/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"bob\",\"reason\":\"again\"}"), 200);
        assertThat(again.path("ended_by").asText()).isEqualTo("operator:alice");
        assertThat(again.path("ended_at").asText()).isEqualTo("2026-11-22T08:01:00.000Z");
        assertThat(again.path("end_reason").asText()).isEqualTo("customer asked");
        assertThat(ok("/api/v1/mitigations/" + id).path("audit")).hasSize(2);
    }

    @Test
    void aWithdrawalWithoutOperatorOrReasonIs400AndChangesNothing() throws Exception {
        String id = created("w-1", "192.0.2.31");
        String target = "/api/v1/mitigations/" + id + "/withdraw";

        assertThat(refused(post(target, "{}"), "invalid_field", "operator").path("detail").asText())
                .isEqualTo("operator: required");
        assertThat(refused(post(target, "{\"operator\":\"alice\"}"), "invalid_field", "reason").path("detail")
                .asText()).isEqualTo("reason: required");
        refused(post(target, "{\"operator\":\"  \",\"reason\":\"x\"}"), "invalid_field", "operator");
        refused(post(target, "{\"operator\":\"alice\",\"reason\":null}"), "invalid_field", "reason");
        // A field of the wrong type is refused as such, not read as its JSON text or as missing.
        assertThat(refused(post(target, "{\"operator\":42,\"reason\":\"x\"}"), "invalid_field", "operator")
                .path("detail").asText()).isEqualTo("operator: expected a string");
        assertThat(refused(post(target, "{\"operator\":{\"name\":\"alice\"},\"reason\":\"x\"}"), "invalid_field",
                "operator").path("detail").asText()).isEqualTo("operator: expected a string");
        refused(post(target, "{\"operator\":\"alice\",\"reason\":[\"x\"]}"), "invalid_field", "reason");
        assertThat(refused(post(target, "{\"operator\":\"" + "a".repeat(129) + "\",\"reason\":\"x\"}"),
                "invalid_field", "operator").path("detail").asText())
                .isEqualTo("operator: 129 characters, at most 128");
        error(post(target, "\"alice\""), 400, "invalid_json");

        assertThat(ok("/api/v1/mitigations/" + id).path("status").asText()).isEqualTo("active");
        assertThat(store.entries("mitigation_withdrawn")).isEmpty();
    }

    @Test
    void safelistEntriesAreAddedListedAndRemovedThroughTheApi() throws Exception {
        JsonNode fileOnly = ok("/api/v1/safelist");
        assertThat(fileOnly.path("items")).hasSize(1);
        assertThat(fileOnly.path("items").get(0).toString())
                .isEqualTo("{\"prefix\":\"192.0.2.53/32\",\"reason\":\"resolver\",\"origin\":\"file\"}");
        assertThat(fileOnly.path("matched").asInt()).isEqualTo(1);

        // IPv6 may be written in upper case; answers are RFC 5952.
        JsonNode added = answer(post("/api/v1/safelist",
                "{\"prefix\":\"2001:DB8:DEAD::/48\",\"reason\":\"monitoring\",\"operator\":\"bob\"}"), 201);
        assertThat(added.toString()).isEqualTo(
                "{\"prefix\":\"2001:db8:dead::/48\",\"reason\":\"monitoring\",\"origin\":\"operator:bob\"}");
        assertThat(store.entries("safelist_added")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("operator:bob");
            assertThat(e.details()).containsEntry("prefix", "2001:db8:dead::/48").containsEntry("reason", "monitoring");
        });

        JsonNode first = ok("/api/v1/safelist?limit=1");
        assertThat(texts(first.path("items"), "prefix")).as("the file's entries first")
                .containsExactly("192.0.2.53/32");
        assertThat(first.path("matched").asInt()).isEqualTo(2);
        JsonNode second = ok("/api/v1/safelist?limit=1&cursor=" + first.path("next_cursor").asText());
        assertThat(texts(second.path("items"), "prefix")).containsExactly("2001:db8:dead::/48");
        assertThat(second.path("next_cursor").isNull()).isTrue();

        // It protects the next rule at once.
        assertThat(error(post("/api/v1/events", event("s-1", "2001:db8:dead::1", "syn_flood", "")), 422,
                "guardrail_refused").path("guardrail").asText()).isEqualTo("safelist");

        HttpResponse<String> removed = delete("/api/v1/safelist?prefix=" + encode("2001:db8:dead::/48")
                + "&operator=bob");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
        assertThat(removed.body()).isEmpty();
        assertThat(store.entries("safelist_removed")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("operator:bob");
            assertThat(e.details()).containsEntry("prefix", "2001:db8:dead::/48");
        });
        JsonNode gone = error(delete("/api/v1/safelist?prefix=" + encode("2001:db8:dead::/48") + "&operator=bob"),
                404, "not_found");
        assertThat(gone.path("detail").asText())
                .isEqualTo("no safelist entry 2001:db8:dead::/48 was added through the API");
        // The file's entries are changed in the file.
        error(delete("/api/v1/safelist?prefix=" + encode("192.0.2.53/32") + "&operator=bob"), 404, "not_found");
        assertThat(texts(ok("/api/v1/safelist").path("items"), "prefix")).containsExactly("192.0.2.53/32");

        assertThat(answer(post("/api/v1/events", event("s-2", "2001:db8:dead::1", "syn_flood", "")), 202)
                .path("outcome").asText()).isEqualTo("created");
    }

    @Test
    void aSafelistPrefixThatIsNotCanonicalCidrIs400SayingWhy() throws Exception {
        Map<String, String> bad = Map.of(
                "192.0.2.1/24", "prefix: '192.0.2.1/24' has host bits set; did you mean 192.0.2.0/24?",
                "192.0.2.53", "prefix: '192.0.2.53' has no prefix length; write address/length, e.g. 192.0.2.0/24",
                "2001:db8::53", "prefix: '2001:db8::53' has no prefix length; write address/length, e.g. 2001:db8::/32",
                "10.0.0.0/7", "prefix: 10.0.0.0/7 is too wide to safelist: IPv4 safelist prefixes must be /8 or longer",
                "2000::/15", "prefix: 2000::/15 is too wide to safelist: IPv6 safelist prefixes must be /16 or longer",
                "", "prefix: empty prefix");
        for (var entry : bad.entrySet()) {
            JsonNode body = refused(post("/api/v1/safelist", "{\"prefix\":\"" + entry.getKey()
                    + "\",\"reason\":\"lab\",\"operator\":\"bob\"}"), "invalid_field", "prefix");
            assertThat(body.path("detail").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        refused(post("/api/v1/safelist", "{\"prefix\":24,\"operator\":\"bob\"}"), "invalid_field", "prefix");
        assertThat(refused(post("/api/v1/safelist", "{\"prefix\":\"192.0.2.0/24\"}"), "invalid_field", "operator")
                .path("detail").asText()).isEqualTo("operator: required");
        refused(post("/api/v1/safelist", "{\"prefix\":\"192.0.2.0/24\",\"operator\":7}"), "invalid_field",
                "operator");
        refused(post("/api/v1/safelist", "{\"prefix\":\"192.0.2.0/24\",\"operator\":\"bob\",\"reason\":false}"),
                "invalid_field", "reason");
        assertThat(ok("/api/v1/safelist").path("matched").asInt()).as("nothing was stored").isEqualTo(1);

        // The limits themselves are allowed.
        answer(post("/api/v1/safelist", "{\"prefix\":\"10.0.0.0/8\",\"operator\":\"bob\"}"), 201);
        answer(post("/api/v1/safelist", "{\"prefix\":\"2001::/16\",\"operator\":\"bob\"}"), 201);

        assertThat(refused(delete("/api/v1/safelist?prefix=" + encode("10.0.0.1/8") + "&operator=bob"),
                "invalid_parameter", "prefix").path("detail").asText())
                .isEqualTo("prefix: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?");
        assertThat(refused(delete("/api/v1/safelist?prefix=10.0.0.0&operator=bob"), "invalid_parameter", "prefix")
                .path("detail").asText()).contains("has no prefix length");
        refused(delete("/api/v1/safelist?operator=bob"), "invalid_parameter", "prefix");
        assertThat(refused(delete("/api/v1/safelist?prefix=" + encode("10.0.0.0/8")), "invalid_parameter",
                "operator").path("detail").asText()).isEqualTo("operator: required");
        assertThat(refused(delete("/api/v1/safelist?prefix=" + encode("10.0.0.0/8") + "&operator="
                + "o".repeat(129)), "invalid_parameter", "operator").path("detail").asText())
                .isEqualTo("operator: 129 characters, at most 128");
        assertThat(ok("/api/v1/safelist").path("matched").asInt()).isEqualTo(3);
    }

    @Test
    void popsAreEveryPopThatWroteAndAlwaysThisOne() throws Exception {
        JsonNode alone = ok("/api/v1/pops");
        assertThat(alone.path("items").toString())
                .isEqualTo("[{\"pop\":\"ams1\",\"self\":true,\"active\":0,\"total\":0,\"last_change\":null}]");
        assertThat(alone.path("matched").asInt()).isEqualTo(1);

        store.repository.save(stored("fra1", MitigationStatus.ACTIVE, T0.plusSeconds(5)));
        String fra1 = "{\"pop\":\"fra1\",\"self\":false,\"active\":1,\"total\":1,"
                + "\"last_change\":\"2026-11-22T08:00:05.000Z\"}";
        assertThat(ok("/api/v1/pops").path("items").toString()).isEqualTo("[" + fra1 + ","
                + "{\"pop\":\"ams1\",\"self\":true,\"active\":0,\"total\":0,\"last_change\":null}]");

        String id = created("pop-1", "192.0.2.40");
        created("pop-2", "192.0.2.41");
        clock.advance(Duration.ofSeconds(30));
        answer(post("/api/v1/mitigations/" + id + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"x\"}"), 200);
        JsonNode both = ok("/api/v1/pops");
        assertThat(both.path("items").toString()).isEqualTo("[{\"pop\":\"ams1\",\"self\":true,\"active\":1,"
                + "\"total\":2,\"last_change\":\"2026-11-22T08:00:30.000Z\"}," + fra1 + "]");
        assertThat(both.path("matched").asInt()).isEqualTo(2);
    }

    @Test
    void peersAreThisInstancesBgpSessions() throws Exception {
        JsonNode peers = ok("/api/v1/mitigation/peers");
        assertThat(peers.path("items").toString()).isEqualTo("[{\"peer\":\"198.51.100.1:179/65001\","
                + "\"established\":false,\"announced\":0,\"state\":\"idle\",\"last_error\":null}]");
        assertThat(peers.path("matched").asInt()).isEqualTo(1);
        assertThat(peers.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void statsCountThisPopsMitigationsByStatusOrEveryPops() throws Exception {
        String id = created("st-1", "192.0.2.50");
        created("st-2", "192.0.2.51");
        answer(post("/api/v1/mitigations/" + id + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"x\"}"), 200);
        store.repository.save(stored("fra1", MitigationStatus.ACTIVE, T0));
        store.repository.save(stored("fra1", MitigationStatus.EXPIRED, T0));

        ObjectNode stats = (ObjectNode) ok("/api/v1/stats");
        JsonNode quotas = stats.remove("quotas");
        assertThat(stats.toString()).isEqualTo("{\"pop\":\"ams1\",\"mitigations\":"
                + "{\"active\":1,\"withdrawn\":1,\"expired\":0},\"dry_run\":false,\"sessions_established\":0}");
        // The quotas as the guardrails count them: this POP's one active mitigation, the idle session's none.
        assertThat(quotas.get(0).toString())
                .isEqualTo("{\"guardrail\":\"pop_quota\",\"subject\":\"ams1\",\"used\":1,\"limit\":200}");
        assertThat(texts(quotas, "guardrail"))
                .containsExactly("pop_quota", "global_quota", "peer_announcements", "customer_quota");
        assertThat(quotas.get(1).path("limit").asInt()).isEqualTo(1000);
        assertThat(quotas.get(2).toString())
                .isEqualTo("{\"guardrail\":\"peer_announcements\",\"subject\":null,\"used\":0,\"limit\":2000}");
        assertThat(quotas.get(3).path("subject").asText()).isEqualTo("example-net");
        assertThat(quotas.get(3).path("limit").asInt()).isEqualTo(20);
        ObjectNode all = (ObjectNode) ok("/api/v1/stats?pop=all");
        all.remove("quotas");
        assertThat(all.toString()).isEqualTo("{\"pop\":\"all\",\"mitigations\":"
                + "{\"active\":2,\"withdrawn\":1,\"expired\":1},\"dry_run\":false,\"sessions_established\":0}");
        assertThat(ok("/api/v1/stats?pop=fra1").path("mitigations").toString())
                .isEqualTo("{\"active\":1,\"withdrawn\":0,\"expired\":1}");
    }

    @Test
    void theAuditLogIsReadNewestFirstByActorActionAndTimeAndPaged() throws Exception {
        String id = created("au-1", "192.0.2.70");
        clock.advance(Duration.ofMinutes(1));
        created("au-2", "192.0.2.71");
        answer(post("/api/v1/mitigations/" + id + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"customer asked\"}"), 200);

        JsonNode all = ok("/api/v1/audit");
        assertThat(texts(all.path("items"), "action"))
                .containsExactly("mitigation_withdrawn", "mitigation_created", "mitigation_created");
        assertThat(all.path("matched").asInt()).isEqualTo(3);
        JsonNode withdrawal = all.path("items").get(0);
        assertThat(names(withdrawal)).containsExactly("id", "pop", "mitigation_id", "time", "actor", "action",
                "event_id", "details");
        assertThat(withdrawal.path("mitigation_id").asText()).isEqualTo(id);
        assertThat(withdrawal.path("actor").asText()).isEqualTo("operator:alice");

        assertThat(texts(ok("/api/v1/audit?actor=ALICE").path("items"), "action")).containsExactly("mitigation_withdrawn");
        assertThat(ok("/api/v1/audit?action=mitigation_created").path("matched").asInt()).isEqualTo(2);
        assertThat(texts(ok("/api/v1/audit?action=mitigation_created&since=" + encode(T0.plus(Duration.ofMinutes(1)).toString()))
                .path("items"), "event_id")).containsExactly("au-2");

        JsonNode first = ok("/api/v1/audit?limit=2");
        assertThat(first.path("items")).hasSize(2);
        JsonNode second = ok("/api/v1/audit?limit=2&cursor=" + first.path("next_cursor").asText());
        assertThat(texts(second.path("items"), "event_id")).containsExactly("au-1");
        assertThat(second.path("next_cursor").isNull()).isTrue();

        refused(get("/api/v1/audit?action=mitigation_deleted"), "invalid_parameter", "action");
        refused(get("/api/v1/audit?since=yesterday"), "invalid_parameter", "since");
        // A key cursor whose key is no entry's id, as another key-paged list hands out.
        String foreignKey = Base64.getUrlEncoder().withoutPadding().encodeToString("k:3f0c".getBytes(StandardCharsets.UTF_8));
        refused(get("/api/v1/audit?cursor=" + foreignKey), "invalid_parameter", "cursor");
    }

    @Test
    void inDryRunEveryAnswerSaysSo() throws Exception {
        restart(Map.of(MitigationConfig.DRY_RUN, "true"));
        JsonNode result = answer(post("/api/v1/events", event("d-1", "192.0.2.60", "udp_flood", "")), 202);
        assertThat(result.path("outcome").asText()).isEqualTo("created");
        assertThat(result.path("dry_run").asBoolean()).isTrue();
        JsonNode m = ok("/api/v1/mitigations/" + result.path("mitigation_id").asText());
        assertThat(m.path("dry_run").asBoolean()).isTrue();
        assertThat(m.path("audit").get(0).path("details").path("dry_run").asText()).isEqualTo("true");
        assertThat(ok("/api/v1/stats").path("dry_run").asBoolean()).isTrue();
    }

    @Test
    void aReloadAppliesTheFilesOrKeepsTheRunningPolicyAndIsAudited() throws Exception {
        clock.advance(Duration.ofMinutes(5));
        JsonNode applied = answer(post("/api/v1/reload?operator=carol", null), 200);
        assertThat(applied.toString()).isEqualTo("{\"applied\":true,\"problems\":[],\"customers\":1,\"playbooks\":3,"
                + "\"at\":\"2026-11-22T08:05:00.000Z\"}");
        assertThat(store.entries("policy_reloaded")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("operator:carol");
            assertThat(e.details()).containsEntry("trigger", "api").containsEntry("applied", "true");
        });

        Files.writeString(playbooks, PLAYBOOKS.replace("rate_bps: 100M, ", ""));
        JsonNode refused = answer(post("/api/v1/reload?operator=carol", null), 422);
        assertThat(refused.path("applied").asBoolean(true)).isFalse();
        assertThat(refused.path("problems")).isNotEmpty();
        assertThat(refused.path("problems").get(0).asText()).contains("police needs a rate");
        assertThat(refused.path("playbooks").asInt()).as("the running policy's").isEqualTo(3);
        assertThat(store.entries("policy_reload_refused")).singleElement()
                .satisfies(e -> assertThat(e.details().get("problems")).contains("police needs a rate"));
        // The running policy still polices.
        String id = created("r-1", "192.0.2.70");
        assertThat(ok("/api/v1/mitigations/" + id).path("rule").path("action").path("type").asText())
                .isEqualTo("police");

        Files.writeString(playbooks, PLAYBOOKS);
        answer(post("/api/v1/reload", null), 200);
        answer(post("/api/v1/reload?operator=", null), 200);
        answer(post("/api/v1/reload?operator=%20%20", null), 200);
        // No operator, or a blank one, is the API itself: nobody's name in the audit log is empty.
        assertThat(store.entries("policy_reloaded")).extracting(AuditEntry::actor)
                .containsExactly("operator:carol", "operator:api", "operator:api", "operator:api");
        assertThat(refused(post("/api/v1/reload?operator=" + "o".repeat(129), null), "invalid_parameter", "operator")
                .path("detail").asText()).isEqualTo("operator: 129 characters, at most 128");
    }

    @Test
    void aStoreFailureIs503WithAFixedSentenceAndNothingOfTheDatabase() throws Exception {
        String id = created("f-1", "192.0.2.80");
        store.failing = true;
        for (String target : List.of("/api/v1/pops", "/api/v1/mitigations/" + id)) {
            HttpResponse<String> failed = get(target);
            JsonNode body = error(failed, 503, "database_unavailable");
            assertThat(body.path("detail").asText()).isEqualTo(DatabaseUnavailable.DETAIL);
            assertThat(failed.body()).doesNotContain("relation").doesNotContain("mitigation_audit");
        }
        store.failing = false;
        ok("/api/v1/pops");
        ok("/api/v1/mitigations/" + id);
    }

    @Test
    void aBodyLabelledOtherThanJsonIs415BeforeAnyHandlerReadsIt() throws Exception {
        String id = created("c-1", "192.0.2.90");
        Map<String, String> posts = Map.of(
                "/api/v1/events", event("c-2", "192.0.2.91", "udp_flood", ""),
                "/api/v1/events/fastnetmon", "{\"ip\":\"192.0.2.92\",\"action\":\"ban\"}",
                "/api/v1/events/alertmanager", "{\"alerts\":[" + alert("firing", "192.0.2.93", "f") + "]}",
                "/api/v1/mitigations/" + id + "/withdraw", "{\"operator\":\"alice\",\"reason\":\"x\"}",
                "/api/v1/safelist", "{\"prefix\":\"192.0.2.96/30\",\"operator\":\"bob\"}");
        for (var post : posts.entrySet()) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
                JsonNode body = error(send("POST", post.getKey(), post.getValue(), type), 415,
                        "unsupported_media_type");
                assertThat(body.path("detail").asText()).as(post.getKey()).isEqualTo("the body must be "
                        + "application/json, not " + type + " (curl: -H 'content-type: application/json', or --json)");
            }
        }
        assertThat(ok("/api/v1/mitigations?status=active").path("matched").asInt()).isEqualTo(1);
        assertThat(ok("/api/v1/safelist").path("matched").asInt()).isEqualTo(1);
        // A JSON media type with parameters, or a +json one, is JSON.
        assertThat(answer(send("POST", "/api/v1/mitigations/" + id + "/withdraw",
                "{\"operator\":\"alice\",\"reason\":\"x\"}", "application/json; charset=utf-8"), 200)
                .path("status").asText()).isEqualTo("withdrawn");
    }
}
