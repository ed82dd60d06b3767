package net.rampart.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class HttpApiTest {

    private final ObjectMapper json = new ObjectMapper();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Readiness readiness = new Readiness();
    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;

    @BeforeEach
    void start() throws Exception {
        readiness.add("database", databaseUp::get);
        api = new HttpApi(json, metrics, List.of(new ServiceRoutes(readiness, metrics)), "test", null, Optional.empty());
        api.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        api.stop(Duration.ofSeconds(1));
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The bytes the server sends for {@code request}, read until it closes the connection: HttpClient
     * would hide a body sent for HEAD, and cannot send a malformed request.
     */
    private String raw(String request) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readinessFollowsItsChecks() throws Exception {
        var ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).path("checks").path("database").asText()).isEqualTo("up");

        databaseUp.set(false);
        var notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json.readTree(notReady.body()).path("status").asText()).isEqualTo("not_ready");
    }

    @Test
    void aDegradedCheckLeavesTheServiceReadyUnlessItIsRequired() throws Exception {
        String reason = "data 3h old, older than RAMPART_RPKI_MAX_DATA_AGE 1h";
        readiness.addDegradable("rpki_data", () -> Optional.of(reason), false);
        var degraded = get("/health/ready");
        // A load balancer keeps the service in rotation: one stale feed does not stop the others.
        assertThat(degraded.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(degraded.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("checks").path("database").asText()).isEqualTo("up");
        assertThat(body.path("checks").path("rpki_data").asText()).isEqualTo("degraded");
        assertThat(body.path("degraded")).extracting(line -> line.asText()).containsExactly("rpki_data: " + reason);

        // Added again under the same name, the check replaces the first one, now asked to be required.
        readiness.addDegradable("rpki_data", () -> Optional.of(reason), true);
        var required = get("/health/ready");
        assertThat(required.statusCode()).isEqualTo(503);
        JsonNode refused = json.readTree(required.body());
        assertThat(refused.path("status").asText()).isEqualTo("not_ready");
        assertThat(refused.path("checks").path("rpki_data").asText()).isEqualTo("down");

        // Once the problem is gone the check is up again, whether required or not.
        readiness.addDegradable("rpki_data", Optional::empty, true);
        var recovered = json.readTree(get("/health/ready").body());
        assertThat(recovered.path("checks").path("rpki_data").asText()).isEqualTo("up");
        assertThat(recovered.path("degraded")).isEmpty();
    }

    /** The database away is the client's to wait for (503, Retry-After); a statement the server refuses is a bug (500). */
    @Test
    void aDatabaseThatCannotBeReachedIsA503AndABadStatementA500() throws Exception {
        ApiRoutes failing = new ApiRoutes() {
            @Override
            public void register(RouteTable routes) {
                routes.get("/api/v1/away", ctx -> {
                    throw new java.sql.SQLTransientConnectionException("rampart - Connection is not available", "08001");
                });
                routes.get("/api/v1/shutting-down", ctx -> {
                    throw new java.io.UncheckedIOException(new java.io.IOException(
                            new java.sql.SQLException("terminating connection due to administrator command", "57P01")));
                });
                routes.get("/api/v1/bug", ctx -> {
                    throw new java.sql.SQLException("syntax error at or near \"SELEKT\"", "42601");
                });
            }

            @Override
            public String openApiFragment() {
                return "openapi/backups.json";
            }
        };
        HttpApi other = new HttpApi(json, metrics, List.of(failing), "test", null, Optional.empty());
        other.start(InetAddress.getLoopbackAddress(), 0);
        try {
            for (String path : List.of("/api/v1/away", "/api/v1/shutting-down")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
                        + path)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).as(path).contains("5");
                assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("database_unavailable");
                assertThat(r.body()).doesNotContain("administrator", "Connection is not available");
            }
            HttpResponse<String> bug = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
                    + "/api/v1/bug")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bug.statusCode()).isEqualTo(500);
            assertThat(json.readTree(bug.body()).path("error").asText()).isEqualTo("internal_error");
        } finally {
            other.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void unknownPathGetsJson404() throws Exception {
        var response = get("/api/v1/nothing-here");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("not_found");
        assertThat(body.path("detail").asText()).contains("/api/v1/nothing-here");
    }

    @Test
    void headRunsTheGetHandlerAndSendsNoBody() throws Exception {
        var get = get("/health/ready");
        var head = send("HEAD", "/health/ready");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(head.headers().firstValue("Cache-Control")).contains("no-store");

        // Javalin's own HEAD answer is 200 whatever GET would say: a 503 shows the GET handler ran.
        databaseUp.set(false);
        assertThat(send("HEAD", "/health/ready").statusCode()).isEqualTo(503);

        String answer = raw("HEAD /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("content-type: application/json");
        assertThat(answer).as("nothing after the headers").endsWith("\r\n\r\n");
    }

    @Test
    void optionsListsThePathsMethods() throws Exception {
        var options = send("OPTIONS", "/health");
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");

        var unknown = send("OPTIONS", "/api/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void requestsJettyRefusesBeforeAnyRouteGetJsonErrors() throws Exception {
        // Jetty's parser refuses a request line or headers longer than 8 KB.
        var longUri = get("/health?padding=" + "a".repeat(20_000));
        assertThat(longUri.statusCode()).isEqualTo(414);
        assertThat(longUri.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json.readTree(longUri.body()).path("error").asText()).isEqualTo("uri_too_long");
        assertThat(json.readTree(longUri.body()).path("detail").asText()).isEqualTo("URI Too Long");

        var longHeader = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/health"))
                .header("X-Padding", "a".repeat(20_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longHeader.statusCode()).isEqualTo(431);
        assertThat(json.readTree(longHeader.body()).path("error").asText()).isEqualTo("request_header_fields_too_large");

        String malformed = raw("GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(malformed).startsWith("HTTP/1.1 400");
        JsonNode body = json.readTree(malformed.substring(malformed.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("error").asText()).isEqualTo("bad_request");
        assertThat(body.path("detail").asText()).contains("Content-Length");
    }

    @Test
    void everyServedRouteIsInTheOpenApiDocument() throws Exception {
        JsonNode paths = json.readTree(get("/openapi.json").body()).path("paths");
        assertThat(api.routes()).isNotEmpty();
        for (var route : api.routes()) {
            assertThat(paths.path(route.path()).has(route.method().name().toLowerCase(Locale.ROOT)))
                    .as("OpenAPI documents %s %s", route.method(), route.path())
                    .isTrue();
        }
        assertThat(paths.size()).isEqualTo(api.routes().stream().map(RouteTable.Route::path).distinct().count());
    }

    @Test
    void metricsCountRequestsPerRouteTemplate() throws Exception {
        get("/health");
        get("/health");
        get("/no/such/path");
        String text = get("/metrics").body();
        assertThat(text).contains("rampart_http_requests_seconds_count{method=\"GET\",route=\"/health\",status=\"200\"} 2");
        assertThat(text).contains("route=\"unmatched\",status=\"404\"");
    }
}
