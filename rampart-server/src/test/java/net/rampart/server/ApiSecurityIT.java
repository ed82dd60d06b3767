package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.rampart.cli.RampartCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's bearer tokens on the real service: the bootstrap admin token, tokens created and
 * revoked with the command line, scopes, per-token rate limits, public routes (the dashboard's
 * page among them), headers, and changes attributed to the token that made them.
 */
class ApiSecurityIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void tokensScopesRevocationRateLimitsAndHeaders() throws Exception {
        int httpPort = ServiceProcess.freePort();
        Path dataDir = dir.resolve("data");
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1", "RAMPART_DATA_DIR", dataDir.toString(),
                "RAMPART_API_RATE_LIMIT", "1", "RAMPART_API_RATE_BURST", "30");
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            Path tokenFile = dataDir.resolve("admin.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            assertThat(service.event("admin_token_created")).as(service.output()).isPresent();
            String admin = service.adminToken();
            assertThat(service.output()).doesNotContain(admin);

            // Public routes answer without a token, with the security headers.
            HttpResponse<String> health = send(httpPort, "GET", "/health", null, null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(health.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(health.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(send(httpPort, "GET", "/metrics", null, null).statusCode()).isEqualTo(200);
            JsonNode openApi = json.readTree(send(httpPort, "GET", "/openapi.json", null, null).body());
            assertThat(openApi.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
            assertThat(openApi.at("/paths/~1api~1v1~1tokens/post/x-required-scope").asText()).isEqualTo("admin");
            assertThat(openApi.at("/paths/~1health/get/security")).isEmpty();

            // The dashboard's page and files are public, for GET and HEAD alike (the page answered
            // 401 when it was a static file the guard saw as "*"), under a self-only CSP.
            HttpResponse<String> start = send(httpPort, "GET", "/", null, null);
            assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
            assertThat(start.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(start.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe"));
            assertThat(start.body()).contains("href=\"/health\"", "href=\"/health/ready\"", "href=\"/metrics\"",
                    "href=\"/openapi.json\"", "docs/configuration.md", "src=\"/ui/app.js\"");
            assertThat(send(httpPort, "HEAD", "/", null, null).statusCode()).isEqualTo(200);
            assertThat(openApi.at("/paths/~1/get/security").isArray()).as("the dashboard page is documented as public").isTrue();

            // No token, a malformed one, an unknown one: 401 with a JSON body and the challenge.
            HttpResponse<String> none = send(httpPort, "GET", "/api/v1/routers", null, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(json.readTree(none.body()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(send(httpPort, "GET", "/api/v1/routers", "not-a-token", null).statusCode()).isEqualTo(401);
            assertThat(send(httpPort, "GET", "/api/v1/routers", "rmp_" + "A".repeat(43), null).statusCode()).isEqualTo(401);

            // The command line creates tokens with the admin token from the data directory.
            List<String> created = cli(dataDir, httpPort, "tokens", "create", "--scope", "read", "--name", "grafana");
            String reader = created.get(created.size() - 1);
            assertThat(reader).startsWith("rmp_");
            List<String> operatorLines = cli(dataDir, httpPort, "tokens", "create", "--scope", "operator", "--name", "noc");
            String operator = operatorLines.get(operatorLines.size() - 1);
            JsonNode listed = json.readTree(send(httpPort, "GET", "/api/v1/tokens", admin, null).body());
            assertThat(listed.path("items")).extracting(t -> t.path("name").asText())
                    .contains("bootstrap-admin", "grafana", "noc");
            assertThat(listed.toString()).doesNotContain(reader).doesNotContain(admin);

            // A token name the database cannot store is refused naming the field; the good one after it is kept.
            HttpResponse<String> nulName = send(httpPort, "POST", "/api/v1/tokens", admin,
                    "{\"name\":\"graf\\u0000ana\",\"scope\":\"read\"}");
            assertThat(nulName.statusCode()).as(nulName.body()).isEqualTo(400);
            assertThat(json.readTree(nulName.body()).path("error").asText()).isEqualTo("invalid_field");
            assertThat(json.readTree(nulName.body()).path("detail").asText())
                    .isEqualTo("name: contains a control character (U+0000) at position 5");
            HttpResponse<String> longName = send(httpPort, "POST", "/api/v1/tokens", admin,
                    "{\"name\":\"" + "n".repeat(129) + "\",\"scope\":\"read\"}");
            assertThat(json.readTree(longName.body()).path("detail").asText()).isEqualTo("name: 129 characters, at most 128");
            HttpResponse<String> goodName = send(httpPort, "POST", "/api/v1/tokens", admin,
                    "{\"name\":\"grafana-2\",\"scope\":\"read\"}");
            assertThat(goodName.statusCode()).as(goodName.body()).isEqualTo(201);
            assertThat(json.readTree(send(httpPort, "GET", "/api/v1/tokens", admin, null).body()).path("items"))
                    .extracting(t -> t.path("name").asText()).contains("grafana-2").doesNotContain("graf\u0000ana");

            // Tokens page like every other list: limit, matched, an opaque next_cursor to the rest, a bad one a 400.
            JsonNode firstPage = json.readTree(send(httpPort, "GET", "/api/v1/tokens?limit=2", admin, null).body());
            assertThat(firstPage.path("items")).hasSize(2);
            assertThat(firstPage.path("matched").asInt()).isEqualTo(4);
            JsonNode lastPage = json.readTree(send(httpPort, "GET",
                    "/api/v1/tokens?limit=2&cursor=" + firstPage.path("next_cursor").asText(), admin, null).body());
            assertThat(lastPage.path("next_cursor").isNull()).as(lastPage.toString()).isTrue();
            List<String> paged = new ArrayList<>();
            firstPage.path("items").forEach(t -> paged.add(t.path("name").asText()));
            lastPage.path("items").forEach(t -> paged.add(t.path("name").asText()));
            assertThat(paged).containsExactlyInAnyOrder("bootstrap-admin", "grafana", "noc", "grafana-2");
            for (String bad : List.of("cursor=garbage", "limit=0", "limit=1001")) {
                HttpResponse<String> refusedPage = send(httpPort, "GET", "/api/v1/tokens?" + bad, admin, null);
                assertThat(refusedPage.statusCode()).as(bad).isEqualTo(400);
                assertThat(json.readTree(refusedPage.body()).path("error").asText()).isEqualTo("invalid_parameter");
                assertThat(json.readTree(refusedPage.body()).path("field").asText()).isEqualTo(bad.split("=")[0]);
            }

            // A query parameter is checked after the token (no token: 401), then refused naming it.
            assertThat(send(httpPort, "GET", "/api/v1/routes?router=r%00", null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> nulRouter = send(httpPort, "GET", "/api/v1/routes?router=r%00", reader, null);
            assertThat(nulRouter.statusCode()).as(nulRouter.body()).isEqualTo(400);
            assertThat(json.readTree(nulRouter.body()).path("detail").asText())
                    .isEqualTo("router: contains a control character (U+0000) at position 2");

            // Scopes: read reads; read cannot change; operator changes, attributed to its token; only admin manages tokens.
            assertThat(send(httpPort, "GET", "/api/v1/routers", reader, null).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = send(httpPort, "POST", "/api/v1/safelist", reader,
                    "{\"prefix\":\"198.51.100.0/24\",\"operator\":\"alice\",\"reason\":\"resolvers\"}");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json.readTree(refused.body()).path("detail").asText()).contains("'operator'");
            HttpResponse<String> added = send(httpPort, "POST", "/api/v1/safelist", operator,
                    "{\"prefix\":\"198.51.100.0/24\",\"operator\":\"alice\",\"reason\":\"resolvers\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(json.readTree(added.body()).path("origin").asText()).startsWith("operator:alice via token:noc(");
            assertThat(send(httpPort, "GET", "/api/v1/tokens", operator, null).statusCode()).isEqualTo(403);
            // Bodies are limited to 1 MB, with a JSON answer like every other refusal.
            HttpResponse<String> huge = send(httpPort, "POST", "/api/v1/events", operator,
                    "{\"raw_details\":\"" + "x".repeat(1_100_000) + "\"}");
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(json.readTree(huge.body()).path("detail").asText()).isNotEmpty();

            // Revocation through the command line takes effect at once.
            String readerId = listed.path("items").findParents("name").stream()
                    .filter(t -> t.path("name").asText().equals("grafana")).findFirst().orElseThrow().path("id").asText();
            assertThat(cli(dataDir, httpPort, "tokens", "revoke", readerId)).contains("revoked " + readerId);
            assertThat(send(httpPort, "GET", "/api/v1/routers", reader, null).statusCode()).isEqualTo(401);
            assertThat(send(httpPort, "DELETE", "/api/v1/tokens/" + readerId, admin, null).statusCode()).isEqualTo(404);

            // Each token has its own bucket: 1 request/s with a burst of 30 runs out within 40 quick requests.
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> limited = null;
            for (int i = 0; i < 40 && limited == null; i++) {
                HttpResponse<String> r = send(httpPort, "GET", "/api/v1/routers", operator, null);
                statuses.add(r.statusCode());
                limited = r.statusCode() == 429 ? r : null;
            }
            assertThat(limited).as("statuses %s", statuses).isNotNull();
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(json.readTree(limited.body()).path("error").asText()).isEqualTo("rate_limited");
            assertThat(send(httpPort, "GET", "/api/v1/routers", admin, null).statusCode()).isEqualTo(200);
            String metrics = send(httpPort, "GET", "/metrics", null, null).body();
            assertThat(metrics).contains("rampart_http_auth_failures_total{reason=\"missing\"}",
                    "rampart_http_auth_failures_total{reason=\"scope\"}", "rampart_http_rate_limited_total");

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
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

    /** Runs {@code rampart ARGS} as its own process, as an operator would; returns its output lines. */
    private List<String> cli(Path dataDir, int port, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                RampartCli.class.getName(), "--url", "http://127.0.0.1:" + port));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("RAMPART_"));
        builder.environment().put("RAMPART_DATA_DIR", dataDir.toString());
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("rampart %s: %s", String.join(" ", args), output).isZero();
        return output.lines().toList();
    }
}
