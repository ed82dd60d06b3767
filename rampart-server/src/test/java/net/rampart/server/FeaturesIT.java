package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature tables in the whole service: a RIPE RIS update dump imported through MRT import,
 * the tables brought up to date on request, a route's features served at a time inside the dump
 * and checked against what its history rows say, and bad requests refused naming their field.
 */
class FeaturesIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRisDumpsRoutesGetFeaturesThatAgreeWithTheirHistory(@TempDir Path dataDir) throws Exception {
        Path dump = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "mrt",
                "ripe_rrc15_2010.02_updates.20100227.1600.gz");
        assumeTrue(Files.isRegularFile(dump), "shared testdata not found at " + dump + "; skipped");
        int httpPort = ServiceProcess.freePort();
        // History kept for 20 years, so that the dump of 2010 stays in it.
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1", "RAMPART_DATA_DIR", dataDir.toString(),
                "RAMPART_ROUTE_RETENTION", "7300d");
        try (var service = ServiceProcess.start(environment); var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            var imported = post(client, service, httpPort, "/api/v1/mrt/imports?source=rrc15",
                    HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(dump)));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            JsonNode summary = json.readTree(imported.body());
            long events = summary.path("announcements").asLong() + summary.path("withdrawals").asLong();
            assertThat(events).isPositive();
            assertThat(summary.path("warning").isNull()).as(imported.body()).isTrue();

            long keys;
            String router;
            String peer;
            String prefix;
            var api = service.api(httpPort);
            // History is written behind the import's answer (withdrawals of routes the RIB did not hold are not events).
            assertThat(Daemon.await(Duration.ofMinutes(1), () -> {
                try {
                    double accepted = api.metric("rampart_history_accepted_events_total");
                    return accepted > 0 && api.metric("rampart_history_written_events_total") == accepted;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).as("history wrote every route event it took").isTrue();
            long written = (long) api.metric("rampart_history_written_events_total");
            try (Connection db = service.database()) {
                assertThat(ServiceProcess.queryLong(db, "SELECT count(*) FROM route_history")).isEqualTo(written);
                keys = ServiceProcess.queryLong(db, "SELECT count(*) FROM (SELECT DISTINCT peer_id, view, afi, safi, route_key, path_id"
                        + " FROM route_history) k");
                // The route with the most history rows: the busiest flapper of the quarter hour.
                try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                        SELECT r.name, host(p.address), h.prefix::text FROM route_history h
                        JOIN peer p ON p.id = h.peer_id JOIN router r ON r.id = h.router_id
                        WHERE h.prefix IS NOT NULL
                        GROUP BY r.name, p.address, h.prefix ORDER BY count(*) DESC, h.prefix LIMIT 1""")) {
                    rs.next();
                    router = rs.getString(1);
                    peer = rs.getString(2);
                    prefix = rs.getString(3);
                }
            }

            var refreshed = post(client, service, httpPort, "/api/v1/features/materialize",
                    HttpRequest.BodyPublishers.noBody());
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            JsonNode refresh = json.readTree(refreshed.body());
            assertThat(refresh.path("history_rows").asLong()).isEqualTo(written);
            // A route whose rows fall in two chunks of the refresh is written twice.
            assertThat(refresh.path("routes_written").asLong()).isBetween(keys, keys + 100);
            var again = json.readTree(post(client, service, httpPort, "/api/v1/features/materialize",
                    HttpRequest.BodyPublishers.noBody()).body());
            assertThat(again.path("history_rows").asLong()).as("nothing is read twice").isZero();
            try (Connection db = service.database()) {
                assertThat(ServiceProcess.queryLong(db, "SELECT count(*) FROM route_feature")).isEqualTo(keys);
            }

            // At the end of the dump's quarter hour every event of the route is inside the hour.
            String at = "2010-02-27T16:15:00Z";
            JsonNode served = serve(client, service, httpPort, "{\"at\": \"" + at + "\", \"routes\": [{\"router\": \""
                    + router + "\", \"peer\": \"" + peer + "\", \"prefix\": \"" + prefix + "\"}]}", 200);
            assertThat(served.path("as_of").asText()).startsWith("2010-02-27T16:15");
            JsonNode route = served.path("routes").get(0);
            assertThat(route.path("prefix").asText()).isEqualTo(prefix);
            assertThat(route.path("view").asText()).isEqualTo("adj-rib-in-pre");
            JsonNode features = route.path("features");
            try (Connection db = service.database(); PreparedStatement s = db.prepareStatement("""
                    SELECT count(*) FILTER (WHERE NOT is_withdrawn), count(*) FILTER (WHERE is_withdrawn)
                    FROM route_history h JOIN peer p ON p.id = h.peer_id JOIN router r ON r.id = h.router_id
                    WHERE r.name = ? AND host(p.address) = ? AND h.prefix = ?::cidr AND h.time <= ?::timestamptz""")) {
                s.setString(1, router);
                s.setString(2, peer);
                s.setString(3, prefix);
                s.setString(4, at);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(features.path("announcements_1h").asLong()).isEqualTo(rs.getLong(1));
                    assertThat(features.path("withdrawals_1h").asLong()).isEqualTo(rs.getLong(2));
                    assertThat(rs.getLong(1) + rs.getLong(2)).as("the busiest route changed").isGreaterThan(2);
                }
            }
            assertThat(features.path("announcements_24h")).isEqualTo(features.path("announcements_1h"));
            assertThat(features.path("state_changes_1h").asLong()).isPositive();
            assertThat(features.path("figure_of_merit").isNumber()).isTrue();

            JsonNode missing = serve(client, service, httpPort, "{\"routes\": [{\"router\": \"" + router
                    + "\", \"peer\": \"" + peer + "\"}]}", 400);
            assertThat(missing.path("field").asText()).isEqualTo("routes[0].prefix");
            JsonNode badPrefix = serve(client, service, httpPort, "{\"routes\": [{\"router\": \"" + router
                    + "\", \"peer\": \"" + peer + "\", \"prefix\": \"203.0.113.0/33\"}]}", 400);
            assertThat(badPrefix.path("field").asText()).isEqualTo("routes[0].prefix");
            JsonNode none = serve(client, service, httpPort, "{}", 400);
            assertThat(none.path("error").asText()).isEqualTo("invalid_field");
            JsonNode unknown = serve(client, service, httpPort, "{\"routes\": [{\"router\": \"" + router
                    + "\", \"peer\": \"" + peer + "\", \"prefix\": \"" + prefix + "\"}, {\"router\": \"" + router
                    + "\", \"peer\": \"" + peer + "\", \"prefix\": \"192.0.2.0/24\"}]}", 404);
            assertThat(unknown.path("error").asText()).isEqualTo("not_found");
            assertThat(unknown.path("field").asText()).isEqualTo("routes[1]");

            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private JsonNode serve(HttpClient client, ServiceProcess service, int port, String body, int status)
            throws Exception {
        var answer = post(client, service, port, "/api/v1/features/serve", HttpRequest.BodyPublishers.ofString(body));
        assertThat(answer.statusCode()).as(body + " -> " + answer.body()).isEqualTo(status);
        return json.readTree(answer.body());
    }

    private static HttpResponse<String> post(HttpClient client, ServiceProcess service, int port, String path,
                                             HttpRequest.BodyPublisher body) throws Exception {
        return client.send(service.request(port, path).header("Content-Type", "application/json").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
