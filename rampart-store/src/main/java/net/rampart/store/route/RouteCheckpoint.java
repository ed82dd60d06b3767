package net.rampart.store.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Brings {@code current_route} up to date with {@code route_history}: merges the history rows
 * written since the last checkpoint, set-based, and records how far it got in
 * {@code route_checkpoint}, in one transaction. History writers only append; this is where the
 * latest state of each route, its first sighting and its update count are derived.
 */
public final class RouteCheckpoint {
    /**
     * How long a checkpoint waits for the history batches in flight (of any process writing into
     * the database) to end before it skips a turn.
     */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(30);

    /**
     * The latest row of each route in the range wins (by seq); update_count adds the rows;
     * first_seen stays; a withdrawal keeps the attribute set, labels and ESI the route last had
     * (in the range, else in current_route), so a withdrawn route still shows what was withdrawn.
     */
    private static final String MERGE = """
            INSERT INTO current_route AS cur (peer_id, view, afi, safi, route_key, path_id, router_id, prefix,
                withdrawn, first_seen, last_change, update_count, attrs_id, evpn_route_type, rd, esi, mac, ip, labels)
            SELECT DISTINCT ON (peer_id, view, afi, safi, route_key, path_id)
                peer_id, view, afi, safi, route_key, path_id, router_id, prefix, is_withdrawn,
                min(time) OVER k, time, count(*) OVER k,
                (array_agg(attrs_id) FILTER (WHERE attrs_id IS NOT NULL) OVER k)[1],
                evpn_route_type, rd,
                (array_agg(esi) FILTER (WHERE esi IS NOT NULL) OVER k)[1],
                mac, ip,
                ((array_agg(labels::text) FILTER (WHERE labels IS NOT NULL) OVER k)[1])::integer[]
            FROM route_history
            WHERE seq > ? AND seq <= ?
            WINDOW k AS (PARTITION BY peer_id, view, afi, safi, route_key, path_id ORDER BY seq DESC
                         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY peer_id, view, afi, safi, route_key, path_id, seq DESC
            ON CONFLICT (peer_id, view, afi, safi, route_key, path_id) DO UPDATE SET
                withdrawn = EXCLUDED.withdrawn,
                last_change = EXCLUDED.last_change,
                update_count = cur.update_count + EXCLUDED.update_count,
                router_id = EXCLUDED.router_id,
                prefix = EXCLUDED.prefix,
                attrs_id = COALESCE(EXCLUDED.attrs_id, cur.attrs_id),
                evpn_route_type = EXCLUDED.evpn_route_type,
                rd = EXCLUDED.rd,
                esi = COALESCE(EXCLUDED.esi, cur.esi),
                mac = EXCLUDED.mac,
                ip = EXCLUDED.ip,
                labels = COALESCE(EXCLUDED.labels, cur.labels)""";

    /**
     * Summarizes the BRIN ranges of every route_history partition (or chunk) that are not yet:
     * a range is otherwise summarized only by VACUUM, and until then every query by time or seq
     * reads it whole, so that "the last hour" or a checkpoint's seq range would read everything
     * written since the last VACUUM. Only new pages are read; summarized ranges cost a look in
     * the range map.
     */
    private static final String SUMMARIZE_NEW_RANGES = """
            WITH RECURSIVE part(relid) AS (
                SELECT 'route_history'::regclass
                UNION ALL
                SELECT i.inhrelid FROM pg_inherits i JOIN part ON i.inhparent = part.relid)
            SELECT coalesce(sum(brin_summarize_new_values(x.indexrelid)), 0)
            FROM part
            JOIN pg_index x ON x.indrelid = part.relid
            JOIN pg_class c ON c.oid = x.indexrelid AND c.relkind = 'i'
            JOIN pg_am a ON a.oid = c.relam AND a.amname = 'brin'""";

    /** PostgreSQL's lock_not_available: lock_timeout passed. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** What one checkpoint did: the seq range it merged, and how many routes it changed. */
    public record Merge(long fromSeq, long toSeq, long routes) {
    }

    private final DataSource dataSource;
    private final HistoryBatches batches;
    private final Duration inFlightWait;

    /** @param batches any instance: batches in flight are known by a lock in the database ({@link HistoryBatches}) */
    public RouteCheckpoint(DataSource dataSource, HistoryBatches batches) {
        this(dataSource, batches, IN_FLIGHT_WAIT);
    }

    RouteCheckpoint(DataSource dataSource, HistoryBatches batches, Duration inFlightWait) {
        this.dataSource = dataSource;
        this.batches = batches;
        this.inFlightWait = inFlightWait;
    }

    /**
     * Before the merge, whose seq range then reads only its own ranges; in a transaction of its
     * own. Summarizing locks a partition against VACUUM (not against inserts); when a VACUUM holds
     * that lock this turn goes without, rather than wait or make autovacuum give up its work:
     * VACUUM summarizes the ranges itself.
     */
    private static void summarizeNewRanges(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '100ms'");
            s.execute(SUMMARIZE_NEW_RANGES);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * Merges every history row whose batch has ended, whichever process wrote it, into
     * {@code current_route}. Returns empty when a batch stayed in flight too long to know where to
     * stop (the next turn tries again).
     */
    public Optional<Merge> run() throws SQLException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("route checkpoint");
        }
        try (Connection c = dataSource.getConnection()) {
            OptionalLong bound = batches.finishedUpTo(c, inFlightWait);
            if (bound.isEmpty()) {
                return Optional.empty();
            }
            c.setAutoCommit(false);
            summarizeNewRanges(c);
            try {
                long from;
                // Locked, so that checkpoints of several services on one database take turns.
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT merged_seq FROM route_checkpoint FOR UPDATE")) {
                    rs.next();
                    from = rs.getLong(1);
                }
                long to = Math.max(from, bound.getAsLong());
                long routes = 0;
                if (to > from) {
                    try (PreparedStatement merge = c.prepareStatement(MERGE)) {
                        merge.setLong(1, from);
                        merge.setLong(2, to);
                        routes = merge.executeUpdate();
                    }
                    try (PreparedStatement mark = c.prepareStatement(
                            "UPDATE route_checkpoint SET merged_seq = ?, merged_at = now()")) {
                        mark.setLong(1, to);
                        mark.executeUpdate();
                    }
                }
                c.commit();
                return Optional.of(new Merge(from, to, routes));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
