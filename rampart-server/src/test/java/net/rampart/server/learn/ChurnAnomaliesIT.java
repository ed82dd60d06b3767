package net.rampart.server.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.learn.churn.UpdateRateSeries;
import net.rampart.server.RampartService;
import net.rampart.server.config.ChurnConfig;
import net.rampart.server.http.LoopbackApi;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.learn.ChurnAnomalyTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn anomalies in the server: route events counted by {@link ChurnAnomalies}' listener, a run
 * of the detector storing what it finds in the embedded PostgreSQL, and {@code /api/v1/anomalies}
 * serving it through {@link AnomalyRoutes} on a loopback port.
 */
class ChurnAnomaliesIT {

    /** Three hours of history ending at the minute judged last. */
    private static final int MINUTES = 180;
    private static final long FIRST = UpdateRateSeries.minuteOf(Instant.parse("2026-12-01T09:00:00Z").toEpochMilli());
    private static final long LAST = FIRST + MINUTES - 1;
    /** A spike before the first run, which no run judges, and one after it. */
    private static final long EARLY_SPIKE = FIRST + 100;
    private static final long SPIKE = FIRST + 170;
    private static final long FIRST_RUN = FIRST + 160;
    private static final Instant NOW = Instant.ofEpochMilli((LAST + 2) * UpdateRateSeries.MINUTE_MILLIS);
    private static final RouterId ROUTER = new RouterId("r1");
    private static final PeerKey PEER = PeerKey.global(address("192.0.2.1"));

    @TempDir
    static Path dataDir;
    private static Database database;

    private final ObjectMapper json = RampartService.jsonMapper();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private LoopbackApi api;

