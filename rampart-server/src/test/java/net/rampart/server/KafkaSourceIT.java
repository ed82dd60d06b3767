package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.rampart.kafka.KafkaBroker;
import net.rampart.wire.bgp.WireFixtures;
import net.rampart.wire.bmp.BmpBytes;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.InformationTlv;
import net.rampart.wire.openbmp.OpenBmpRawEncoder;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One service collects a real GoBGP's BMP and publishes it on Apache Kafka's own broker; a
 * second reads it from there ({@code RAMPART_BMP_SOURCE=kafka}) and holds the same routes and
 * the same history. Restarted, the second rebuilds its RIB from the topic without writing the
 * history again; when the router's connection to the first ends, the second withdraws its routes.
 */
class KafkaSourceIT {

    private static final int ROUTES = 40;

    @Test
    void aServiceReadingTheRawTopicHoldsTheRibAndHistoryOfTheServiceThatPublishedIt(@TempDir Path directory)
            throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "gobgpd is not installed (Debian package gobgpd); skipped");
        int edgeHttp = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int storeHttp = ServiceProcess.freePort();
        try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(directory.resolve("kafka")))) {
            Map<String, String> edgeEnvironment = Map.of(
                    "RAMPART_KAFKA_BOOTSTRAP", broker.bootstrap(),
                    "RAMPART_KAFKA_PUBLISH", "raw",
                    "RAMPART_HTTP_PORT", Integer.toString(edgeHttp),
                    "RAMPART_BMP_PORT", Integer.toString(bmpPort),
                    "RAMPART_BMP_ALLOW", "127.0.0.1/32",
                    "RAMPART_RTR_PORT", "0",
                    "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", Files.createDirectories(directory.resolve("edge")).toString());
            Map<String, String> storeEnvironment = new HashMap<>(Map.of(
                    "RAMPART_KAFKA_BOOTSTRAP", broker.bootstrap(),
                    "RAMPART_BMP_SOURCE", "kafka",
                    "RAMPART_KAFKA_GROUP", "stores",
                    "RAMPART_KAFKA_PUBLISH", "",
                    "RAMPART_HTTP_PORT", Integer.toString(storeHttp),
                    "RAMPART_RTR_PORT", "0",
                    "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", Files.createDirectories(directory.resolve("store")).toString()));
            try (var edge = ServiceProcess.start(edgeEnvironment);
                 var gobgp = GoBgpDaemon.start(Files.createDirectories(directory.resolve("gobgp")),
                         GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(bmpPort, "local-rib").toml())) {
                assertThat(edge.awaitReady(edgeHttp, Duration.ofMinutes(2))).as(edge.output()).isTrue();
                for (int i = 0; i < ROUTES; i++) {
                    gobgp.cli("global", "rib", "add", "10.20." + i + ".0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                            "aspath", "65002," + (65100 + i));
                }
                var edgeApi = edge.api(edgeHttp);
                // Withdrawn only once the edge holds it: GoBGP would not send a route added and deleted at once.
                await("the edge holds every route announced", Duration.ofSeconds(60),
                        () -> edgeApi.get("/api/v1/routes?limit=1000").path("matched").asInt() == ROUTES);
                gobgp.cli("global", "rib", "del", "10.20.0.0/24", "-a", "ipv4");
                await("the edge holds the router's routes", Duration.ofSeconds(60),
                        () -> edgeApi.get("/api/v1/routes?limit=1000").path("matched").asInt() == ROUTES - 1);
                awaitValue("the edge's history holds every announcement and the withdrawal", ROUTES + 1L,
                        () -> historyRows(edge));

                JsonNode published = edgeApi.get("/api/v1/routes?limit=1000").path("items");
                try (var store = ServiceProcess.start(storeEnvironment)) {
                    assertThat(store.awaitReady(storeHttp, Duration.ofMinutes(2))).as(store.output()).isTrue();
                    var storeApi = store.api(storeHttp);
                    // Every field alike, the times of the last change included: the store takes the edge's.
                    await("the store holds the edge's routes", Duration.ofSeconds(60),
                            () -> storeApi.get("/api/v1/routes?limit=1000").path("items").equals(published));
                    awaitValue("the store's history holds what the edge's does", ROUTES + 1L,
                            () -> historyRows(store));
                    assertThat(historyTimes(store)).isEqualTo(historyTimes(edge));
                    assertThat(storeApi.get("/api/v1/routers").path("items").get(0).path("address").asText())
                            .isEqualTo("127.0.0.1");
                    await("the store committed what its history holds", Duration.ofSeconds(30),
                            () -> metric(storeHttp, "rampart_kafka_consumer_commits_total") >= 1);
                    assertThat(store.terminate(Duration.ofSeconds(60))).as(store.output()).isZero();
                }

                // Restarted, the store rebuilds its RIB from the topic and writes no history twice.
                gobgp.cli("global", "rib", "add", "10.21.0.0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                        "aspath", "65002,65200");
                awaitValue("the edge's history holds the route announced while the store was away", ROUTES + 2L,
                        () -> historyRows(edge));
                JsonNode later = edgeApi.get("/api/v1/routes?limit=1000").path("items");
                try (var store = ServiceProcess.start(storeEnvironment)) {
                    assertThat(store.awaitReady(storeHttp, Duration.ofMinutes(2))).as(store.output()).isTrue();
                    var storeApi = store.api(storeHttp);
                    await("the restarted store holds the edge's routes", Duration.ofSeconds(60),
                            () -> storeApi.get("/api/v1/routes?limit=1000").path("items").equals(later));
                    awaitValue("the restarted store's history holds the new route", ROUTES + 2L,
                            () -> historyRows(store));
                    assertThat(metric(storeHttp, "rampart_kafka_consumed_frames_total{outcome=\"replayed\""))
                            .as("frames read again to rebuild the RIB").isGreaterThanOrEqualTo(ROUTES + 1);
                    awaitValue("the rebuild done", 0.0,
                            () -> metric(storeHttp, "rampart_kafka_consumer_rebuilding_partitions"));
                    awaitValue("nothing left to read", 0.0, () -> metric(storeHttp, "rampart_kafka_consumer_lag_frames"));
                    assertThat(historyTimes(store)).isEqualTo(historyTimes(edge));

                    // The router goes away from the edge: the edge's Termination on the topic ends it here too.
                    gobgp.close();
                    await("the store withdrew the router's routes", Duration.ofSeconds(60),
                            () -> storeApi.get("/api/v1/routes?limit=1000").path("matched").asInt() == 0);
                    awaitValue("the withdrawals are in both histories", List.of(2L * ROUTES + 2, 2L * ROUTES + 2),
                            () -> List.of(historyRows(store), historyRows(edge)));
                    assertThat(sessionEndWithdrawals(store)).isEqualTo(sessionEndWithdrawals(edge))
                            .contains("10.21.0.0/24").doesNotContain("10.20.0.0/24");
                    assertThat(store.terminate(Duration.ofSeconds(60))).as(store.output()).isZero();
                }
            }
        }
    }

    /** Routes of the table the crash test publishes, 100 to a Route Monitoring message. */
    private static final int TABLE = 200_000;
    private static final int PER_MESSAGE = 100;

    @Test
    void aStoreKilledMidTableAndStartedAgainLosesNoRouteEventAndWritesNoneTwice(@TempDir Path directory)
            throws Exception {
        int storeHttp = ServiceProcess.freePort();
        try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(directory.resolve("kafka")))) {
            int frames = publishTable(broker);
            Map<String, String> environment = Map.of(
                    "RAMPART_KAFKA_BOOTSTRAP", broker.bootstrap(),
                    "RAMPART_BMP_SOURCE", "kafka",
                    "RAMPART_KAFKA_PUBLISH", "",
                    "RAMPART_HTTP_PORT", Integer.toString(storeHttp),
                    "RAMPART_RTR_PORT", "0",
                    "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", Files.createDirectories(directory.resolve("store")).toString());
            try (var store = ServiceProcess.start(environment)) {
                assertThat(store.awaitReady(storeHttp, Duration.ofMinutes(2))).as(store.output()).isTrue();
                long[] rows = new long[1];
                await("the store's first history batch", Duration.ofSeconds(120),
                        () -> (rows[0] = historyRows(store)) > 0);
                ProcessHandle.of(store.pid()).orElseThrow().destroyForcibly();
                store.awaitExit(Duration.ofSeconds(30));
                assertThat(rows[0]).as("killed mid-table: the table is too small for this machine").isLessThan(TABLE);
            }

            try (var store = ServiceProcess.start(environment)) {
                assertThat(store.awaitReady(storeHttp, Duration.ofMinutes(2))).as(store.output()).isTrue();
                awaitValue("every frame read again", (double) frames, () -> metric(storeHttp,
                        "rampart_kafka_consumed_frames_total{outcome=\"applied\"") + metric(storeHttp,
                        "rampart_kafka_consumed_frames_total{outcome=\"replayed\""));
                awaitValue("the whole table in the RIB", (double) TABLE, () -> metric(storeHttp, "rampart_rib_routes"));
                awaitValue("history caught up", 0.0, () -> metric(storeHttp, "rampart_history_queued_events"));
                assertThat(query(store, "SELECT count(*) || ' ' || count(DISTINCT route_key) FROM route_history"))
                        .as("one row for each route, none twice").isEqualTo(TABLE + " " + TABLE);
                assertThat(store.terminate(Duration.ofSeconds(60))).as(store.output()).isZero();
            }
        }
    }

    /**
     * Publishes, as an OpenBMP producer would, one router's Initiation and a table of {@link #TABLE}
     * /24 routes of a Loc-RIB, {@link #PER_MESSAGE} to a message; returns how many frames.
     */
    private static int publishTable(KafkaBroker broker) throws Exception {
        OpenBmpRawEncoder router = new OpenBmpRawEncoder("edge-1", InetAddress.getByName("192.0.2.1"), "");
        long micros = System.currentTimeMillis() * 1_000;
        List<byte[]> messages = new ArrayList<>();
        messages.add(BmpBytes.body().tlv(InformationTlv.SYS_NAME, "edge-router").message(BmpMessage.INITIATION));
        byte[] attributes = WireFixtures.hex("40010100" + "40020a02020000fde90000fdea" + "400304c0000209");
        for (int first = 0; first < TABLE; first += PER_MESSAGE) {
            ByteBuffer nlri = ByteBuffer.allocate(PER_MESSAGE * 4);
            for (int i = first; i < first + PER_MESSAGE; i++) {
                nlri.put((byte) 24).put((byte) (10 + i / 65_536)).put((byte) (i / 256 % 256)).put((byte) (i % 256));
            }
            byte[] update = WireFixtures.update("", HexFormat.of().formatHex(attributes),
                    HexFormat.of().formatHex(nlri.array()));
            messages.add(BmpBytes.body().peer(3, 0, 0, "0.0.0.0", 65001, "192.0.2.1", micros / 1_000_000, 0)
                    .bytes(update).message(BmpMessage.ROUTE_MONITORING));
        }
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (byte[] message : messages) {
                producer.send(new ProducerRecord<>("openbmp.bmp_raw", router.routerHash(),
                        router.frame(micros++, message, 0, message.length)));
            }
            producer.flush();
        }
        return messages.size();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} until it holds; a check that throws (the service not answering yet) is tried again. */
    private static void await(String what, Duration timeout, Check check) throws InterruptedException {
        Exception[] last = new Exception[1];
        boolean held = Daemon.await(timeout, () -> {
            try {
                return check.holds();
            } catch (Exception e) {
                last[0] = e;
                return false;
            }
        });
        if (!held) {
            throw new AssertionError("timed out waiting for " + what, last[0]);
        }
    }

    private interface Reading {
        Object read() throws Exception;
    }

    /** Polls {@code reading} until it equals {@code expected}; fails with the last value read. */
    private static void awaitValue(String what, Object expected, Reading reading) throws InterruptedException {
        Object[] last = new Object[1];
        try {
            await(what, Duration.ofSeconds(120), () -> expected.equals(last[0] = reading.read()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": expected " + expected + ", last read " + last[0], e.getCause());
        }
    }

    /** The rows of the service's route history, read from its PostgreSQL. */
    private static long historyRows(ServiceProcess service) throws Exception {
        return Long.parseLong(query(service, "SELECT count(*) FROM route_history"));
    }

    /** Each row of route history as route, time and whether withdrawn, in order (a second holds several: then in the order written): alike in both services. */
    private static String historyTimes(ServiceProcess service) throws Exception {
        return query(service, "SELECT route_key || ' ' || time::text || ' ' || is_withdrawn::text"
                + " FROM route_history ORDER BY time, route_key, seq");
    }

    /**
     * Each route's withdrawals with the router's session: the edge takes their time when the
     * session closes, the store from the edge's Termination just before.
     */
    private static String sessionEndWithdrawals(ServiceProcess service) throws Exception {
        return query(service, "SELECT route_key FROM route_history WHERE is_withdrawn"
                + " AND time > (SELECT min(time) FROM route_history WHERE route_key LIKE '10.21.%') ORDER BY route_key");
    }

    private static String query(ServiceProcess service, String sql) throws Exception {
        try (var db = service.database();
             var rows = db.createStatement().executeQuery(sql)) {
            StringBuilder text = new StringBuilder();
            while (rows.next()) {
                text.append(text.isEmpty() ? "" : "\n").append(rows.getString(1));
            }
            return text.toString();
        }
    }

    /** The value of the first metric line starting with {@code series}. */
    private static double metric(int httpPort, String series) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(series)).findFirst()
                    .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(-1.0);
        }
    }
}
