package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.rampart.server.RampartService;
import net.rampart.server.config.MitigationConfig;
import net.rampart.server.config.Settings;
import net.rampart.server.mitigation.MitigationService;
import net.rampart.server.mitigation.PostgresMitigationStore;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection (issue 22): the database stops taking attack events. A second connection
 * holds an EXCLUSIVE lock on {@code mitigation_event}, so the mitigation writer's insert waits
 * on it as it would on a slow or locked database. {@code POST /api/v1/events} must keep
 * answering at once: 202 while the write queue has room, then 503 with {@code Retry-After}
 * once it is full, a refused event changing nothing. When the lock goes, every accepted event
 * reaches the table, and the events refused are taken when sent again.
 *
 * <p>The queue is 20 writes here instead of the service's 100 000: the same writer, filled sooner.
 */
class SlowMitigationDatabaseIT {

    private static final int WRITE_QUEUE = 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** An answer slower than this is a hang: the intake must never wait for the database. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();

    @Test
    void aLockedEventTableFillsTheQueueToA503WithRetryAfterAndEveryAcceptedEventIsStoredOnceItGoes()
            throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("postgres")))) {
            Files.writeString(dir.resolve("inventory.yaml"), MitigationRoutesIT.INVENTORY);
            Files.writeString(dir.resolve("playbooks.yaml"), MitigationRoutesIT.PLAYBOOKS);
            Settings settings = new Settings(Map.of(
                    MitigationConfig.POP, "ams1",
                    MitigationConfig.INVENTORY, dir.resolve("inventory.yaml").toString(),
                    MitigationConfig.PLAYBOOKS, dir.resolve("playbooks.yaml").toString(),
                    // The rate limit is not what is tested: it must not answer first.
                    MitigationConfig.EVENTS_PER_SECOND, "1000000"));
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ObjectMapper mapper = RampartService.jsonMapper();
            MitigationConfig config = MitigationConfig.from(settings, dir);
            MitigationService service = new MitigationService(config,
                    MitigationService.loadPolicy(config, Clock.systemUTC()),
                    new PostgresMitigationStore(database.dataSource(), metrics, WRITE_QUEUE), metrics,
                    Clock.systemUTC(), InetAddress.getLoopbackAddress(), mapper);
            service.start();
            HttpApi http = new HttpApi(mapper, metrics, List.of(new MitigationRoutes(service, mapper)), "test", null,
                    Optional.empty());
            http.start(InetAddress.getLoopbackAddress(), 0);
            try {
                assertThat(post(http, "before").statusCode()).isEqualTo(202);
                awaitStored(database, 1, "the first event, before the lock");

                Set<String> accepted = new HashSet<>(Set.of("before"));
                List<String> refused = new ArrayList<>();
                HttpResponse<String> full;
                try (Connection locker = database.dataSource().getConnection();
                     Statement lock = locker.createStatement()) {
                    locker.setAutoCommit(false);
                    lock.execute("LOCK TABLE mitigation_event IN EXCLUSIVE MODE");

                    // The writer takes what is queued into its batch, then waits on the lock; the
                    // queue behind it fills. More posts than it and a whole batch could ever hold
                    // without a 503 would mean the queue is not bounded.
                    full = null;
                    for (int i = 0; i < WRITE_QUEUE + 2_000 + 10 && full == null; i++) {
                        String id = "locked-" + i;
                        HttpResponse<String> r = post(http, id);
                        if (r.statusCode() == 202) {
                            accepted.add(id);
                        } else {
                            full = r;
                            refused.add(id);
                        }
                    }
                    assertThat(full).as("a 503 once %d writes wait", WRITE_QUEUE).isNotNull();
                    assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
                    assertThat(MAPPER.readTree(full.body()).path("error").asText()).isEqualTo("database_unavailable");
                    assertThat(full.headers().firstValue("Retry-After")).as("Retry-After on the 503")
                            .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
                    assertThat(accepted.size()).as("events accepted while the table was locked")
                            .isGreaterThan(WRITE_QUEUE);

                    // Still locked: the next events are refused at once too, and so is the same one again
                    // (a refused event was not remembered, so it is not a duplicate).
                    HttpResponse<String> again = post(http, refused.get(0));
                    assertThat(again.statusCode()).as(again.body()).isEqualTo(503);
                    HttpResponse<String> another = post(http, "locked-another");
                    assertThat(another.statusCode()).as(another.body()).isEqualTo(503);
                    refused.add("locked-another");
                    assertThat(storedIds(database, locker)).as("nothing written past the lock")
                            .containsExactly("before");
                    locker.rollback();
                }

                // The lock is gone: the queue drains, every accepted event is stored, none refused is.
                awaitStored(database, accepted.size(), "every accepted event");
                assertThat(storedIds(database, null)).isEqualTo(accepted);

                // Recovered: the events refused are taken now, and stored.
                for (String id : refused) {
                    HttpResponse<String> r = post(http, id);
                    assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(202);
                    accepted.add(id);
                }
                awaitStored(database, accepted.size(), "the events refused, sent again");
                assertThat(storedIds(database, null)).isEqualTo(accepted);
            } finally {
                http.stop(Duration.ofSeconds(1));
                service.stop(Duration.ofSeconds(5));
            }
        }
    }


    /** One event; the same victim and vector each time, so that the playbook extends one mitigation. */
    private HttpResponse<String> post(HttpApi http, String id) throws Exception {
        String body = """
                {"event_id":"%s","timestamp":"%s","source":"it","victim_ip":"192.0.2.10","vector":"udp_flood",
                 "bps":900000000,"confidence":0.6,"top_dst_ports":[53]}
                """.formatted(id, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/api/v1/events"))
                .timeout(ANSWER_TIMEOUT).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // A request that outlives ANSWER_TIMEOUT throws HttpTimeoutException: the intake hung.
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitStored(Database database, int count, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            seen = storedIds(database, null).size();
            if (seen == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waiting for " + what + ": " + seen + " of " + count + " events stored");
    }

    /** The ids in mitigation_event, read on {@code through} when given (the lock's own connection). */
    private static Set<String> storedIds(Database database, Connection through) throws SQLException {
        Connection c = through != null ? through : database.dataSource().getConnection();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT event_id FROM mitigation_event")) {
            Set<String> ids = new HashSet<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        } finally {
            if (through == null) {
                c.close();
            }
        }
    }
}
