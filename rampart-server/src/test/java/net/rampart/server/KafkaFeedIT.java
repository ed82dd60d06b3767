package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rampart.kafka.KafkaBroker;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpMessageDecoder;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.openbmp.OpenBmpRawFrame;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real GoBGP's BMP into the service, out on Apache Kafka's own broker as OpenBMP raw frames
 * and parsed rows; and the alert it raises and the RPKI serials, as the service's own JSON events.
 */
class KafkaFeedIT {

    @Test
    void everyBmpMessageOfARouterIsPublishedAsARawFrame(@TempDir Path directory) throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "gobgpd is not installed (Debian package gobgpd); skipped");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        // 10.9.0.0/24 is monitored for AS65099; the router's route has origin AS65003: an origin hijack.
        Path monitors = Files.writeString(directory.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 10.9.0.0/24
                    origins: [AS65099]
                """);
        Path vrps = Files.writeString(directory.resolve("vrps.json"), vrps(1));
        // A customer and a playbook, for a mitigation whose life goes to rampart.mitigations.
        Path inventory = Files.writeString(directory.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24]
                """);
        Path playbooks = Files.writeString(directory.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 10m}
                """);
        try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(directory.resolve("kafka")))) {
            var environment = new java.util.HashMap<>(Map.of(
                    "RAMPART_MONITORS", monitors.toString(),
                    "RAMPART_RPKI_SOURCES", "file:" + vrps,
                    "RAMPART_KAFKA_BOOTSTRAP", broker.bootstrap(),
                    "RAMPART_KAFKA_ADMIN_ID", "rampart-it",
                    "RAMPART_HTTP_PORT", Integer.toString(httpPort),
                    "RAMPART_BMP_PORT", Integer.toString(bmpPort),
                    "RAMPART_BMP_ALLOW", "127.0.0.1/32",
                    "RAMPART_RTR_PORT", "0",
                    "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", Files.createDirectories(directory.resolve("data")).toString()));
            environment.put("RAMPART_KAFKA_PUBLISH", "raw,parsed,events");
            environment.put("RAMPART_INVENTORY", inventory.toString());
            environment.put("RAMPART_PLAYBOOKS", playbooks.toString());
            environment.put("RAMPART_POP", "ams1");
            // Churn anomalies on, so that a whole service runs them beside the feed.
            environment.put("RAMPART_CHURN_ANOMALIES", "true");
            try (var service = ServiceProcess.start(environment);
                 var gobgp = GoBgpDaemon.start(Files.createDirectories(directory.resolve("gobgp")),
                         GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(bmpPort, "local-rib").toml());
                 var consumer = consumer(broker)) {
                assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
                var api = service.api(httpPort);
                gobgp.cli("global", "rib", "add", "10.9.0.0/24", "-a", "ipv4", "nexthop", "192.0.2.9",
                        "aspath", "65002,65003");

                consumer.subscribe(List.of("openbmp.bmp_raw"));
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                UnicastNlri route = new UnicastNlri(Nlri.NO_PATH_ID, IpPrefix.parse("10.9.0.0/24"));
                Daemon.await("a Route Monitoring frame with 10.9.0.0/24 on openbmp.bmp_raw", Duration.ofSeconds(60),
                        () -> {
                            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                            return records.stream().anyMatch(r -> announces(r.value(), route));
                        });

                byte[] routerHash = MessageDigest.getInstance("MD5")
                        .digest(InetAddress.getByName("127.0.0.1").getAddress());
                List<BmpMessage> messages = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    OpenBmpRawFrame frame = OpenBmpRawFrame.decode(record.value());
                    assertThat(frame.adminId()).isEqualTo("rampart-it");
                    assertThat(frame.router()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                    assertThat(frame.routerHash()).isEqualTo(routerHash);
                    assertThat(record.key()).isEqualTo(routerHash);
                    messages.add(BmpMessageDecoder.decode(frame.bmpMessage()));
                }
                // The router's session from its first message: GoBGP opens with an Initiation and,
                // monitoring its Loc-RIB, sends no Peer Up before its routes.
                assertThat(messages.getFirst()).isInstanceOf(BmpMessage.Initiation.class);
                assertThat(messages.subList(1, messages.size())).allMatch(BmpMessage.RouteMonitoring.class::isInstance);

                // Churn anomalies count beside the feed; three days of history come before a first judgement.
                assertThat(api.get("/api/v1/anomalies").path("matched").asInt()).isZero();

                // What the service says about the feed.
                JsonNode ready = api.get("/health/ready");
                assertThat(ready.path("checks").path("kafka").asText()).isEqualTo("up");
                assertThat(ready.path("checks").path("kafka_publish").asText()).isEqualTo("up");
                String metrics;
                try (var client = HttpClient.newHttpClient()) {
                    metrics = client.send(HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                }
                assertThat(metrics).contains("rampart_churn_detection_seconds_count", "rampart_churn_anomalies_total{");
                assertThat(metrics.lines().filter(line -> line.startsWith("rampart_kafka_frames_total{")
                        && line.contains("outcome=\"acknowledged\"") && line.contains("topic=\"openbmp.bmp_raw\"")))
                        .singleElement().satisfies(line -> assertThat(
                                Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                                .isGreaterThanOrEqualTo(records.size()));

                // The same route on the parsed unicast_prefix topic, in the schema's 32 columns
                // (Action 1, Prefix 11, Length 12, AS Path 15, Origin AS 17, Next Hop 18).
                consumer.unsubscribe();
                consumer.subscribe(List.of("openbmp.parsed.unicast_prefix"));
                List<String[]> unicast = new ArrayList<>();
                Daemon.await("10.9.0.0/24 on openbmp.parsed.unicast_prefix", Duration.ofSeconds(60), () -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> unicast.addAll(rows(r.value())));
                    return unicast.stream().anyMatch(f -> f[10].equals("10.9.0.0"));
                });
                assertThat(unicast).allSatisfy(f -> assertThat(f).hasSize(32));
                assertThat(unicast).filteredOn(f -> f[10].equals("10.9.0.0")).first().satisfies(f -> {
                    assertThat(f[0]).isEqualTo("add");
                    assertThat(f[11]).isEqualTo("24");
                    assertThat(f[14]).isEqualTo(" 65002 65003");
                    assertThat(f[16]).isEqualTo("65003");
                    assertThat(f[17]).isEqualTo("192.0.2.9");
                });

                // The service's own events: the hijack's alert, and each RPKI serial as it comes into force.
                Files.writeString(vrps, vrps(2));
                try (var client = HttpClient.newHttpClient()) {
                    var refreshed = client.send(service.request(httpPort, "/api/v1/rpki/refresh")
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
                }
                // A mitigation from an attack event, then withdrawn by an operator.
                String mitigationId;
                try (var client = HttpClient.newHttpClient()) {
                    var posted = client.send(service.request(httpPort, "/api/v1/events")
                            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                                    {"event_id":"kafka-1","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                                     "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                                    """)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
                    mitigationId = readJson(posted.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .path("mitigation_id").asText();
                    var withdrawn = client.send(service.request(httpPort, "/api/v1/mitigations/" + mitigationId
                                    + "/withdraw").header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"operator\":\"alice\",\"reason\":\"over\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
                }
                consumer.unsubscribe();
                consumer.subscribe(List.of("rampart.alerts", "rampart.rpki", "rampart.mitigations"));
                Map<String, List<JsonNode>> events = new java.util.HashMap<>();
                Daemon.await("the alert, the RPKI serial with two VRPs and the mitigation's withdrawal on the event"
                        + " topics", Duration.ofSeconds(60), () -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> events.computeIfAbsent(r.topic(),
                            t -> new ArrayList<>()).add(readJson(r.value())));
                    return events.getOrDefault("rampart.alerts", List.of()).size() >= 1
                            && events.getOrDefault("rampart.rpki", List.of()).stream()
                            .anyMatch(e -> e.path("vrp_count").asInt() == 2)
                            && events.getOrDefault("rampart.mitigations", List.of()).stream()
                            .anyMatch(e -> e.path("change").asText().equals("withdrawn"));
                });
                // The mitigation's life in order, each change with the mitigation as the API shows it.
                assertThat(events.get("rampart.mitigations")).extracting(e -> e.path("change").asText())
                        .containsExactly("created", "withdrawn");
                assertThat(events.get("rampart.mitigations")).allSatisfy(e ->
                        assertThat(e.path("mitigation").path("id").asText()).isEqualTo(mitigationId));
                JsonNode alert = events.get("rampart.alerts").getFirst();
                assertThat(alert.path("change").asText()).isEqualTo("opened");
                assertThat(alert.path("alert").path("prefix").asText()).isEqualTo("10.9.0.0/24");
                // The serials in the order they came into force (the first, before the file was read, may be empty).
                List<JsonNode> serials = events.get("rampart.rpki");
                assertThat(serials.stream().map(e -> e.path("vrp_count").asInt()).toList()).containsSubsequence(1, 2);
                assertThat(serials.stream().map(e -> e.path("serial").asLong()).toList()).isSorted()
                        .doesNotHaveDuplicates();
            }
        }
    }

    /** The rows of an OpenBMP parsed value (text header, blank line, tab-separated rows), split into fields. */
    private static List<String[]> rows(byte[] value) {
        String text = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith("V: 1.7\nC_HASH_ID: ").endsWith("\n");
        String body = text.substring(text.indexOf("\n\n") + 2);
        return body.lines().map(row -> row.split("\t", -1)).toList();
    }

    private static JsonNode readJson(byte[] value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(value, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    /** A VRP file with {@code count} VRPs of AS65099 under 10.9.0.0/16. */
    private static String vrps(int count) {
        List<String> roas = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            roas.add("{\"asn\": \"AS65099\", \"prefix\": \"10.9." + i + ".0/24\", \"maxLength\": 24, \"ta\": \"test\"}");
        }
        return "{\"metadata\": {\"generated\": " + java.time.Instant.now().getEpochSecond() + "}, \"roas\": ["
                + String.join(", ", roas) + "]}";
    }

    private static boolean announces(byte[] value, UnicastNlri route) {
        BmpMessage message = BmpMessageDecoder.decode(OpenBmpRawFrame.decode(value).bmpMessage());
        return message instanceof BmpMessage.RouteMonitoring monitoring
                && (monitoring.update().announced().contains(route) || monitoring.update().mpReach()
                        .map(reach -> reach.nlri().contains(route)).orElse(false));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-feed-it",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }
}
