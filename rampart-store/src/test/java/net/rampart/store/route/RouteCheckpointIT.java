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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.store.EmbeddedDatabase;
import net.rampart.store.RefusedRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** current_route derived from the appended history: what a checkpoint merges, and where it stops. */
class RouteCheckpointIT {
    @RegisterExtension
    static final EmbeddedDatabase database = new EmbeddedDatabase();

    private static final long T = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    private static final Ipv4RouteKey A = Ipv4RouteKey.parse("203.0.113.0/24", 0);
    private static final Ipv4RouteKey B = Ipv4RouteKey.parse("198.51.100.0/24", 0);
    private final PeerKey peer = peer("192.0.2.10");
    private HistoryBatches batches;
    private PostgresRouteHistory history;
    private RouteCheckpoint checkpoint;

    @BeforeEach
    void clean() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE route_history, current_route");
        }
        batches = new HistoryBatches();
        history = new PostgresRouteHistory(database.dataSource(), new TimePartitions(database.dataSource()),
                new RefusedRows(database.dataSource()), batches);
        checkpoint = new RouteCheckpoint(database.dataSource(), batches, Duration.ofMillis(50));
    }

    @Test
    void theLatestEventWinsWithinAndAcrossBatchesAndAWithdrawalKeepsTheAttributes() throws Exception {
        history.write(List.of(
                event(T, peer, Family.IPV4_UNICAST, A, attrs(65001)),
                event(T + 1_000, peer, Family.IPV4_UNICAST, A, attrs(65002)),
                event(T, peer, Family.IPV4_UNICAST, B, attrs(65001))));
        checkpoint.run();
        assertThat(route(A)).isEqualTo("false 2 {65002} 00:00:00 00:00:01");
        assertThat(route(B)).isEqualTo("false 1 {65001} 00:00:00 00:00:00");

        history.write(List.of(event(T + 2_000, peer, Family.IPV4_UNICAST, A, null)));
        // Announced with a new set and withdrawn in one batch: the set announced last is kept.
        history.write(List.of(
                event(T + 3_000, peer, Family.IPV4_UNICAST, B, attrs(65003)),
                event(T + 4_000, peer, Family.IPV4_UNICAST, B, null)));
        history.write(List.of(event(T + 5_000, peer, Family.IPV4_UNICAST, B, null)));
        RouteCheckpoint.Merge merge = checkpoint.run().orElseThrow();
        assertThat(merge.routes()).isEqualTo(2);
        assertThat(route(A)).isEqualTo("true 3 {65002} 00:00:00 00:00:02");
        assertThat(route(B)).isEqualTo("true 4 {65003} 00:00:00 00:00:05");

        RouteCheckpoint.Merge idle = checkpoint.run().orElseThrow();
        assertThat(idle.routes()).isZero();
        assertThat(idle.fromSeq()).isEqualTo(merge.toSeq());
        assertThat(route(A)).as("rows are merged once").isEqualTo("true 3 {65002} 00:00:00 00:00:02");
        assertThat(queryLong("SELECT merged_seq FROM route_checkpoint")).isEqualTo(merge.toSeq());
    }

    @Test
    void theCheckpointSummarizesTheBrinRangesOfTheHistoryWrittenBeforeIt() throws Exception {
        // Summarizes what is left and says how many ranges that was.
        String summarizeLeftovers = """
                SELECT coalesce(sum(brin_summarize_new_values(x.indexrelid)), 0)
                FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid
                JOIN pg_class c ON c.oid = x.indexrelid AND c.relkind = 'i'
                JOIN pg_am a ON a.oid = c.relam AND a.amname = 'brin'
                WHERE i.inhparent = 'route_history'::regclass""";
        // Rows for well over one range of pages: a BRIN index summarizes its first range when built.
        history.write(routes(T, 5000));
        checkpoint.run();
        assertThat(queryLong(summarizeLeftovers)).as("time and seq ranges summarized by the checkpoint").isZero();

        // As many rows, in a week of their own and with no checkpoint: ranges the query above finds.
        history.write(routes(T + Duration.ofDays(7).toMillis(), 5000));
        assertThat(queryLong(summarizeLeftovers)).isGreaterThanOrEqualTo(2);
    }

    /** {@code count} announcements of distinct /24s at {@code time}. */
    private List<RouteEvent> routes(long time, int count) {
        List<RouteEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(time, peer, Family.IPV4_UNICAST, new Ipv4RouteKey(0x0A000000 | i << 8, 24, 0),
                    attrs(65001)));
        }
        return events;
    }

    @Test
    void aBatchInFlightHoldsTheCheckpointBackUntilItEnds() throws Exception {
        try (Connection inFlight = database.dataSource().getConnection()) {
            inFlight.setAutoCommit(false);
            // A writer took its batch number and has not committed yet; a later batch commits first.
            long[] numbers = batches.begin(inFlight, 1);
            history.write(List.of(event(T + 1_000, peer, Family.IPV4_UNICAST, B, attrs(65001))));
            insertRow(inFlight, HistoryBatches.seq(numbers, 0), A);
            assertThat(checkpoint.run()).as("no bound is safe while a batch is in flight").isEmpty();
            assertThat(queryLong("SELECT count(*) FROM current_route")).isZero();
            inFlight.commit();
        }
        // Had the checkpoint merged the later batch, its watermark would have passed the earlier one.
        assertThat(checkpoint.run()).hasValueSatisfying(m -> assertThat(m.routes()).isEqualTo(2));
        assertThat(route(A)).isEqualTo("false 1 {65001} 00:00:00 00:00:00");
        assertThat(route(B)).isEqualTo("false 1 {65001} 00:00:01 00:00:01");

        try (Connection rolledBack = database.dataSource().getConnection()) {
            rolledBack.setAutoCommit(false);
            long[] numbers = batches.begin(rolledBack, 1);
            insertRow(rolledBack, HistoryBatches.seq(numbers, 0), A);
            rolledBack.rollback();
        }
        assertThat(checkpoint.run()).hasValueSatisfying(m -> assertThat(m.routes()).isZero());
        assertThat(route(A)).isEqualTo("false 1 {65001} 00:00:00 00:00:00");
    }

    /** A history row of {@code key}, announced with the set the writer stored for {@code attrs(65001)}. */
    private void insertRow(Connection c, long seq, Ipv4RouteKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO route_history (time, router_id, peer_id, view, afi, safi, prefix, route_key, path_id,
                    is_withdrawn, attrs_id, seq)
                SELECT ?, r.id, p.id, 0, 1, 1, ?::cidr, ?, 0, false, a.id, ?
                FROM router r, peer p, path_attributes a
                WHERE r.name = '192.0.2.1' AND p.address = '192.0.2.10' AND a.as_path = '{65001}'
                LIMIT 1""")) {
            s.setTimestamp(1, java.sql.Timestamp.from(Instant.ofEpochMilli(T)));
            s.setString(2, key.text());
            s.setString(3, key.text());
            s.setLong(4, seq);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    /** Withdrawn, update count, AS path, time from the first sighting to first_seen and to last_change. */
    private static String route(Ipv4RouteKey key) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT withdrawn || ' ' || update_count || ' ' || a.as_path::text || ' '
                       || (c.first_seen - ?) || ' ' || (c.last_change - ?)
                FROM current_route c JOIN path_attributes a ON a.id = c.attrs_id WHERE route_key = ?""")) {
            s.setTimestamp(1, java.sql.Timestamp.from(Instant.ofEpochMilli(T)));
            s.setTimestamp(2, java.sql.Timestamp.from(Instant.ofEpochMilli(T)));
            s.setString(3, key.text());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("a current route " + key).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
