package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as an operator runs it with {@code RAMPART_RIS_LIVE_URL}: it connects to a RIS Live
 * server the test runs, subscribes to the monitored prefix, and a hijack only a RIS peer sees
 * becomes an alert in the API, with the RIS peer as its vantage point.
 */
class RisLiveIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HIJACK = "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1764583200.5,"
            + "\"peer\":\"198.51.100.7\",\"peer_asn\":\"64496\",\"id\":\"it-1\",\"host\":\"rrc21.ripe.net\","
            + "\"type\":\"UPDATE\",\"path\":[64496,64666],\"origin\":\"igp\",\"announcements\":"
            + "[{\"next_hop\":\"198.51.100.7\",\"prefixes\":[\"192.0.2.0/24\"]}]}}";

    @Test
    void aHijackARisPeerSeesBecomesAnAlert(@TempDir Path dir) throws Exception {
        // The server answers the monitored prefix's subscription with a route from a hijacker.
        Javalin risLive = Javalin.create().ws("/v1/ws/", ws -> ws.onMessage(ctx -> {
            JsonNode message = JSON.readTree(ctx.message());
            if (message.path("type").asText().equals("ris_subscribe")
                    && message.path("data").path("prefix").asText().equals("192.0.2.0/24")) {
                ctx.send(HIJACK);
            }
        })).start("127.0.0.1", 0);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path monitors = Files.writeString(dir.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                """);
        int httpPort = ServiceProcess.freePort();
        var settings = new Settings(Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", data.toString(), "RAMPART_MONITORS", monitors.toString(),
                "RAMPART_RIS_LIVE_URL", "ws://127.0.0.1:" + risLive.port() + "/v1/ws/"));
        var service = new RampartService(ServerConfig.from(settings), settings, "test");
        try (var client = HttpClient.newHttpClient()) {
            service.start();
            String token = Files.readString(data.resolve("admin.token")).strip();

            JsonNode alerts = await(client, httpPort, token, "/api/v1/alerts?type=origin_hijack",
                    page -> page.path("matched").asLong() > 0);
            long id = alerts.path("items").get(0).path("id").asLong();
            JsonNode alert = get(client, httpPort, token, "/api/v1/alerts/" + id);
            assertThat(alert.path("prefix").asText()).isEqualTo("192.0.2.0/24");
            assertThat(alert.path("asn").asLong()).isEqualTo(64666);
            assertThat(alert.path("evidence").get(0).path("vantage_point").asText())
                    .isEqualTo("rrc21/198.51.100.7/ris");

            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("rampart_detect_ris_live_connected 1.0",
                    "rampart_detect_ris_live_messages_total 1.0", "rampart_detect_ris_live_routes 1.0");
        } finally {
            service.stop();
            risLive.stop();
        }
    }

    private static JsonNode get(HttpClient client, int port, String token, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** GETs {@code path} until {@code done} holds, for at most a minute. */
    private static JsonNode await(HttpClient client, int port, String token, String path, Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode answer = get(client, port, token, path);
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = get(client, port, token, path);
        }
        assertThat(done.test(answer)).as("%s: %s", path, answer).isTrue();
        return answer;
    }
}
