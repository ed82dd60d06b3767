package net.rampart.store.backup;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.TableContents;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.RouteCheckpoint;
import net.rampart.store.route.TimePartitions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backups with PostgreSQL's own pg_dump and pg_restore (of the embedded server's version, as
 * deploy/install-pg-client.sh installs them) against real embedded servers: what is restored
 * equals what was backed up, table by table, and a restore never overwrites data unasked.
 */
class DatabaseBackupIT {

    private static PgTools tools;

    /** The client programs: RAMPART_PG_BIN, else the repository's pg-client/bin (deploy/install-pg-client.sh). */
    @BeforeAll
    static void locateTools() throws BackupException {
        Path bin = Optional.ofNullable(System.getenv("RAMPART_PG_BIN")).map(Path::of)
                .orElse(Path.of("..", "pg-client", "bin").toAbsolutePath().normalize());
        assertThat(bin.resolve("pg_dump")).as("pg_dump 17; run deploy/install-pg-client.sh").isExecutable();
        tools = PgTools.locate(Optional.of(bin), "RAMPART_PG_BIN");
    }

    @Test
    void aRestoredDatabaseHoldsWhatWasBackedUpTableByTable(@TempDir Path dir) throws Exception {
        Map<String, String> before;
        DatabaseBackups.Backup backup;
        try (Database source = Database.open(DatabaseSettings.embedded(dir.resolve("source")))) {
            fill(source.dataSource());
            before = contents(source.dataSource());
            var backups = new DatabaseBackups(source, dir.resolve("backups"), Clock.systemUTC());
            backup = backups.create(tools);
            assertThat(backups.list()).containsExactly(backup);
            assertThat(backups.file(backup.name())).isPresent();
            assertThat(Files.getPosixFilePermissions(backups.file(backup.name()).orElseThrow()))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("backups")))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            // No half-written file is left beside it.
            try (var files = Files.list(dir.resolve("backups"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(backup.name());
            }
        }
        assertThat(backup.bytes()).isPositive();
        assertThat(before).containsKeys("service_run", "path_attributes", "current_route", "flyway_schema_history");
        assertThat(before.get("route_history")).startsWith("300 ");
        assertThat(before.get("service_run")).startsWith("2 ");

        try (Database target = Database.openUnmigrated(DatabaseSettings.embedded(dir.resolve("target")))) {
            long tables = new DatabaseRestore(target, tools).restore(dir.resolve("backups").resolve(backup.name()), false);
            assertThat(tables).isPositive();
            assertThat(contents(target.dataSource())).isEqualTo(before);
        }
        // The service's next start finds the schema current and the rows in place.
        try (Database reopened = Database.open(DatabaseSettings.embedded(dir.resolve("target")))) {
            assertThat(contents(reopened.dataSource())).isEqualTo(before);
        }
    }

    @Test
    void aDatabaseThatHoldsTablesIsRefusedUnlessReplacing(@TempDir Path dir) throws Exception {
        Path file;
        try (Database source = Database.open(DatabaseSettings.embedded(dir.resolve("source")))) {
            fill(source.dataSource());
            var backups = new DatabaseBackups(source, dir.resolve("backups"), Clock.systemUTC());
            file = dir.resolve("backups").resolve(backups.create(tools).name());
        }
        try (Database target = Database.open(DatabaseSettings.embedded(dir.resolve("target")))) {
            exec(target.dataSource(), "INSERT INTO service_run (version, host) VALUES ('kept', 'target')");
            Map<String, String> own = contents(target.dataSource());
            var restore = new DatabaseRestore(target, tools);

            assertThatThrownBy(() -> restore.restore(file, false)).isInstanceOf(BackupException.class)
                    .hasMessageContaining("already holds").hasMessageContaining("--force");
            assertThat(contents(target.dataSource())).isEqualTo(own);

            restore.restore(file, true);
            assertThat(rows(target.dataSource(), "SELECT host FROM service_run ORDER BY id"))
                    .containsExactly("source-1", "source-2");
        }
    }

    @Test
    void aFileThatIsNotABackupIsRefusedAndNothingChanges(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("rampart-20261207T000000000Z.dump"), "not an archive");
        try (Database target = Database.openUnmigrated(DatabaseSettings.embedded(dir.resolve("target")))) {
            assertThatThrownBy(() -> new DatabaseRestore(target, tools).restore(bogus, false))
                    .isInstanceOf(BackupException.class).hasMessageContaining("not a backup");
            assertThat(contents(target.dataSource())).isEmpty();
        }
    }

    @Test
    void pruningKeepsTheNewestBackups(@TempDir Path dir) throws Exception {
        try (Database source = Database.open(DatabaseSettings.embedded(dir.resolve("source")))) {
            List<DatabaseBackups.Backup> made = new ArrayList<>();
            for (int day = 1; day <= 3; day++) {
                Clock at = Clock.fixed(Instant.parse("2026-12-0" + day + "T03:00:00Z"), ZoneOffset.UTC);
                made.add(new DatabaseBackups(source, dir, at).create(tools));
            }
            var backups = new DatabaseBackups(source, dir, Clock.systemUTC());

            assertThat(backups.prune(2)).containsExactly(made.get(0));
            assertThat(backups.list()).containsExactly(made.get(2), made.get(1));
            assertThat(backups.file(made.get(0).name())).isEmpty();
            assertThat(backups.file("../source/PG_VERSION")).isEmpty();
        }
    }

    /** Rows in a few of the service's tables: service runs, and route history through its writer and checkpoint. */
    private static void fill(DataSource db) throws Exception {
        exec(db, "INSERT INTO service_run (version, host) VALUES ('1', 'source-1'), ('2', 'source-2')");
        HistoryBatches batches = new HistoryBatches();
        var history = new PostgresRouteHistory(db, new TimePartitions(db), new RefusedRows(db), batches);
        PeerKey peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        long t = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();
        List<RouteEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            PathAttributes attributes = i % 5 == 4 ? null : PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                    .asPath(AsPath.sequence(64500, 64501 + i % 7)).nextHop(new byte[] {10, 0, 0, 1})
                    .communities(64500 << 16 | i % 3).build();
            events.add(new RouteEvent(t + i, new RouterId("r1"), 0, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                    Ipv4RouteKey.parse("10.0." + i / 2 + ".0/24", 0), attributes));
        }
        history.write(events);
        new RouteCheckpoint(db, batches).run();
    }

    private static Map<String, String> contents(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            return TableContents.of(c);
        }
    }

    private static List<String> rows(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection()) {
            return TableContents.column(c, sql);
        }
    }

    private static void exec(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