    @BeforeAll
    static void open() throws Exception {
        database = Database.open(DatabaseSettings.embedded(dataDir.resolve("postgres")));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void serve() throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE churn_anomaly");
        }
        api = LoopbackApi.serve(json, metrics, new AnomalyRoutes(new ChurnAnomalyTable(database.dataSource())));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ChurnAnomalies churn() {
        ChurnConfig config = new ChurnConfig(true, 5.0, Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1));
        return new ChurnAnomalies(config, () -> Map.of("customers", List.of("198.51.100.0/22")),
                new ChurnAnomalyTable(database.dataSource()), metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /**
     * About 20 route changes a minute on routes of 198.51.100.0/22, each with a new AS path; 200 at the two spikes; and at every minute as many duplicates again,
     * which must not count.
     */
    private static void feed(ChurnAnomalies churn) {
        feed(churn, LAST, List.of(EARLY_SPIKE, SPIKE));
    }

    /** As {@link #feed(ChurnAnomalies)}, up to {@code last}, with 200 route changes at each of {@code spikes}. */
    private static void feed(ChurnAnomalies churn, long last, List<Long> spikes) {
        Random random = new Random(20261207);
        for (long minute = FIRST; minute <= last; minute++) {
            int updates = spikes.contains(minute) ? 200 : 17 + random.nextInt(7);
            List<RouteEvent> events = new ArrayList<>();
            for (int i = 0; i < updates; i++) {
                var key = Ipv4RouteKey.parse("198.51.10" + (i % 4) + "." + (i % 64) * 4 + "/30", 0);
                long time = minute * UpdateRateSeries.MINUTE_MILLIS + i * 100L;
                // A path no earlier announcement of the route had: an effective update.
                PathAttributes path = attributes(65_000 + (minute - FIRST) * 1000 + i);
                events.add(new RouteEvent(time, ROUTER, 1, PEER, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, key, path));
                // The same announcement again: a duplicate.
                events.add(new RouteEvent(time + 1, ROUTER, 1, PEER, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, key,
                        path));
            }
            churn.listener().onRouteEvents(events);
        }
    }

    private static PathAttributes attributes(long origin) {
        return PathAttributes.builder().asPath(AsPath.sequence(64500, origin)).nextHop(new byte[] {10, 0, 0, 1}).build();
    }

    private JsonNode get(String target, int status) throws Exception {
        HttpResponse<String> answer = api.get(target);
        assertThat(answer.statusCode()).as(target + ": " + answer.body()).isEqualTo(status);
        return json.readTree(answer.body());
    }

    @Test
    void aSpikeFoundByARunIsStoredOncePerScopeAndServed() throws Exception {
        ChurnAnomalies churn = churn();
        feed(churn);
        // The first run judges only its own interval; the second the minutes since.
        assertThat(churn.judge(FIRST_RUN)).isEmpty();
        var stored = churn.judge(LAST);
        Instant spike = Instant.ofEpochMilli(SPIKE * UpdateRateSeries.MINUTE_MILLIS);
        assertThat(stored).extracting(ChurnAnomalyTable.Anomaly::scopeKind)
                .containsExactlyInAnyOrder("router", "peer", "prefix_group");
        assertThat(stored).allSatisfy(a -> {
            assertThat(a.minute()).isEqualTo(spike);
            assertThat(a.observed()).isEqualTo(200);
            assertThat(a.expected()).isBetween(15.0, 25.0);
            assertThat(a.score()).isGreaterThan(5);
        });
        assertThat(metrics.counter("rampart.churn.anomalies", "scope_kind", "peer").count()).isEqualTo(1);
        // A later run judges no minute twice and stores nothing again.
        assertThat(churn.judge(LAST)).isEmpty();

        JsonNode page = get("/api/v1/anomalies", 200);
        assertThat(page.path("matched").asLong()).isEqualTo(3);
        assertThat(page.path("next_cursor").isNull()).isTrue();
        JsonNode peer = get("/api/v1/anomalies?scope=peer:r1/192.0.2.1&since=2026-12-01T11:00:00Z", 200)
                .path("items");
        assertThat(peer).hasSize(1);
        assertThat(peer.get(0).path("scope_kind").asText()).isEqualTo("peer");
        assertThat(peer.get(0).path("scope").asText()).isEqualTo("r1/192.0.2.1");
        assertThat(peer.get(0).path("minute").asText()).isEqualTo("2026-12-01T11:50:00.000Z");
        assertThat(peer.get(0).path("observed").asDouble()).isEqualTo(200);
        assertThat(peer.get(0).path("detected_at").asText()).isEqualTo("2026-12-01T12:01:00.000Z");
        assertThat(get("/api/v1/anomalies?scope=group", 200).path("items").get(0).path("scope").asText())
                .isEqualTo("customers");
        assertThat(get("/api/v1/anomalies?scope=prefix_group:customers", 200).path("matched").asLong()).isOne();
        // Since after the spike, or another router: none.
        assertThat(get("/api/v1/anomalies?since=2026-12-01T11:51:00Z", 200).path("matched").asLong()).isZero();
        assertThat(get("/api/v1/anomalies?scope=router:r2", 200).path("matched").asLong()).isZero();
        // One a page.
        JsonNode first = get("/api/v1/anomalies?limit=2", 200);
        assertThat(first.path("items")).hasSize(2);
        JsonNode second = get("/api/v1/anomalies?limit=2&cursor=" + first.path("next_cursor").asText(), 200);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void anAnomalyOpensOneAlertPerScopeWhichALaterOneUpdatesAndCalmMinutesResolve() throws Exception {
        ChurnAnomalies churn = churn();
        Alerts alerts = new Alerts(new InMemoryAlertStore(), 10);
        churn.alertTo(alerts);
        long second = SPIKE + 2;
        long calm = second + ChurnAlerts.RESOLVE_AFTER_MINUTES;
        feed(churn, calm, List.of(EARLY_SPIKE, SPIKE, second));
        churn.judge(FIRST_RUN);
        assertThat(alerts.all()).isEmpty();

        assertThat(churn.judge(SPIKE + 1)).hasSize(3);
        assertThat(alerts.all()).extracting(Alert::key).containsExactlyInAnyOrder("churn_anomaly|router:r1",
                "churn_anomaly|peer:r1/192.0.2.1", "churn_anomaly|group:customers");
        Alert group = alerts.active("churn_anomaly|group:customers").orElseThrow();
        assertThat(group.type()).isEqualTo(AlertType.CHURN_ANOMALY);
        assertThat(group.state()).isEqualTo(AlertState.OPEN);
        // A prefix group's alert goes to that monitors group; a router's or a peer's to the default one.
        assertThat(group.finding().group()).isEqualTo("customers");
        assertThat(group.finding().prefix()).hasToString("198.51.100.0/22");
        assertThat(alerts.active("churn_anomaly|peer:r1/192.0.2.1").orElseThrow().finding().group())
                .isEqualTo("default");
        Evidence first = group.evidence().getFirst();
        assertThat(first.vantagePoint()).isEqualTo("group:customers");
        assertThat(first.timeMillis()).isEqualTo(SPIKE * UpdateRateSeries.MINUTE_MILLIS);
        assertThat(group.finding().summary()).contains("group:customers", "200 updates");

        // The next anomalous minute of the same scopes adds to the open alerts.
        assertThat(churn.judge(second + 1)).hasSize(3);
        assertThat(alerts.all()).hasSize(3).allSatisfy(a -> {
            assertThat(a.state()).isEqualTo(AlertState.OPEN);
            assertThat(a.sightings()).isEqualTo(2);
            assertThat(a.evidence()).extracting(Evidence::timeMillis).containsExactly(
                    SPIKE * UpdateRateSeries.MINUTE_MILLIS, second * UpdateRateSeries.MINUTE_MILLIS);
        });

        // One calm minute short of the rule, still open; the minute that completes it resolves them.
        assertThat(churn.judge(calm - 1)).isEmpty();
        assertThat(alerts.all()).allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.OPEN));
        assertThat(churn.judge(calm)).isEmpty();
        assertThat(alerts.all()).hasSize(3).allSatisfy(a -> {
            assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(a.timeline().getLast().timeMillis()).isEqualTo((calm + 1) * UpdateRateSeries.MINUTE_MILLIS);
        });
        // Stored and counted as without alerts.
        assertThat(metrics.counter("rampart.churn.anomalies", "scope_kind", "router").count()).isEqualTo(2);
        assertThat(get("/api/v1/anomalies", 200).path("matched").asLong()).isEqualTo(6);
    }

