package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starts the real service with embedded PostgreSQL, uses it, stops it with SIGTERM, starts it again. */
class ServiceSmokeIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void startsServesAndStopsCleanlyThenRestartsOnItsData(@TempDir Path dataDir) throws Exception {
        int httpPort = ServiceProcess.freePort();
        var environment = Map.of(
                "RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0",
                "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dataDir.toString());

        int databasePort;
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            JsonNode started = service.event("database_started").orElseThrow();
            assertThat(started.path("existing_data").asBoolean()).isFalse();
            databasePort = started.path("port").asInt();

            try (var client = HttpClient.newHttpClient()) {
                JsonNode ready = json.readTree(get(client, httpPort, "/health/ready").body());
                assertThat(ready.path("status").asText()).isEqualTo("ready");
                assertThat(ready.path("checks").path("database").asText()).isEqualTo("up");
                assertThat(ready.path("checks").path("http").asText()).isEqualTo("up");

                String metrics = get(client, httpPort, "/metrics").body();
                assertThat(metrics).contains("jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds",
                        "rampart_http_requests_seconds_count{method=\"GET\",route=\"/health/ready\",status=\"200\"}");

                JsonNode openApi = json.readTree(get(client, httpPort, "/openapi.json").body());
                assertThat(openApi.path("openapi").asText()).startsWith("3.");
                assertThat(openApi.path("paths").has("/health/ready")).isTrue();
            }

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            assertThat(service.event("database_stopped")).as(service.output()).isPresent();
            assertThat(service.event("service_stopped")).isPresent();
            assertThat(service.stdout()).allSatisfy(line -> assertThat(json.readTree(line).has("event")
                    || json.readTree(line).has("message")).isTrue());
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThatThrownBy(() -> {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", databasePort), 1000);
            }
        }).as("embedded PostgreSQL no longer listens").isInstanceOf(IOException.class);

        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            assertThat(service.event("database_started").orElseThrow().path("existing_data").asBoolean()).isTrue();
            assertThat(service.event("database_migrated").orElseThrow().path("applied").asInt()).isZero();
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
