package net.rampart.store.rpki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;

/** The serial history survives a restart of the service and of PostgreSQL itself. */
class PostgresSnapshotStoreIT {

    private final Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static RpkiSnapshot snapshot(String... prefixes) {
        List<Vrp> vrps = java.util.Arrays.stream(prefixes).map(p -> Vrp.parse(p, Integer.parseInt(
                p.substring(p.indexOf('/') + 1)), 64496)).toList();
        return RpkiSnapshot.of(VrpSet.of(vrps), List.of(new AspaRecord(64496, new long[] {prefixes.length})),
                List.of());
    }

    @Test
    void historyResumesAfterRestartWithSameSessionSerialAndDiffs(@TempDir Path dir) throws Exception {
        Path pg = dir.resolve("pg");
        int session;
        int serial;
        String hash;
        try (Database db = Database.open(DatabaseSettings.embedded(pg))) {
            SnapshotHistory h = SnapshotHistory.open(new PostgresSnapshotStore(db.dataSource()), 2, clock);
            h.update(snapshot("192.0.2.0/24"));
            h.update(snapshot("192.0.2.0/24", "2001:db8::/32"));
            h.update(snapshot("2001:db8::/32", "198.51.100.0/24"));
            session = h.current().sessionId();
            serial = h.current().serial();
            hash = h.current().snapshot().hash();
            assertThat(h.retainedSerials()).hasSize(3);
        }
        try (Database db = Database.open(DatabaseSettings.embedded(pg))) {
            SnapshotHistory h = SnapshotHistory.open(new PostgresSnapshotStore(db.dataSource()), 2, clock);
            assertThat(h.current().sessionId()).isEqualTo(session);
            assertThat(h.current().serial()).isEqualTo(serial);
            assertThat(h.current().snapshot().hash()).isEqualTo(hash);
            assertThat(h.retainedSerials()).containsExactly(serial - 2, serial - 1, serial);
            assertThat(h.diff(serial - 2, serial).orElseThrow().announcedVrps())
                    .containsExactly(Vrp.parse("198.51.100.0/24", 24, 64496), Vrp.parse("2001:db8::/32", 32, 64496));
            h.update(snapshot("203.0.113.0/24"));
            assertThat(h.current().serial()).isEqualTo(serial + 1);
        }
    }

    /**
     * A snapshot is one row of bytes and computed values, so PostgreSQL has nothing in it to
     * refuse; what can fail is the database. A failed write publishes nothing (routers are never
     * served a serial that a restart would lose) and stops no later snapshot: the next update,
     * made on the next poll, is stored.
     */
    @Test
    void aFailedWritePublishesNothingAndTheNextUpdateIsStored(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
            SnapshotHistory h = SnapshotHistory.open(new PostgresSnapshotStore(db.dataSource()), 2, clock);
            h.update(snapshot("192.0.2.0/24"));
            int serial = h.current().serial();
            execute(db, "ALTER TABLE rpki_delta RENAME TO rpki_delta_away");
            try {
                assertThatThrownBy(() -> h.update(snapshot("192.0.2.0/24", "198.51.100.0/24")))
                        .isInstanceOf(IllegalStateException.class);
            } finally {
                execute(db, "ALTER TABLE rpki_delta_away RENAME TO rpki_delta");
            }
            assertThat(h.current().serial()).isEqualTo(serial);

            h.update(snapshot("192.0.2.0/24", "198.51.100.0/24"));
            assertThat(h.current().serial()).isEqualTo(serial + 1);
            SnapshotHistory resumed = SnapshotHistory.open(new PostgresSnapshotStore(db.dataSource()), 2, clock);
            assertThat(resumed.current().serial()).isEqualTo(serial + 1);
            assertThat(resumed.current().snapshot().hash()).isEqualTo(h.current().snapshot().hash());
        }
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
