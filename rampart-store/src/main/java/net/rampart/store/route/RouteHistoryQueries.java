package net.rampart.store.route;

import net.rampart.collector.rib.PathAttributes;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads route history: one prefix's changes, and the routes that changed most (churn). */
public final class RouteHistoryQueries {

    /**
     * One announcement or withdrawal as recorded.
     *
     * @param session the BMP session that delivered the change, or null for an MRT import
     * @param asPath  every ASN of the path in order, as stored (sets flattened)
     * @param origin  igp, egp or incomplete, named as /api/v1/routes names it; null for a withdrawal
     */
    public record HistoryRow(Instant time, String router, Long session, String peer, String view, int afi, int safi,
                             String prefix, String routeKey, long pathId, boolean withdrawn, String nextHop,
                             List<Long> asPath, Long originAsn, String origin, Long med, Long localPref,
                             List<String> communities, List<String> largeCommunities) {
    }

    /** A page of history rows and how many rows matched in all. */
    public record HistoryPage(List<HistoryRow> rows, long matched) {
    }

    /** A route key and how often it changed in the window. */
    public record Churn(String routeKey, String prefix, int afi, int safi, long updates, long announcements,
                        long withdrawals, long peers, Instant lastChange) {
    }

    private static final String HISTORY_COLUMNS = """
            h.time, r.name, host(p.address), v.name, h.afi, h.safi, h.prefix::text, h.route_key, h.path_id,
            h.is_withdrawn, host(a.next_hop), a.as_path, a.origin_asn, a.origin, a.med, a.local_pref,
            a.communities, a.large_communities, h.session_id
            """;
    private static final String HISTORY_FROM = """
            FROM route_history h
            JOIN router r ON r.id = h.router_id
            JOIN peer p ON p.id = h.peer_id
            JOIN rib_view v ON v.code = h.view
            """;
    /** A withdrawal's row has no attribute set. */
    private static final String ATTRIBUTES = "LEFT JOIN path_attributes a ON a.id = h.attrs_id\n";
    private static final String HISTORY_WHERE = "WHERE h.prefix = ?::cidr AND h.time >= ?\n";

    /** How many rows {@link #history} matches; parameters: prefix, since. Public for the query benchmark. */
    public static final String HISTORY_COUNT = "SELECT count(*) " + HISTORY_FROM + HISTORY_WHERE;
    /** The page {@link #history} returns; parameters: prefix, since, offset, limit. */
    public static final String HISTORY_PAGE = "SELECT " + HISTORY_COLUMNS + HISTORY_FROM + ATTRIBUTES + HISTORY_WHERE
            + " ORDER BY h.time DESC, h.route_key, p.address OFFSET ? LIMIT ?";
    /**
     * What {@link #churn} asks; parameters: window start, top, window start again. The window's
     * rows are counted per route, one hash aggregation, and the top routes taken; then the
     * window is read again, a hash join keeping only those routes' rows, for their distinct
     * peers (counted per route and peer, then per route: a count(DISTINCT) would sort the rows)
     * and prefix. The query before counted every row per route and peer, then the groups per
     * route, to rank them (docs/benchmarks.md, "Churn from a full hour").
     */
    public static final String CHURN = """
            WITH top AS (
                SELECT route_key, afi, safi, count(*) AS updates,
                       count(*) FILTER (WHERE NOT is_withdrawn) AS announcements, max(time) AS last_change
                FROM route_history
                WHERE time >= ?
                GROUP BY route_key, afi, safi
                ORDER BY count(*) DESC, route_key, afi, safi
                LIMIT ?),
            per_peer AS (
                SELECT h.route_key, h.afi, h.safi, min(h.prefix::text) AS prefix
                FROM top t
                JOIN route_history h ON h.route_key = t.route_key AND h.afi = t.afi AND h.safi = t.safi
                WHERE h.time >= ?
                GROUP BY h.route_key, h.afi, h.safi, h.peer_id)
            SELECT t.route_key, min(p.prefix), t.afi, t.safi, t.updates, t.announcements,
                   t.updates - t.announcements, count(*), t.last_change
            FROM top t
            JOIN per_peer p ON p.route_key = t.route_key AND p.afi = t.afi AND p.safi = t.safi
            GROUP BY t.route_key, t.afi, t.safi, t.updates, t.announcements, t.last_change
            ORDER BY t.updates DESC, t.route_key, t.afi, t.safi""";

    private final DataSource dataSource;

    public RouteHistoryQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every recorded change of one prefix since {@code since}, newest first. */
    public HistoryPage history(String prefix, Instant since, int offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long matched;
            try (PreparedStatement count = c.prepareStatement(HISTORY_COUNT)) {
                count.setString(1, prefix);
                count.setTimestamp(2, Timestamp.from(since));
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    matched = rows.getLong(1);
                }
            }
            List<HistoryRow> page = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(HISTORY_PAGE)) {
                select.setString(1, prefix);
                select.setTimestamp(2, Timestamp.from(since));
                select.setInt(3, offset);
                select.setInt(4, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        page.add(historyRow(rows));
                    }
                }
            }
            return new HistoryPage(page, matched);
        }
    }

    /** The {@code top} route keys with the most recorded changes in the last {@code window}. */
    public List<Churn> churn(Duration window, int top) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(CHURN)) {
            Timestamp start = Timestamp.from(Instant.now().minus(window));
            select.setTimestamp(1, start);
            select.setInt(2, top);
            select.setTimestamp(3, start);
            List<Churn> churn = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    churn.add(new Churn(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getInt(4),
                            rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8),
                            rows.getTimestamp(9).toInstant()));
                }
            }
            return churn;
        }
    }

    private static HistoryRow historyRow(ResultSet rows) throws SQLException {
        return new HistoryRow(rows.getTimestamp(1).toInstant(), rows.getString(2), nullableLong(rows, 19),
                rows.getString(3), rows.getString(4),
                rows.getInt(5), rows.getInt(6), rows.getString(7), rows.getString(8), rows.getLong(9),
                rows.getBoolean(10), rows.getString(11), longs(rows.getArray(12)), nullableLong(rows, 13),
                origin(rows), nullableLong(rows, 15), nullableLong(rows, 16), strings(rows.getArray(17)),
                strings(rows.getArray(18)));
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    /** The stored ORIGIN code (column 14) by its name; null when none was stored. */
    private static String origin(ResultSet rows) throws SQLException {
        int code = rows.getInt(14);
        return rows.wasNull() ? null : PathAttributes.originName(code);
    }

    private static List<Long> longs(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((Long[]) array.getArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
