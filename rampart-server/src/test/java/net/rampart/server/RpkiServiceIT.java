package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validate area in the real service: Routinator's golden exports load as a source and
 * come back out of {@code /json} and {@code /csv} with the same content; the REST API
 * answers; rtrclient counts what the API counts; serial and session survive a restart.
 */
class RpkiServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();

    private static Path testdata(String name) {
        String root = System.getProperty("rampart.testdata");
        assumeTrue(root != null && Files.isDirectory(Path.of(root, "rpki")),
                "shared testdata absent (rampart.testdata): skipping the RPKI service test");
        return Path.of(root, "rpki", name);
    }

    /** The running service's admin token, once it has written it. */
    private String token = "";

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(int port, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode awaitState(ServiceProcess service, int port) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                token = service.adminToken();
                HttpResponse<String> r = get(port, "/api/v1/state");
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("RPKI API did not come up; output:\n" + service.output());
    }

    private static Set<String> entries(JsonNode array, String... fields) {
        Set<String> out = new HashSet<>();
        for (JsonNode n : array) {
            StringBuilder sb = new StringBuilder();
            for (String f : fields) {
                sb.append(n.path(f)).append('|');
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void goldenExportsRoundTripAndTheApiAndRtrAgree(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("vrps.json");
        Files.copy(testdata("routinator-111.json"), source);
        int httpPort = ServiceProcess.freePort();
        int rtrPort = ServiceProcess.freePort();
        Map<String, String> env = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", Integer.toString(rtrPort), "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString(), "RAMPART_RPKI_SOURCES", "file:" + source,
                "RAMPART_RPKI_POLL_INTERVAL", "1d",
                // The golden sets are one or two items each: any change is a large fraction.
                "RAMPART_RPKI_MAX_SHRINK_PERCENT", "100");
        long serial;
        int session;
        try (ServiceProcess service = ServiceProcess.start(env)) {
            awaitState(service, httpPort);
            for (String set : List.of("111", "110", "101", "100", "011", "010", "001")) {
                Files.copy(testdata("routinator-" + set + ".json"), source, StandardCopyOption.REPLACE_EXISTING);
                post(httpPort, "/api/v1/rpki/refresh", "");
                JsonNode golden = JSON.readTree(testdata("routinator-" + set + ".json").toFile());
                JsonNode ours = JSON.readTree(get(httpPort, "/json").body());
                assertThat(ours.path("metadata")).as("metadata of %s", set).isEqualTo(golden.path("metadata"));
                assertThat(entries(ours.path("roas"), "asn", "prefix", "maxLength", "ta"))
                        .as("roas of %s", set).isEqualTo(entries(golden.path("roas"), "asn", "prefix", "maxLength", "ta"));
                assertThat(entries(ours.path("routerKeys"), "asn", "SKI", "routerPublicKey")).as("keys of %s", set)
                        .isEqualTo(entries(golden.path("routerKeys"), "asn", "SKI", "routerPublicKey"));
                assertThat(entries(ours.path("aspas"), "customer", "providers")).as("aspas of %s", set)
                        .isEqualTo(entries(golden.path("aspas"), "customer", "providers"));
                assertThat(new HashSet<>(get(httpPort, "/csv").body().lines().toList())).as("csv of %s", set)
                        .isEqualTo(new HashSet<>(Files.readAllLines(testdata("routinator-" + set + ".csv"))));
            }
            // An empty fetch after data looks wrong: the last good data stays.
            Files.copy(testdata("routinator-000.json"), source, StandardCopyOption.REPLACE_EXISTING);
            JsonNode refresh = post(httpPort, "/api/v1/rpki/refresh", "");
            assertThat(refresh.path("changed").asBoolean()).isFalse();
            JsonNode sources = JSON.readTree(get(httpPort, "/api/v1/rpki/sources").body()).path("sources").get(0);
            assertThat(sources.path("failures").asLong()).isEqualTo(1);
            assertThat(sources.path("last_error").asText()).contains("no data");

            // A larger set from StayRTR's sample, served over HTTP API and RTR alike.
            Files.copy(testdata("stayrtr-test.rpki.json"), source, StandardCopyOption.REPLACE_EXISTING);
            JsonNode afterStay = post(httpPort, "/api/v1/rpki/refresh", "");
            assertThat(afterStay.path("changed").asBoolean()).isTrue();
            JsonNode state = JSON.readTree(get(httpPort, "/api/v1/state").body());
            assertThat(state.path("vrp_count").asInt()).isEqualTo(19);
            assertThat(state.path("hash").asText()).hasSize(64);
            serial = state.path("serial").asLong();
            session = state.path("session_id").asInt();

            JsonNode valid = post(httpPort, "/api/v1/validate", "{\"asn\": \"AS13335\", \"prefix\": \"1.0.0.0/24\"}");
            assertThat(valid.path("state").asText()).isEqualTo("valid");
            JsonNode invalid = post(httpPort, "/api/v1/validate",
                    "{\"routes\": [{\"asn\": 13335, \"prefix\": \"1.0.4.0/24\"}, {\"asn\": 38803, \"prefix\": \"1.0.6.0/24\"},"
                            + " {\"asn\": 1, \"prefix\": \"203.0.113.0/24\"}]}");
            assertThat(invalid.path("results").findValuesAsText("state")).containsExactly("invalid", "invalid", "not-found");
            assertThat(invalid.path("results").findValuesAsText("reason")).contains("as", "length");

            JsonNode validity = JSON.readTree(get(httpPort, "/api/v1/validity/AS38803/1.0.5.0/24").body());
            assertThat(validity.at("/validated_route/validity/state").asText()).isEqualTo("valid");
            assertThat(validity.at("/validated_route/route/origin_asn").asText()).isEqualTo("AS38803");
            assertThat(validity.at("/validated_route/validity/VRPs/matched/0/max_length").asText()).isEqualTo("24");

            JsonNode vrps = JSON.readTree(get(httpPort, "/api/v1/vrps?prefix=1.0.4.0/22&match=more-specific").body());
            assertThat(vrps.path("matched").asInt()).isEqualTo(3);
            assertThat(vrps.has("total")).isFalse();
            // /api/v1/vrps pages like every other list (docs/api.md); the whole set is /json and /csv.
            JsonNode page = JSON.readTree(get(httpPort, "/api/v1/vrps?limit=5").body());
            assertThat(page.path("items")).hasSize(5);
            assertThat(page.path("matched").asInt()).isEqualTo(19);
            String cursor = page.path("next_cursor").asText();
            JsonNode next = JSON.readTree(get(httpPort, "/api/v1/vrps?limit=5&cursor=" + cursor).body());
            assertThat(next.path("items")).hasSize(5).doesNotContainAnyElementsOf(page.path("items"));
            JsonNode last = JSON.readTree(get(httpPort, "/api/v1/vrps?limit=1000").body());
            assertThat(last.path("items")).hasSize(19);
            assertThat(last.path("next_cursor").isNull()).isTrue();
            // The old integer cursor, garbage, and the old 10 000 maximum are refused naming the parameter.
            for (String bad : List.of("cursor=5", "cursor=garbage", "limit=0", "limit=10000")) {
                HttpResponse<String> refused = get(httpPort, "/api/v1/vrps?" + bad);
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(JSON.readTree(refused.body()).path("error").asText()).as(bad).isEqualTo("invalid_parameter");
                assertThat(JSON.readTree(refused.body()).path("field").asText()).as(bad).isEqualTo(bad.split("=")[0]);
            }
            HttpResponse<String> badPrefix = get(httpPort, "/api/v1/vrps?prefix=1.0.0.1/24");
            assertThat(badPrefix.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(badPrefix.body()).path("field").asText()).isEqualTo("prefix");

            JsonNode diff = JSON.readTree(get(httpPort, "/api/v1/diff?from=" + (serial - 1)).body());
            assertThat(diff.path("announced").size()).isEqualTo(19);
            assertThat(get(httpPort, "/api/v1/diff?from=" + (serial + 50)).statusCode()).isEqualTo(404);

            HttpResponse<String> json = get(httpPort, "/json");
            String etag = json.headers().firstValue("ETag").orElseThrow();
            assertThat(get(httpPort, "/json", "If-None-Match", etag).statusCode()).isEqualTo(304);

            JsonNode openapi = JSON.readTree(get(httpPort, "/openapi.json").body()).path("paths");
            assertThat(openapi.has("/api/v1/validity/{asn}/{address}/{length}")).isTrue();

            String metrics = get(httpPort, "/metrics").body();
            assertThat(metrics).contains("rampart_rpki_vrps 19.0", "rampart_rpki_fetch_failures_total{source=\"file:");

            assumeTrue(onPath("rtrclient"), "rtrclient not installed: skipping the RTR part");
            Path csv = dir.resolve("rtr.csv");
            Process p = new ProcessBuilder("rtrclient", "-e", "-t", "csv", "-o", csv.toString(), "tcp", "127.0.0.1",
                    Integer.toString(rtrPort)).redirectErrorStream(true).redirectOutput(dir.resolve("rtr.out").toFile())
                    .start();
            try {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            assertThat(Files.readAllLines(csv).stream().filter(l -> !l.isBlank())).hasSize(19);
            assertThat(service.terminate(TIMEOUT)).isZero();
        }
        try (ServiceProcess service = ServiceProcess.start(env)) {
            JsonNode state = awaitState(service, httpPort);
            assertThat(state.path("session_id").asInt()).isEqualTo(session);
            assertThat(state.path("serial").asLong()).isGreaterThanOrEqualTo(serial);
            assertThat(state.path("vrp_count").asInt()).isEqualTo(19);
            assertThat(service.terminate(TIMEOUT)).isZero();
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
