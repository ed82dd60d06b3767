package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEAD, OPTIONS and the errors Jetty answers itself on the real service with tokens required, and
 * a stop after refused requests that does not wait for them.
 */
class HttpMethodsIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** Shorter than the service's 20 s HTTP drain: a stop that waits for a refused request fails. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void headOptionsJettyErrorsAndAStopAfterRefusals() throws Exception {
        int httpPort = ServiceProcess.freePort();
        // A burst of 10 leaves the admin token enough for its few requests and runs a read token out quickly.
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString(),
                "RAMPART_API_RATE_LIMIT", "1", "RAMPART_API_RATE_BURST", "10");
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            String admin = service.adminToken();

            // HEAD on a public route needs no token, as GET does.
            HttpResponse<String> headHealth = send(httpPort, "HEAD", "/health", null);
            assertThat(headHealth.statusCode()).isEqualTo(200);
            assertThat(headHealth.headers().firstValue("Content-Type"))
                    .isEqualTo(send(httpPort, "GET", "/health", null).headers().firstValue("Content-Type"));

            // HEAD on a protected route: GET's status and headers with the token, GET's refusal without.
            HttpResponse<String> getRouters = send(httpPort, "GET", "/api/v1/routers", admin);
            HttpResponse<String> headRouters = send(httpPort, "HEAD", "/api/v1/routers", admin);
            assertThat(headRouters.statusCode()).isEqualTo(200);
            assertThat(headRouters.headers().firstValue("Content-Type"))
                    .isEqualTo(getRouters.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            HttpResponse<String> headRefused = send(httpPort, "HEAD", "/api/v1/routers", null);
            assertThat(headRefused.statusCode()).isEqualTo(401);
            assertThat(headRefused.headers().firstValue("WWW-Authenticate")).isPresent();

            // OPTIONS lists a path's methods; on a public route without a token, on a protected one with it.
            HttpResponse<String> optionsHealth = send(httpPort, "OPTIONS", "/health", null);
            assertThat(optionsHealth.statusCode()).isEqualTo(204);
            assertThat(allowed(optionsHealth)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");
            HttpResponse<String> optionsTokens = send(httpPort, "OPTIONS", "/api/v1/tokens", admin);
            assertThat(optionsTokens.statusCode()).isEqualTo(204);
            assertThat(allowed(optionsTokens)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "POST");
            HttpResponse<String> optionsUnknown = send(httpPort, "OPTIONS", "/api/v1/nothing-here", null);
            assertThat(optionsUnknown.statusCode()).isEqualTo(404);
            assertThat(json.readTree(optionsUnknown.body()).path("error").asText()).isEqualTo("not_found");

            // A URI Jetty's parser refuses is answered in the API's error model, not Jetty's HTML page.
            HttpResponse<String> longUri = send(httpPort, "GET", "/api/v1/routers?padding=" + "a".repeat(20_000), null);
            assertThat(longUri.statusCode()).isEqualTo(414);
            assertThat(longUri.headers().firstValue("Content-Type")).contains("application/json");
            JsonNode longUriError = json.readTree(longUri.body());
            assertThat(longUriError.path("error").asText()).isEqualTo("uri_too_long");
            assertThat(longUriError.path("detail").asText()).isNotBlank();

            // Refusals of every kind the guard makes: 401 (above and here), 403 and 429.
            assertThat(send(httpPort, "GET", "/api/v1/routers", "not-a-token").statusCode()).isEqualTo(401);
            HttpResponse<String> created = send(httpPort, "POST", "/api/v1/tokens", admin,
                    "{\"name\":\"methods-reader\",\"scope\":\"read\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String reader = json.readTree(created.body()).path("token").asText();
            assertThat(send(httpPort, "GET", "/api/v1/tokens", reader).statusCode()).isEqualTo(403);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 30 && !statuses.contains(429); i++) {
                statuses.add(send(httpPort, "GET", "/api/v1/routers", reader).statusCode());
            }
            assertThat(statuses).contains(429);

            // Every refused request counts as finished: the stop waits for none of them.
            assertThat(service.terminate(STOP_TIMEOUT)).as(service.output()).isZero();
            assertThat(service.event("http_stopped")).as(service.output())
                    .hasValueSatisfying(stopped -> assertThat(stopped.path("abandoned_requests").asInt(-1)).isZero());
        }
    }

    private static List<String> allowed(HttpResponse<String> response) {
        return Arrays.stream(response.headers().firstValue("Allow").orElse("").split(","))
                .map(String::strip).toList();
    }

    private HttpResponse<String> send(int port, String method, String path, String token)
            throws IOException, InterruptedException {
        return send(port, method, path, token, null);
    }

    private HttpResponse<String> send(int port, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
