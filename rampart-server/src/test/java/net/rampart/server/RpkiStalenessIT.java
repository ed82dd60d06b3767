package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPKI data older than RAMPART_RPKI_MAX_DATA_AGE on the real service. By default the service
 * stays ready, since BMP collection, the API and mitigation still serve, and the staleness shows
 * in /health/ready, /api/v1/state, the rampart_rpki_stale metric and one log line; with
 * RAMPART_READY_REQUIRES_FRESH_RPKI=true, /health/ready answers 503.
 */
class RpkiStalenessIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void staleDataDegradesReadinessUnlessFreshDataIsRequired(@TempDir Path dir) throws Exception {
        // Generated three hours ago against a limit of one hour: stale from the first fetch on.
        Path vrps = Files.writeString(dir.resolve("vrps.json"), """
                {"metadata": {"generated": %d}, "roas": [{"asn": "AS65003", "prefix": "10.9.0.0/16", "maxLength": 24, "ta": "test"}]}
                """.formatted(Instant.now().minus(Duration.ofHours(3)).getEpochSecond()));
        int httpPort = ServiceProcess.freePort();
        Map<String, String> environment = new HashMap<>(Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString(), "RAMPART_RPKI_SOURCES", "file:" + vrps,
                "RAMPART_RPKI_MAX_DATA_AGE", "1h"));

        try (var service = ServiceProcess.start(environment)) {
            // Ready although the data is stale (it answered 503 for as long as the data stayed old).
            assertThat(service.awaitReady(httpPort, TIMEOUT)).as(service.output()).isTrue();
            // The line is logged after the first fetch, so the data is there and its age is known.
            awaitEvent(service, "rpki_data_stale");
            JsonNode logged = service.event("rpki_data_stale").orElseThrow();
            assertThat(logged.path("level").asText()).isEqualTo("WARN");
            assertThat(logged.path("reason").asText()).startsWith("data 3h")
                    .endsWith("old, older than RAMPART_RPKI_MAX_DATA_AGE 1h");

            HttpResponse<String> ready = get(httpPort, "/health/ready", null);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode body = json.readTree(ready.body());
            assertThat(body.path("status").asText()).isEqualTo("ready");
            assertThat(body.path("checks").path("rpki_data").asText()).isEqualTo("degraded");
            assertThat(body.path("degraded")).extracting(line -> line.asText())
                    .containsExactly("rpki_data: " + logged.path("reason").asText());

            JsonNode state = json.readTree(get(httpPort, "/api/v1/state", service.adminToken()).body());
            assertThat(state.path("stale").asBoolean()).as(state.toString()).isTrue();
            assertThat(get(httpPort, "/metrics", null).body()).contains("\nrampart_rpki_stale 1.0");

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            // Once when it became stale, not on every check; it never became fresh.
            assertThat(service.events("rpki_data_stale")).hasSize(1);
            assertThat(service.events("rpki_data_fresh")).isEmpty();
        }

        environment.put("RAMPART_READY_REQUIRES_FRESH_RPKI", "true");
        try (var service = ServiceProcess.start(environment)) {
            JsonNode body = awaitHttpUp(service, httpPort);
            assertThat(body.path("status").asText()).as(body.toString()).isEqualTo("not_ready");
            assertThat(body.path("checks").path("rpki_data").asText()).isEqualTo("down");
            assertThat(get(httpPort, "/health/ready", null).statusCode()).isEqualTo(503);
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private void awaitEvent(ServiceProcess service, String event) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (service.event(event).isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(service.event(event)).as("%s logged; output:%n%s", event, service.output()).isPresent();
    }

    /**
     * The readiness body once every part has started: awaitReady cannot tell a service that is
     * not ready from one still starting, so this waits for the http check, which is added last.
     */
    private JsonNode awaitHttpUp(ServiceProcess service, int port) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode body = json.readTree(get(port, "/health/ready", null).body());
                if (body.path("checks").path("http").asText().equals("up")) {
                    return body;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("HTTP did not come up; output:\n" + service.output());
    }

    private HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
