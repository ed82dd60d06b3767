package net.rampart.store.route;

import static net.rampart.store.route.PostgresRouteHistoryIT.attrs;
import static net.rampart.store.route.PostgresRouteHistoryIT.event;
import static net.rampart.store.route.PostgresRouteHistoryIT.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PeerKey;
import net.rampart.store.EmbeddedDatabase;
import net.rampart.store.RefusedRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several services writing route history into one database (store members reading BMP from
 * Kafka): each has its own {@link HistoryBatches}, so what holds a checkpoint back from a batch
 * still in flight must be seen by every process, not only by the one that numbered the batch.
 * Process B is driven by hand, so that its batch stays open while process A writes and checkpoints.
 */
class RouteCheckpointAcrossProcessesIT {
    @RegisterExtension
    static final EmbeddedDatabase database = new EmbeddedDatabase();

    private static final long T = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    private static final Ipv4RouteKey OF_A = Ipv4RouteKey.parse("203.0.113.0/24", 0);
    private static final Ipv4RouteKey OF_B = Ipv4RouteKey.parse("198.51.100.0/24", 0);
    private final PeerKey peer = peer("192.0.2.10");
    private PostgresRouteHistory historyOfA;
    private RouteCheckpoint checkpointOfA;
    private HistoryBatches batchesOfB;
    private RouteCheckpoint checkpointOfB;

    @BeforeEach
    void twoProcessesOnOneDatabase() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE route_history, current_route");
            s.execute("UPDATE route_checkpoint SET merged_seq = 0");
        }
        HistoryBatches batchesOfA = new HistoryBatches();
        historyOfA = new PostgresRouteHistory(database.dataSource(), new TimePartitions(database.dataSource()),
                new RefusedRows(database.dataSource()), batchesOfA);
        checkpointOfA = new RouteCheckpoint(database.dataSource(), batchesOfA, Duration.ofMillis(50));
        batchesOfB = new HistoryBatches();
        checkpointOfB = new RouteCheckpoint(database.dataSource(), batchesOfB, Duration.ofMillis(50));
    }

    @Test
    void aBatchInFlightInAnotherProcessHoldsTheCheckpointBackUntilItCommits() throws Exception {
        long seqOfB;
        try (Connection b = database.dataSource().getConnection()) {
            b.setAutoCommit(false);
            // B takes its number first; A's batch takes a later one and commits while B's is open.
            seqOfB = HistoryBatches.seq(batchesOfB.begin(b, 1), 0);
            historyOfA.write(List.of(event(T + 1_000, peer, Family.IPV4_UNICAST, OF_A, attrs(65001))));
            assertThat(queryLong("SELECT max(seq) FROM route_history")).isGreaterThan(seqOfB);
            insertRow(b, seqOfB, OF_B);

            assertThat(checkpointOfA.run()).as("A's checkpoint while B's batch is open").isEmpty();
            assertThat(checkpointOfB.run()).as("B's checkpoint while its own batch is open").isEmpty();
            assertThat(queryLong("SELECT merged_seq FROM route_checkpoint")).isLessThan(seqOfB);
            assertThat(queryLong("SELECT count(*) FROM current_route")).isZero();
            b.commit();
        }

        // Had A's checkpoint merged its own later batch, merged_seq would have passed B's rows for good.
        assertThat(checkpointOfA.run()).hasValueSatisfying(m -> assertThat(m.routes()).isEqualTo(2));
        assertThat(currentRoutes()).containsExactly(OF_B.text() + " 00:00:00", OF_A.text() + " 00:00:01");
        assertThat(queryLong("SELECT merged_seq FROM route_checkpoint")).isGreaterThan(seqOfB);
    }

    @Test
    void aProcessThatDiesInsideItsBatchHoldsNothingBack() throws Exception {
        historyOfA.write(List.of(event(T, peer, Family.IPV4_UNICAST, OF_A, attrs(65001))));
        Connection b = database.dataSource().getConnection();
        try {
            b.setAutoCommit(false);
            insertRow(b, HistoryBatches.seq(batchesOfB.begin(b, 1), 0), OF_B);
            long pid = queryLong(b, "SELECT pg_backend_pid()");
            // B's process is gone (killed, or its host lost); PostgreSQL ends the transaction it had open.
            assertThat(queryLong("SELECT pg_terminate_backend(" + pid + ", 10000)::int")).isEqualTo(1);
        } finally {
            try {
                b.close();
            } catch (SQLException gone) {
                // Its rollback on return to the pool fails: the backend is gone, and the pool drops it.
            }
        }

        assertThat(checkpointOfA.run()).hasValueSatisfying(m -> assertThat(m.routes()).isEqualTo(1));
        assertThat(currentRoutes()).containsExactly(OF_A.text() + " 00:00:00");
    }

    /** A history row of {@code key} at T, announced with the set process A stored for {@code attrs(65001)}. */
    private static void insertRow(Connection c, long seq, Ipv4RouteKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO route_history (time, router_id, peer_id, view, afi, safi, prefix, route_key, path_id,
                    is_withdrawn, attrs_id, seq)
                SELECT ?, r.id, p.id, 0, 1, 1, ?::cidr, ?, 0, false, a.id, ?
                FROM router r, peer p, path_attributes a
                WHERE r.name = '192.0.2.1' AND p.address = '192.0.2.10' AND a.as_path = '{65001}'
                LIMIT 1""")) {
            s.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(T)));
            s.setString(2, key.text());
            s.setString(3, key.text());
            s.setLong(4, seq);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    /** Each current route as its key and last change after T, in key order. */
    private static List<String> currentRoutes() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT route_key || ' ' || (last_change - ?) FROM current_route ORDER BY route_key")) {
            s.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(T)));
            List<String> routes = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    routes.add(rs.getString(1));
                }
            }
            return routes;
        }
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            return queryLong(c, sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
