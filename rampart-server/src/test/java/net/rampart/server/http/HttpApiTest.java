package net.rampart.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
