package net.rampart.server.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.AsnSet;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.learn.features.FlapDamping;
import net.rampart.learn.flap.FlapDataset;
import net.rampart.server.RampartService;
import net.rampart.server.config.FlapModelConfig;
import net.rampart.server.http.LoopbackApi;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.learn.FlapModelTable;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.HistoryFeatures;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.TimePartitions;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flap models in the server: trained on five days of route history in the embedded PostgreSQL
 * (stable routes, periodic flappers and rare single flaps), stored, served by
 * {@code /api/v1/ml/*} on a loopback port, refused input named by field, and the model read back
 * by a new instance as after a restart.
 */
class FlapModelsIT {

    private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant NOW = T0.plus(Duration.ofDays(5));
    private static final RouterId ROUTER = new RouterId("r1");
    private static final String PEER = "192.0.2.1";

    @TempDir
    static Path dataDir;
    private static Database database;
    private static LoopbackApi api;
    private static FlapModels models;
    private final ObjectMapper json = RampartService.jsonMapper();

    @BeforeAll
    static void start() throws Exception {
        database = Database.open(DatabaseSettings.embedded(dataDir.resolve("postgres")));
        var history = new PostgresRouteHistory(database.dataSource(), new TimePartitions(database.dataSource()),
                new RefusedRows(database.dataSource()), new HistoryBatches());
        history.write(fiveDays());
        models = models();
        models.start();
        api = LoopbackApi.serve(RampartService.jsonMapper(), new SimpleMeterRegistry(),
                new MlRoutes(models, RampartService.jsonMapper(), Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private static FlapModels models() {
        return new FlapModels(new FlapModelConfig(Duration.ofDays(5), Optional.empty(),
                FlapDataset.FlapDefinition.DEFAULT, new FlapDataset.FlapDefinition(Duration.ofHours(1), 2)),
                new HistoryFeatures(database.dataSource(), FlapDamping.DEFAULT),
                new FlapModelTable(database.dataSource()), FlapDamping.DEFAULT, new SimpleMeterRegistry(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String prefix(int i) {
        return "10." + (i / 256) + "." + (i % 256) + ".0/24";
    }

    /**
     * 200 stable routes, 60 flapping in bursts of four changes every 3 to 6 hours, 40 with a
     * single flap about once a day; seeded.
     */
    private static List<RouteEvent> fiveDays() throws Exception {
        Random random = new Random(21);
        PeerKey peer = PeerKey.global(InetAddress.getByName(PEER));
        List<RouteEvent> events = new ArrayList<>();
        long start = T0.toEpochMilli();
        long end = NOW.toEpochMilli();
        for (int i = 0; i < 300; i++) {
            var key = Ipv4RouteKey.parse(prefix(i), 0);
            PathAttributes path = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                    .asPath(AsPath.sequence(65001, 65100 + i)).nextHop(new byte[] {10, 0, 0, 1}).build();
            events.add(event(start + i * 1000L, peer, key, path));
            if (i >= 200 && i < 260) {
                long period = Duration.ofHours(3 + i % 4).toMillis();
                for (long t = start + random.nextLong(period); t < end; t += period) {
                    for (int change = 0; change < 4; change++) {
                        events.add(event(t + change * 90_000L, peer, key, change % 2 == 0 ? null : path));
                    }
                }
            } else if (i >= 260) {
                for (long t = start + random.nextLong(Duration.ofDays(1).toMillis()); t < end;
                     t += Duration.ofHours(12 + random.nextInt(24)).toMillis()) {
                    events.add(event(t, peer, key, null));
                    events.add(event(t + 120_000L, peer, key, path));
                }
            }
        }
        events.removeIf(e -> e.timeMillis() >= end);
        events.sort((a, b) -> Long.compare(a.timeMillis(), b.timeMillis()));
        return events;
    }

    private static RouteEvent event(long time, PeerKey peer, Ipv4RouteKey key, PathAttributes path) {
        return new RouteEvent(time, ROUTER, 1, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, key, path);
    }

    private JsonNode post(String target, String body, int status) throws Exception {
        HttpResponse<String> r = api.post(target, body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    @Test
    void aModelIsTrainedOnTheHistoryServedAndReadBackAfterARestart() throws Exception {
        JsonNode trained = post("/api/v1/ml/train", "", 200).path("trainings");
        JsonNode route = trained.get(0);
        assertThat(route.path("kind").asText()).isEqualTo("route");
        assertThat(route.path("rows").asLong()).isPositive();
        JsonNode model = route.path("model");
        assertThat(model.path("features")).hasSize(21);
        assertThat(model.path("test_from").asText()).isEqualTo("2026-11-24T00:00:00.000Z");
        assertThat(model.path("training_rows").asLong() + model.path("test_rows").asLong())
                .isLessThanOrEqualTo(route.path("rows").asLong());
        JsonNode evaluation = model.path("evaluation");
        assertThat(evaluation.path("positives").asLong()).isPositive();
        assertThat(evaluation.path("model").path("auc").asDouble()).as(evaluation.toString()).isGreaterThan(0.8);
        assertThat(evaluation.path("baseline").path("auc").isNumber()).isTrue();
        JsonNode session = trained.get(1);
        assertThat(session.path("kind").asText()).isEqualTo("session");
        assertThat(session.path("model").isNull()).isTrue();
        assertThat(session.path("skipped").asText()).contains("rows");

        int version = model.path("version").asInt();
        JsonNode listed = json.readTree(api.get("/api/v1/ml/models").body());
        assertThat(listed.path("items").get(0).path("version").asInt()).isEqualTo(version);
        assertThat(json.readTree(api.get("/api/v1/ml/models/" + version).body()).path("kind").asText())
                .isEqualTo("route");
        HttpResponse<String> onnx = api.get("/api/v1/ml/models/" + version + "/onnx");
        assertThat(onnx.statusCode()).isEqualTo(200);
        assertThat(onnx.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/octet-stream"));
        assertThat(onnx.body().length()).isGreaterThan(1000);

        String flapper = "{\"router\": \"r1\", \"peer\": \"" + PEER + "\", \"prefix\": \"" + prefix(201) + "\"}";
        JsonNode predicted = post("/api/v1/ml/predict", "{\"keys\": [" + flapper + "]}", 200);
        assertThat(predicted.path("model_version").asInt()).isEqualTo(version);
        JsonNode p = predicted.path("predictions").get(0);
        assertThat(p.path("prefix").asText()).isEqualTo(prefix(201));
        assertThat(p.path("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(p.path("flap").isBoolean()).isTrue();

        // The list is of the routes the feature tables hold: after a refresh.
        new HistoryFeatures(database.dataSource(), FlapDamping.DEFAULT).refresh(NOW).orElseThrow();
        JsonNode flaps = json.readTree(api.get("/api/v1/ml/flaps?limit=5").body());
        assertThat(flaps.path("matched").asLong()).isPositive();
        assertThat(flaps.path("items").size()).isBetween(1, 5);
        JsonNode likeliest = flaps.path("items").get(0);
        assertThat(likeliest.path("probability").asDouble()).isGreaterThanOrEqualTo(model.path("threshold").asDouble());
        assertThat(likeliest.path("prefix").asText()).as("a periodic flapper or a noisy route, never a stable one")
                .matches("10\\.[01]\\.\\d+\\.0/24").isNotIn(java.util.stream.IntStream.range(0, 200)
                        .mapToObj(FlapModelsIT::prefix).toList());
        assertThat(api.get("/api/v1/ml/flaps?kind=session").statusCode()).isEqualTo(409);

        String missing = "{\"vectors\": [[" + "null,".repeat(20) + "null]]}";
        double before = post("/api/v1/ml/predict", missing, 200).path("predictions").get(0).path("probability")
                .asDouble();
        FlapModels restarted = models();
        restarted.start();
        assertThat(restarted.current("route")).hasValueSatisfying(m -> {
            assertThat(m.version()).isEqualTo(version);
            float[] nothing = new float[21];
            java.util.Arrays.fill(nothing, Float.NaN);
            assertThat(m.model().probability(nothing)).isEqualTo(before);
        });
    }

    @Test
    void routesOfMonitoredPrefixesPredictedToFlapRaiseAlertsThatResolveWhenCalm() throws Exception {
        if (models.current("route").isEmpty()) {
            post("/api/v1/ml/train", "", 200);
        }
        new HistoryFeatures(database.dataSource(), FlapDamping.DEFAULT).refresh(NOW);
        Alerts alerts = new Alerts(new InMemoryAlertStore(), 50);
        // The periodic flappers are 10.0.200.0/24 to 10.1.3.0/24, the noisy routes 10.1.4.0/24 on.
        // 10.0.0.0/16 is watched with its more-specifics but for 10.0.201.0/24, which excludes the
        // check; 10.1.0.0/16 alone, without them; 10.0.0.0/24 is a stable route.
        List<MonitoredPrefix> watched = new ArrayList<>(List.of(
                monitor("10.0.0.0/16", "customers", false, Set.of()),
                monitor("10.0.201.0/24", "excluded", true, Set.of(AlertType.FLAP_PREDICTED)),
                monitor("10.1.0.0/16", "exact", true, Set.of()),
                monitor("10.0.0.0/24", "stable", true, Set.of())));
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        FlapPredictionAlerts alerting = new FlapPredictionAlerts(alerts, models, () -> watched, clock);
        alerting.run();

        List<Alert> raised = alerts.all().stream().filter(a -> a.type() == AlertType.FLAP_PREDICTED).toList();
        assertThat(raised).isNotEmpty().allSatisfy(a -> {
            assertThat(a.key()).startsWith("flap_predicted|10.0.").isNotEqualTo("flap_predicted|10.0.201.0/24");
            assertThat(a.finding().group()).isEqualTo("customers");
            assertThat(a.evidence()).extracting(Evidence::vantagePoint).contains("r1/" + PEER);
        });
        // What the API lists for those prefixes is what was alerted: the same model, the same moment.
        JsonNode listed = json.readTree(api.get("/api/v1/ml/flaps?limit=1000").body()).path("items");
        List<String> expected = new ArrayList<>();
        listed.forEach(item -> {
            String prefix = item.path("prefix").asText();
            if (prefix.startsWith("10.0.") && !prefix.equals("10.0.201.0/24")) {
                expected.add("flap_predicted|" + prefix);
            }
        });
        assertThat(raised).extracting(Alert::key).containsExactlyInAnyOrderElementsOf(expected);

        // Nothing watched any more: an hour later, every alert has resolved.
        watched.clear();
        now.set(NOW.plus(Duration.ofMinutes(61)));
        alerting.run();
        List<Alert> after = alerts.all().stream().filter(a -> a.type() == AlertType.FLAP_PREDICTED).toList();
        assertThat(after).hasSameSizeAs(raised).allSatisfy(a -> assertThat(a.state().active()).isFalse());
    }

    private static MonitoredPrefix monitor(String prefix, String group, boolean ignoreMoreSpecifics,
                                           Set<AlertType> exclude) {
        return new MonitoredPrefix(IpPrefix.parse(prefix), "test", AsnSet.of(65100), group, ignoreMoreSpecifics,
                List.of(), exclude, OptionalInt.empty());
    }

    @Test
    void badRequestsAreRefusedNamingTheirField() throws Exception {
        if (models.current("route").isEmpty()) {
            post("/api/v1/ml/train", "", 200);
        }
        String key = "{\"router\": \"r1\", \"peer\": \"" + PEER + "\", \"prefix\": \"" + prefix(1) + "\"}";
        assertThat(post("/api/v1/ml/predict", "{\"vectors\": [[1, 2, 3]]}", 400).path("field").asText())
                .isEqualTo("vectors[0]");
        assertThat(post("/api/v1/ml/predict", "{\"vectors\": [[" + "0,".repeat(3) + "\"x\"" + ",0".repeat(17) + "]]}",
                400).path("field").asText()).isEqualTo("vectors[0][3]");
        assertThat(post("/api/v1/ml/predict", "{\"keys\": [{\"router\": \"r1\", \"peer\": \"" + PEER
                + "\", \"prefix\": \"192.0.2.0/24\"}]}", 404).path("field").asText()).isEqualTo("keys[0]");
        assertThat(post("/api/v1/ml/predict", "{\"kind\": \"bgp\", \"keys\": [" + key + "]}", 400).path("field")
                .asText()).isEqualTo("kind");
        assertThat(post("/api/v1/ml/predict", "{\"keys\": [" + key + "], \"vectors\": [[]]}", 400).path("field")
                .asText()).isEqualTo("keys");
        assertThat(post("/api/v1/ml/predict", "{\"version\": 999, \"keys\": [" + key + "]}", 400).path("field")
                .asText()).isEqualTo("version");
        assertThat(post("/api/v1/ml/predict", "{\"kind\": \"session\", \"keys\": [{\"router\": \"r1\", \"peer\": \""
                + PEER + "\"}]}", 409).path("error").asText()).isEqualTo("no_model");
        assertThat(api.get("/api/v1/ml/models/abc").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/ml/models/999").statusCode()).isEqualTo(404);
    }
}
