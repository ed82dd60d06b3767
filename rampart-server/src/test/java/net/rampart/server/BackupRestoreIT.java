package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.TableContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 22's restore test: a running service holding routes and their history (a RIPE RIS dump
 * imported), VRP snapshots, a mitigation, tokens and their audit is backed up through the API
 * with PostgreSQL's own pg_dump; the backup is restored with {@code ./rampart restore} into a new
 * data directory; every table then holds the same rows (count and a checksum of the rows, table by
 * table) as the service's database did when the backup was taken, and a service started on it
 * serves them.
 */
class BackupRestoreIT {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aBackupRestoredIntoANewDataDirectoryHoldsEveryTableAsItWas(@TempDir Path dir) throws Exception {
        String root = System.getProperty("rampart.testdata");
        assumeTrue(root != null && Files.isDirectory(Path.of(root, "rpki")), "shared testdata absent (rampart.testdata)");
        Path pgBin = pgBin();
        Path vrps = Files.copy(Path.of(root, "rpki", "routinator-111.json"), dir.resolve("vrps.json"));
        Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 30m}
                """);
        Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24]
                """);
        int httpPort = ServiceProcess.freePort();
        Map<String, String> environment = new HashMap<>(Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("source").toString(), "RAMPART_RPKI_SOURCES", "file:" + vrps,
                "RAMPART_PG_BIN", pgBin.toString(), "RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString(),
                "RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString(), "RAMPART_POP", "ams1"));
        environment.put("RAMPART_HISTORY_CHECKPOINT_INTERVAL", "2s");
        // A BGP peer nobody answers: the mitigation is decided and stored, its announcement waits.
        environment.putAll(Map.of("RAMPART_BGP_ASN", "65000", "RAMPART_BGP_ROUTER_ID", "10.0.0.1",
                "RAMPART_BGP_PEERS", "127.0.0.1:" + ServiceProcess.freePort() + "/65001"));

        Map<String, String> backedUp;
        Path downloaded = dir.resolve("downloaded.dump");
        String backupName;
        try (ServiceProcess service = ServiceProcess.start(environment); HttpClient client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            fill(service, client, httpPort, Path.of(root, "mrt", "ripe_rrc15_2010.02_updates.20100227.1600.gz"));

            // What the service stores after answering (history, its checkpoint, the VRP state, the
            // mitigation) is in before the backup is taken.
            List<String> filled = List.of("route_history", "current_route", "path_attributes", "rpki_state",
                    "mitigation", "mitigation_audit", "mitigation_event", "api_token", "flyway_schema_history");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!empty(service, filled).isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(empty(service, filled)).as("tables without rows").isEmpty();

            // The service writes now and then by itself (checkpoints, VRP refreshes): a backup counts
            // when the tables read the same just before and just after it.
            JsonNode backup = null;
            backedUp = null;
            for (int attempt = 0; attempt < 5 && backedUp == null; attempt++) {
                Map<String, String> before = contents(service);
                HttpResponse<String> taken = client.send(service.request(httpPort, "/api/v1/backups")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
                backup = json.readTree(taken.body());
                if (contents(service).equals(before)) {
                    backedUp = before;
                }
            }
            assertThat(backedUp).as("the database kept changing around every backup").isNotNull();
            backupName = backup.path("name").asText();
            JsonNode listed = service.api(httpPort).get("/api/v1/backups");
            assertThat(listed.path("items").findValuesAsText("name")).contains(backupName);
            HttpResponse<Path> file = client.send(service.request(httpPort, "/api/v1/backups/" + backupName).build(),
                    HttpResponse.BodyHandlers.ofFile(downloaded));
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(Files.mismatch(downloaded, dir.resolve("source").resolve("backups").resolve(backupName)))
                    .isEqualTo(-1);
            HttpResponse<String> missing = client.send(service.request(httpPort, "/api/v1/backups/rampart-x.dump")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
        }

        Path target = dir.resolve("target");
        Process restore = launcher(Map.of("RAMPART_DATA_DIR", target.toString(), "RAMPART_PG_BIN", pgBin.toString()),
                "restore", downloaded.toString());
        String restored = new String(restore.getInputStream().readAllBytes());
        assertThat(restore.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(restore.exitValue()).as(restored).isZero();
        assertThat(restored).contains("restored " + downloaded);
        try (Database database = Database.openUnmigrated(DatabaseSettings.embedded(target.resolve("postgres")))) {
            assertThat(contents(database)).isEqualTo(backedUp);
        }

        // Again into the same, now full, directory: refused, and nothing changes.
        Process again = launcher(Map.of("RAMPART_DATA_DIR", target.toString(), "RAMPART_PG_BIN", pgBin.toString()),
                "restore", downloaded.toString());
        String refused = new String(again.getInputStream().readAllBytes());
        assertThat(again.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(again.exitValue()).as(refused).isEqualTo(1);
        assertThat(refused).contains("already holds").contains("--force");

        // The tokens come back with the database; the bootstrap admin's secret is a file of the
        // old data directory, which an operator keeps as they keep the backup.
        Files.copy(dir.resolve("source").resolve("admin.token"), target.resolve("admin.token"));
        environment.put("RAMPART_DATA_DIR", target.toString());
        try (ServiceProcess service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            var api = service.api(httpPort);
            assertThat(api.get("/api/v1/routes?router=mrt:rrc15&limit=1").path("matched").asLong()).isPositive();
            assertThat(api.get("/api/v1/mitigations").path("items").findValuesAsText("victim_ip")).contains("192.0.2.10");
            assertThat(api.get("/api/v1/tokens").path("items").findValuesAsText("name")).contains("grafana");
            assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void onScheduleAnOverdueBackupIsTakenAtStartAndOnlyTheNewestAreKept(@TempDir Path dir) throws Exception {
        Path backups = Files.createDirectories(dir.resolve("data").resolve("backups"));
        for (String day : List.of("01", "02", "03")) {
            Files.writeString(backups.resolve("rampart-202612" + day + "T030000000Z.dump"), "an older backup");
        }
        int httpPort = ServiceProcess.freePort();
        Map<String, String> environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString(), "RAMPART_PG_BIN", pgBin().toString(),
                "RAMPART_BACKUP_SCHEDULE", "1d", "RAMPART_BACKUP_KEEP", "2");
        try (ServiceProcess service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.event("backup_created").isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            String taken = service.event("backup_created").orElseThrow(() -> new AssertionError(service.output()))
                    .path("file").asText();
            // Pruned right after the backup it follows; the scheduler thread may still be at it.
            while (fileNames(backups).size() > 2 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(fileNames(backups)).containsExactlyInAnyOrder(Path.of(taken).getFileName().toString(),
                    "rampart-20261203T030000000Z.dump");
            String metrics = client().send(service.request(httpPort, "/metrics").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("rampart_backups_total{outcome=\"created\"} 1.0")
                    .contains("rampart_backups_total{outcome=\"failed\"} 0.0");
            assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void aScheduleWithoutAUsablePgDumpStopsTheStartNamingTheSetting(@TempDir Path dir) throws Exception {
        List<Path> unusable = new ArrayList<>(List.of(Files.createDirectories(dir.resolve("empty"))));
        // Debian 12's own client, where installed, is of an older PostgreSQL than the embedded server.
        Path debianClient = Path.of("/usr/lib/postgresql/15/bin");
        if (Files.isExecutable(debianClient.resolve("pg_dump"))) {
            unusable.add(debianClient);
        }
        for (Path bin : unusable) {
            int httpPort = ServiceProcess.freePort();
            try (ServiceProcess service = ServiceProcess.start(Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                    "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", dir.resolve("data").toString(), "RAMPART_PG_BIN", bin.toString(),
                    "RAMPART_BACKUP_SCHEDULE", "1d"))) {
                assertThat(service.awaitExit(START_TIMEOUT)).as(service.output()).isEqualTo(2);
                assertThat(service.stderr()).as(service.output()).anySatisfy(line -> assertThat(line)
                        .startsWith("rampart: configuration error: RAMPART_BACKUP_SCHEDULE: backups cannot be taken: "));
            }
        }
    }

    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }

    private static List<String> fileNames(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** RAMPART_PG_BIN, else where deploy/install-pg-client.sh installs pg_dump and pg_restore. */
    private static Path pgBin() {
        Path bin = Optional.ofNullable(System.getenv("RAMPART_PG_BIN")).map(Path::of)
                .orElse(REPOSITORY.resolve("pg-client").resolve("bin"));
        assertThat(bin.resolve("pg_dump")).as("pg_dump 17; run deploy/install-pg-client.sh").isExecutable();
        return bin;
    }

    /** Those of {@code tables} that hold no row yet. */
    private static List<String> empty(ServiceProcess service, List<String> tables) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection db = service.database()) {
            for (String table : tables) {
                if (TableContents.column(db, "SELECT EXISTS (SELECT 1 FROM public.\"" + table + "\")").getFirst().equals("f")) {
                    out.add(table);
                }
            }
        }
        return out;
    }

    /** Routes and history (an MRT import), a token, and a mitigation with its audit. */
    private void fill(ServiceProcess service, HttpClient client, int port, Path dump) throws Exception {
        HttpResponse<String> imported = client.send(service.request(port, "/api/v1/mrt/imports?source=rrc15")
                .POST(HttpRequest.BodyPublishers.ofFile(dump)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        HttpResponse<String> token = client.send(service.request(port, "/api/v1/tokens")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"grafana\",\"scope\":\"read\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        HttpResponse<String> event = client.send(service.request(port, "/api/v1/events")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"event_id":"backup-1","timestamp":"2026-12-07T08:00:00Z","source":"fastnetmon",
                         "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.9,"top_dst_ports":[53]}
                        """)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
    }

    private Process launcher(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(REPOSITORY.resolve("rampart").toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("RAMPART_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static Map<String, String> contents(ServiceProcess service) throws Exception {
        try (Connection db = service.database()) {
            return TableContents.of(db);
        }
    }

    private static Map<String, String> contents(Database database) throws SQLException {
        try (Connection db = database.dataSource().getConnection()) {
            return TableContents.of(db);
        }
    }
}
