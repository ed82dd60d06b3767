package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.server.RampartService;
import net.rampart.server.detect.Detection;
import net.rampart.server.detect.DetectionFeed;
import net.rampart.server.detect.MonitorsFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detect area's routes ({@link AlertRoutes}) in one process: a real RIB reporting to the
 * detection feed, the detector caught up on the test's thread, served by {@link HttpApi} on a
 * loopback port. No database, no collector listener, no service process.
 */
class AlertRoutesTest {

    /** When the routes are seen. */
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    /** When people change alerts (the API's clock). */
    private static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");
    private static final String MONITORS = """
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
                description: customers
                group: noc
                path:
                  - not_match: "^6451[01] "
              - prefix: 2001:db8::/32
                origins: [AS64500]
            asns:
              - asn: AS64500
                upstreams: [AS64510, AS64511]
                peers: [AS64530]
            groups:
              noc:
                channels: [noc-hook]
            channels:
              noc-hook: {type: webhook, url: "https://noc.example.net/hook"}
            """;

    @TempDir
    Path dir;

    private final ObjectMapper json = RampartService.jsonMapper();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final RouterId router = new RouterId("r1");
    private Rib rib;
    private Detection detection;
    private LoopbackApi api;

    @BeforeEach
    void start() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), MONITORS);
        Clock routes = Clock.fixed(T1, ZoneOffset.UTC);
        DetectionFeed feed = new DetectionFeed(1024, metrics);
        rib = new Rib(feed);
        detection = new Detection(rib, feed, MonitorsFile.open(file, routes),
                new Alerts(new InMemoryAlertStore(), 50), routes, metrics);
        detection.catchUp();
        api = LoopbackApi.serve(json, metrics, new AlertRoutes(detection, json, Clock.fixed(T2, ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void announce(String peer, String prefix, long... path) throws Exception {
        RouteKey key = prefix.contains(":") ? Ipv6RouteKey.parse(prefix, 0) : Ipv4RouteKey.parse(prefix, 0);
        Family family = prefix.contains(":") ? Family.IPV6_UNICAST : Family.IPV4_UNICAST;
        rib.apply(router, PeerKey.global(InetAddress.getByName(peer)), RibView.ADJ_RIB_IN_POST,
                RouteUpdate.announce(T1.toEpochMilli(), family, PathAttributes.builder()
                        .origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(path))
                        .nextHop(new byte[] {(byte) 198, 51, 100, 1}).build(), List.of(key)));
    }

    private void withdraw(String peer, String prefix) throws Exception {
        rib.apply(router, PeerKey.global(InetAddress.getByName(peer)), RibView.ADJ_RIB_IN_POST,
                RouteUpdate.withdraw(T1.toEpochMilli(), Family.IPV4_UNICAST, List.of(Ipv4RouteKey.parse(prefix, 0))));
    }

    /**
     * Four alerts, in id order: an origin hijack of 192.0.2.0/24 (with a path rule broken, a
     * second alert), a first-hop hijack of 2001:db8::/32, and a more-specific hijack of
     * 192.0.2.128/25 that is then withdrawn (resolved).
     */
    private void hijacks() throws Exception {
        announce("192.0.2.1", "192.0.2.0/24", 64520, 64666);
        announce("192.0.2.1", "2001:db8::/32", 64520, 64500);
        announce("192.0.2.2", "192.0.2.128/25", 64510, 64777);
        withdraw("192.0.2.2", "192.0.2.128/25");
        detection.catchUp();
    }

    private JsonNode get(String target) throws Exception {
        HttpResponse<String> response = api.get(target);
        assertThat(response.statusCode()).as("%s: %s", target, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode error(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    private List<String> keys(String target) throws Exception {
        JsonNode page = get(target);
        assertThat(page.path("matched").asLong()).isEqualTo(page.path("items").size());
        return texts(page.path("items"), "key");
    }

    private long idOf(String key) throws Exception {
        for (JsonNode alert : get("/api/v1/alerts").path("items")) {
            if (alert.path("key").asText().equals(key)) {
                return alert.path("id").asLong();
            }
        }
        throw new AssertionError("no alert " + key);
    }

    @Test
    void alertsAreListedNewestFirstWithTheirFields() throws Exception {
        hijacks();

        JsonNode page = get("/api/v1/alerts");

        assertThat(texts(page.path("items"), "key")).containsExactly(
                "origin_hijack|192.0.2.128/25|AS64777",
                "first_hop_hijack|2001:db8::/32|AS64500|AS64520",
                "path|192.0.2.0/24|path[0]",
                "origin_hijack|192.0.2.0/24|AS64666");
        assertThat(page.path("matched").asLong()).isEqualTo(4);
        assertThat(page.path("next_cursor").isNull()).isTrue();
        JsonNode hijack = page.path("items").get(3);
        assertThat(hijack.path("type").asText()).isEqualTo("origin_hijack");
        assertThat(hijack.path("state").asText()).isEqualTo("open");
        assertThat(hijack.path("prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(hijack.path("monitored_prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(hijack.path("asn").asLong()).isEqualTo(64666);
        assertThat(hijack.path("taxonomy").asText()).isEqualTo("E|0|-");
        assertThat(hijack.path("group").asText()).isEqualTo("noc");
        assertThat(hijack.path("acknowledged_by").isNull()).isTrue();
        assertThat(hijack.path("opened_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(hijack.path("sightings").asLong()).isEqualTo(1);
        // A list leaves evidence and timeline to the alert's own page.
        assertThat(hijack.has("evidence")).isFalse();
        assertThat(page.path("items").get(0).path("state").asText()).isEqualTo("resolved");
    }

    @Test
    void alertsArePagedByKeyAndANewAlertShiftsNoPage() throws Exception {
        hijacks();

        JsonNode first = get("/api/v1/alerts?limit=3");
        assertThat(first.path("items")).hasSize(3);
        assertThat(first.path("matched").asLong()).isEqualTo(4);
        String cursor = first.path("next_cursor").asText();
        assertThat(cursor).isNotEmpty();

        announce("192.0.2.3", "192.0.2.0/24", 64510, 64888);
        detection.catchUp();

        JsonNode second = get("/api/v1/alerts?limit=3&cursor=" + cursor);
        assertThat(texts(second.path("items"), "key")).containsExactly("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(second.path("matched").asLong()).isEqualTo(5);
        assertThat(second.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void alertsFilterByStateTypePrefixAndSince() throws Exception {
        hijacks();

        assertThat(keys("/api/v1/alerts?state=resolved")).containsExactly("origin_hijack|192.0.2.128/25|AS64777");
        assertThat(keys("/api/v1/alerts?state=active")).hasSize(3).doesNotContain(
                "origin_hijack|192.0.2.128/25|AS64777");
        assertThat(keys("/api/v1/alerts?state=OPEN&type=origin_hijack"))
                .containsExactly("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(keys("/api/v1/alerts?type=first_hop_hijack"))
                .containsExactly("first_hop_hijack|2001:db8::/32|AS64500|AS64520");
        // A prefix covers itself and its more-specifics, and nothing else.
        assertThat(keys("/api/v1/alerts?prefix=192.0.2.128/25")).containsExactly("origin_hijack|192.0.2.128/25|AS64777");
        assertThat(keys("/api/v1/alerts?prefix=192.0.0.0/16")).hasSize(3);
        assertThat(keys("/api/v1/alerts?prefix=2001:db8::/32&state=open")).hasSize(1);
        assertThat(keys("/api/v1/alerts?prefix=10.0.0.0/8")).isEmpty();
        assertThat(keys("/api/v1/alerts?since=2026-12-01T10:00:00Z")).hasSize(4);
        assertThat(keys("/api/v1/alerts?since=2026-12-01T10:00:00.001Z")).isEmpty();

        long id = idOf("origin_hijack|192.0.2.0/24|AS64666");
        api.post("/api/v1/alerts/" + id + "/acknowledge", "{\"operator\": \"alice\"}");
        assertThat(keys("/api/v1/alerts?since=2026-12-01T10:30:00Z")).containsExactly("origin_hijack|192.0.2.0/24|AS64666");
    }

    @Test
    void badParametersAreRefusedNamingThem() throws Exception {
        hijacks();

        for (String[] bad : new String[][] {
                {"/api/v1/alerts?state=closed", "state"},
                {"/api/v1/alerts?type=hijack", "type"},
                {"/api/v1/alerts?prefix=192.0.2.1/24", "prefix"},
                {"/api/v1/alerts?prefix=banana", "prefix"},
                {"/api/v1/alerts?since=yesterday", "since"},
                {"/api/v1/alerts?limit=0", "limit"},
                {"/api/v1/alerts?cursor=bm9wZQ", "cursor"},
                {"/api/v1/alerts/abc", "id"},
                {"/api/v1/alerts/0", "id"}}) {
            JsonNode body = error(api.get(bad[0]), 400);
            assertThat(body.path("error").asText()).as(bad[0]).isEqualTo("invalid_parameter");
            assertThat(body.path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        // A well-formed key cursor naming no alert was not handed out either.
        String foreign = Base64.getUrlEncoder().withoutPadding().encodeToString("k:999".getBytes(StandardCharsets.UTF_8));
        assertThat(error(api.get("/api/v1/alerts?cursor=" + foreign), 400).path("field").asText()).isEqualTo("cursor");
    }

    @Test
    void oneAlertShowsItsEvidenceAndTimeline() throws Exception {
        hijacks();
        long id = idOf("origin_hijack|192.0.2.128/25|AS64777");

        JsonNode alert = get("/api/v1/alerts/" + id);

        assertThat(alert.path("id").asLong()).isEqualTo(id);
        assertThat(alert.path("taxonomy").asText()).isEqualTo("S|0|-");
        JsonNode evidence = alert.path("evidence");
        assertThat(evidence).hasSize(1);
        assertThat(evidence.get(0).path("vantage_point").asText()).isEqualTo("r1/192.0.2.2/adj_rib_in_post");
        assertThat(evidence.get(0).path("prefix").asText()).isEqualTo("192.0.2.128/25");
        assertThat(evidence.get(0).path("as_path").asText()).isEqualTo("64510 64777");
        assertThat(evidence.get(0).path("time").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(texts(alert.path("timeline"), "state")).containsExactly("open", "resolved");
        assertThat(alert.path("timeline").get(1).path("by").asText()).isEqualTo("detector");
        assertThat(alert.path("timeline").get(1).path("note").asText())
                .isEqualTo("restored: the last route showing it was withdrawn at r1/192.0.2.2/adj_rib_in_post");
        assertThat(error(api.get("/api/v1/alerts/999"), 404).path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void peopleAcknowledgeIgnoreAndResolveAlerts() throws Exception {
        hijacks();
        long id = idOf("origin_hijack|192.0.2.0/24|AS64666");

        JsonNode acked = json.readTree(api.post("/api/v1/alerts/" + id + "/acknowledge",
                "{\"operator\": \"alice\", \"reason\": \"calling AS64666\"}").body());
        assertThat(acked.path("state").asText()).isEqualTo("acknowledged");
        assertThat(acked.path("acknowledged_by").asText()).isEqualTo("alice");
        assertThat(acked.path("updated_at").asText()).isEqualTo("2026-12-01T11:00:00.000Z");
        JsonNode last = acked.path("timeline").get(1);
        assertThat(last.path("by").asText()).isEqualTo("alice");
        assertThat(last.path("note").asText()).isEqualTo("calling AS64666");
        assertThat(error(api.post("/api/v1/alerts/" + id + "/acknowledge", "{\"operator\": \"bob\"}"), 409)
                .path("error").asText()).isEqualTo("invalid_state_change");

        JsonNode ignored = json.readTree(api.post("/api/v1/alerts/" + id + "/ignore",
                "{\"operator\": \"bob\", \"reason\": \"lab\"}").body());
        assertThat(ignored.path("state").asText()).isEqualTo("ignored");

        JsonNode resolved = json.readTree(api.post("/api/v1/alerts/" + id + "/resolve",
                "{\"operator\": \"carol\", \"reason\": \"AS64666 is our new upstream's\"}").body());
        assertThat(resolved.path("state").asText()).isEqualTo("resolved");
        assertThat(texts(resolved.path("timeline"), "state"))
                .containsExactly("open", "acknowledged", "ignored", "resolved");
        for (String action : List.of("acknowledge", "ignore", "resolve")) {
            JsonNode conflict = error(api.post("/api/v1/alerts/" + id + "/" + action, "{\"operator\": \"dave\"}"),
                    409);
            assertThat(conflict.path("detail").asText()).isEqualTo("alert " + id + " is resolved");
        }

        // The hijacking route is still there: seen again, it opens a new alert.
        announce("192.0.2.1", "192.0.2.0/24", 64520, 64666);
        detection.catchUp();
        assertThat(get("/api/v1/alerts?state=open&type=origin_hijack").path("items").get(0).path("id").asLong())
                .isGreaterThan(id);
    }

    @Test
    void changesNeedAnOperatorAndAnAlertThatExists() throws Exception {
        hijacks();
        long id = idOf("origin_hijack|192.0.2.0/24|AS64666");

        JsonNode missing = error(api.post("/api/v1/alerts/" + id + "/acknowledge", "{\"reason\": \"x\"}"), 400);
        assertThat(missing.path("error").asText()).isEqualTo("invalid_field");
        assertThat(missing.path("field").asText()).isEqualTo("operator");
        assertThat(error(api.post("/api/v1/alerts/" + id + "/ignore", "{\"operator\": 7}"), 400)
                .path("field").asText()).isEqualTo("operator");
        assertThat(error(api.post("/api/v1/alerts/" + id + "/resolve", "[1]"), 400)
                .path("error").asText()).isEqualTo("invalid_json");
        assertThat(error(api.post("/api/v1/alerts/" + id + "/resolve", "{"), 400)
                .path("error").asText()).isEqualTo("invalid_json");
        assertThat(error(api.post("/api/v1/alerts/999/resolve", "{\"operator\": \"alice\"}"), 404)
                .path("error").asText()).isEqualTo("not_found");
        assertThat(get("/api/v1/alerts/" + id).path("state").asText()).isEqualTo("open");
    }

    @Test
    void theMonitorsInForceAreShown() throws Exception {
        JsonNode monitors = get("/api/v1/monitors");

        assertThat(monitors.path("enabled").asBoolean()).isTrue();
        assertThat(monitors.path("file").asText()).isEqualTo(dir.resolve("monitors.yaml").toString());
        assertThat(monitors.path("loaded_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(monitors.path("last_reload").isNull()).isTrue();
        assertThat(monitors.path("visibility").path("min_vantage_points").asInt()).isEqualTo(1);
        JsonNode prefix = monitors.path("prefixes").get(0);
        assertThat(prefix.path("prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(prefix.path("origins").get(0).asLong()).isEqualTo(64500);
        assertThat(prefix.path("description").asText()).isEqualTo("customers");
        assertThat(prefix.path("group").asText()).isEqualTo("noc");
        assertThat(prefix.path("path").get(0).path("not_match").asText()).isEqualTo("^6451[01] ");
        assertThat(prefix.path("path").get(0).path("match").isNull()).isTrue();
        assertThat(prefix.path("min_vantage_points").isNull()).isTrue();
        assertThat(monitors.path("prefixes")).hasSize(2);
        assertThat(monitors.path("asns").get(0).path("asn").asLong()).isEqualTo(64500);
        assertThat(monitors.path("asns").get(0).path("upstreams")).hasSize(2);
        assertThat(monitors.path("asns").get(0).path("upstreams").get(1).asLong()).isEqualTo(64511);
        assertThat(monitors.path("asns").get(0).path("downstreams")).isEmpty();
        assertThat(monitors.path("asns").get(0).path("peers").get(0).asLong()).isEqualTo(64530);
        assertThat(texts(monitors.path("groups"), "name")).containsExactly("noc");
        assertThat(monitors.path("groups").get(0).path("channels").get(0).asText()).isEqualTo("noc-hook");
        JsonNode damping = monitors.path("flap_damping");
        assertThat(damping.path("suppress_threshold").asInt()).isEqualTo(6000);
        assertThat(damping.path("reuse_threshold").asInt()).isEqualTo(750);
        assertThat(damping.path("withdrawal_penalty").asInt()).isEqualTo(1000);
        assertThat(damping.path("readvertisement_penalty").asInt()).isEqualTo(1000);
        assertThat(damping.path("attribute_change_penalty").asInt()).isEqualTo(500);
        assertThat(damping.path("half_life").asText()).isEqualTo("15m");
        assertThat(damping.path("max_suppress_time").asText()).isEqualTo("1h");
        assertThat(monitors.path("rpki").path("expiry_warning").asText()).isEqualTo("1d");
    }

    @Test
    void withDetectionOffTheMonitorsSaySoAndThereAreNoAlerts() throws Exception {
        try (LoopbackApi off = LoopbackApi.serve(json, metrics, new AlertRoutes(null, json, Clock.systemUTC()))) {
            JsonNode monitors = json.readTree(off.get("/api/v1/monitors").body());
            assertThat(monitors.path("enabled").asBoolean()).isFalse();
            assertThat(monitors.path("prefixes")).isEmpty();
            assertThat(monitors.path("flap_damping").isNull()).isTrue();
            assertThat(monitors.path("rpki").isNull()).isTrue();
            assertThat(json.readTree(off.get("/api/v1/monitors/flaps").body()).path("items")).isEmpty();
            JsonNode page = json.readTree(off.get("/api/v1/alerts?state=open").body());
            assertThat(page.path("items")).isEmpty();
            assertThat(page.path("matched").asLong()).isZero();
            assertThat(error(off.get("/api/v1/alerts/1"), 404).path("error").asText()).isEqualTo("not_found");
            assertThat(error(off.post("/api/v1/alerts/1/acknowledge", "{\"operator\": \"alice\"}"), 404)
                    .path("error").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void alertGaugesCountByTypeAndState() throws Exception {
        hijacks();

        assertThat(metrics.get("rampart_detect_alerts").tag("type", "origin_hijack").tag("state", "open")
                .gauge().value()).isEqualTo(1);
        assertThat(metrics.get("rampart_detect_alerts").tag("type", "origin_hijack").tag("state", "resolved")
                .gauge().value()).isEqualTo(1);
        assertThat(metrics.get("rampart_detect_alerts").tag("type", "squatting").tag("state", "open")
                .gauge().value()).isZero();
    }

    @Test
    void suppressedRoutesAreListedWithTheirFigureOfMerit() throws Exception {
        announce("192.0.2.1", "192.0.2.0/24", 64510, 64500);
        announce("192.0.2.2", "192.0.2.0/24", 64511, 64500);
        // Three withdrawals and three re-advertisements at one time: 6 x 1000, RFC 7196's suppress threshold.
        for (int i = 0; i < 3; i++) {
            withdraw("192.0.2.1", "192.0.2.0/24");
            announce("192.0.2.1", "192.0.2.0/24", 64510, 64500);
        }
        detection.catchUp();

        JsonNode page = get("/api/v1/monitors/flaps");

        assertThat(page.path("matched").asLong()).isEqualTo(1);
        assertThat(page.path("next_cursor").isNull()).isTrue();
        JsonNode route = page.path("items").get(0);
        assertThat(route.path("prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(route.path("monitored_prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(route.path("vantage_point").asText()).isEqualTo("r1/192.0.2.1/adj_rib_in_post");
        assertThat(route.path("figure_of_merit").asLong()).isEqualTo(6000);
        assertThat(route.path("suppressed_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(route.path("reuse_at").asText()).isEqualTo("2026-12-01T10:45:00.000Z");
        assertThat(route.path("withdrawn").asBoolean()).isFalse();
        assertThat(get("/api/v1/monitors/flaps?prefix=2001:db8::/32").path("items")).isEmpty();
        assertThat(texts(get("/api/v1/alerts?type=flap").path("items"), "key")).containsExactly("flap|192.0.2.0/24");
    }
}
