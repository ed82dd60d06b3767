package net.rampart.store.rpki;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import net.rampart.rpki.PayloadCodec;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.SnapshotStore;

/** The RPKI serial history in PostgreSQL ({@code rpki_state}, {@code rpki_delta}). */
public final class PostgresSnapshotStore implements SnapshotStore {

    private final DataSource dataSource;

    public PostgresSnapshotStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<StoredHistory> load() {
        try (Connection c = dataSource.getConnection()) {
            int sessionId;
            int serial;
            java.time.Instant updatedAt;
            RpkiSnapshot snapshot;
            try (ResultSet r = c.createStatement()
                    .executeQuery("SELECT session_id, serial, updated_at, payload FROM rpki_state")) {
                if (!r.next()) {
                    return Optional.empty();
                }
                sessionId = r.getInt(1);
                serial = (int) r.getLong(2);
                updatedAt = r.getTimestamp(3).toInstant();
                snapshot = PayloadCodec.decodeSnapshot(r.getBytes(4));
            }
            List<StoredDelta> deltas = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT serial, created_at, payload FROM rpki_delta WHERE session_id = ? ORDER BY seq")) {
                s.setInt(1, sessionId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        deltas.add(new StoredDelta((int) r.getLong(1), r.getTimestamp(2).toInstant(),
                                PayloadCodec.decodeDelta(r.getBytes(3))));
                    }
                }
            }
            return Optional.of(new StoredHistory(sessionId, serial, updatedAt, snapshot, List.copyOf(deltas)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the RPKI history: " + e.getMessage(), e);
        }
    }

    @Override
    public void startSession(int sessionId, int serial, java.time.Instant at, RpkiSnapshot snapshot) {
        inTransaction(c -> {
            c.createStatement().executeUpdate("DELETE FROM rpki_delta");
            writeState(c, sessionId, serial, at, snapshot);
        });
    }

    @Override
    public void append(int sessionId, StoredDelta delta, RpkiSnapshot snapshot) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rpki_delta "
                    + "(session_id, serial, created_at, announced, withdrawn, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setInt(1, sessionId);
                s.setLong(2, Integer.toUnsignedLong(delta.serial()));
                s.setTimestamp(3, Timestamp.from(delta.createdAt()));
                s.setInt(4, delta.delta().announcedVrps().size() + delta.delta().announcedAspas().size()
                        + delta.delta().announcedKeys().size());
                s.setInt(5, delta.delta().withdrawnVrps().size() + delta.delta().withdrawnAspas().size()
                        + delta.delta().withdrawnKeys().size());
                s.setBytes(6, PayloadCodec.encode(delta.delta()));
                s.executeUpdate();
            }
            writeState(c, sessionId, delta.serial(), delta.createdAt(), snapshot);
        });
    }

    @Override
    public void prune(int sessionId, int oldestRetainedSerial) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM rpki_delta WHERE session_id = ? AND seq < "
                    + "(SELECT max(seq) FROM rpki_delta WHERE session_id = ? AND serial = ?)")) {
                s.setInt(1, sessionId);
                s.setInt(2, sessionId);
                s.setLong(3, Integer.toUnsignedLong(oldestRetainedSerial));
                s.executeUpdate();
            }
        });
    }

    private static void writeState(Connection c, int sessionId, int serial, java.time.Instant at,
            RpkiSnapshot snapshot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO rpki_state "
                + "(singleton, session_id, serial, updated_at, hash, vrp_count, payload) "
                + "VALUES (TRUE, ?, ?, ?, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET session_id = EXCLUDED.session_id, "
                + "serial = EXCLUDED.serial, updated_at = EXCLUDED.updated_at, hash = EXCLUDED.hash, "
                + "vrp_count = EXCLUDED.vrp_count, payload = EXCLUDED.payload")) {
            s.setInt(1, sessionId);
            s.setLong(2, Integer.toUnsignedLong(serial));
            s.setTimestamp(3, Timestamp.from(at));
            s.setString(4, snapshot.hash());
            s.setInt(5, snapshot.vrps().size());
            s.setBytes(6, PayloadCodec.encode(snapshot));
            s.executeUpdate();
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the RPKI history: " + e.getMessage(), e);
        }
    }
}