    @Test
    void aBadParameterIsA400NamingIt() throws Exception {
        String[][] bad = {
                {"/api/v1/anomalies?since=yesterday", "since"},
                {"/api/v1/anomalies?since=2026-12-01", "since"},
                {"/api/v1/anomalies?scope=session", "scope"},
                {"/api/v1/anomalies?scope=router:", "scope"},
                {"/api/v1/anomalies?scope=Router:r1", "scope"},
                {"/api/v1/anomalies?scope=group:", "scope"},
                {"/api/v1/anomalies?limit=0", "limit"},
                {"/api/v1/anomalies?limit=1001", "limit"},
                {"/api/v1/anomalies?cursor=garbage", "cursor"},
        };
        for (String[] b : bad) {
            JsonNode body = get(b[0], 400);
            assertThat(body.path("error").asText()).as(b[0]).isEqualTo("invalid_parameter");
            assertThat(body.path("field").asText()).as(b[0]).isEqualTo(b[1]);
            assertThat(body.path("detail").asText()).as(b[0]).isNotBlank();
        }
    }

    @Test
    void aScopeCountedForLessThanTheLeastHistoryIsNotJudged() throws SQLException {
        ChurnConfig config = new ChurnConfig(true, 5.0, Duration.ofDays(1), Duration.ofHours(4), Duration.ofMinutes(1));
        ChurnAnomalies churn = new ChurnAnomalies(config, Map::of, new ChurnAnomalyTable(database.dataSource()),
                metrics, Clock.fixed(NOW, ZoneOffset.UTC));
        feed(churn);
        churn.judge(FIRST_RUN);
        assertThat(churn.judge(LAST)).isEmpty();
    }
}
