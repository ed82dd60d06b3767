package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real RIPE RIS dump streamed to the running service lands in its RIB under the source's name. */
class MrtImportApiIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void importedRoutesAreServedAndBadFilesAreRefused(@TempDir Path dataDir) throws Exception {
        Path dump = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "mrt",
                "ripe_rrc15_2010.02_updates.20100227.1600.gz");
        assumeTrue(Files.isRegularFile(dump), "shared testdata not found at " + dump + "; skipped");
        int httpPort = ServiceProcess.freePort();
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1", "RAMPART_DATA_DIR", dataDir.toString());
        try (var service = ServiceProcess.start(environment); var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();

            var imported = post(client, service, httpPort, "/api/v1/mrt/imports?source=rrc15", Files.readAllBytes(dump));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            JsonNode summary = json.readTree(imported.body());
            assertThat(summary.path("source").asText()).isEqualTo("rrc15");
            assertThat(summary.path("announcements").asLong()).isPositive();
            assertThat(summary.path("bad_records").asLong()).isZero();

            JsonNode routes = json.readTree(client.send(service.request(httpPort, "/api/v1/routes?router=mrt:rrc15&limit=5")
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(routes.path("matched").asLong()).isPositive();
            assertThat(routes.path("items")).hasSize(5);
            assertThat(routes.path("items").get(0).path("view").asText()).isEqualTo("adj-rib-in-pre");

            var garbage = post(client, service, httpPort, "/api/v1/mrt/imports?source=junk", new byte[] {0, 0, 0, 1, 0, 13, 0, 1, 0x7f, 0x7f, 0x7f, 0x7f, 1});
            assertThat(garbage.statusCode()).isEqualTo(422);
            assertThat(json.readTree(garbage.body()).path("error").asText()).isEqualTo("mrt_unreadable");

            var nameless = post(client, service, httpPort, "/api/v1/mrt/imports", new byte[0]);
            assertThat(nameless.statusCode()).isEqualTo(400);
            assertThat(json.readTree(nameless.body()).path("detail").asText()).contains("source is required");

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private static HttpResponse<String> post(HttpClient client, ServiceProcess service, int port, String path,
                                             byte[] body) throws Exception {
        return client.send(service.request(port, path)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
