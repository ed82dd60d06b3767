package net.rampart.store.route;

import net.rampart.wire.bmp.Statistic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what {@link PostgresSessionEvents} wrote about peers: their up/down events and their BMP
 * Statistics Reports, newest first, for one router and/or one peer address.
 */
public final class SessionHistoryQueries {

    /**
     * A peer going up or down.
     *
     * @param event              up or down
     * @param reason             the BMP Peer Down reason code (RFC 7854 4.9), null for an up
     * @param notificationCode   the BGP NOTIFICATION's error code when the down carried one, else null
     * @param notificationSubcode its subcode, else null
     */
    public record PeerEvent(Instant time, String router, String peer, Long peerAsn, String event, Integer reason,
                            Integer notificationCode, Integer notificationSubcode) {
    }

    /**
     * One counter or gauge of a Statistics Report.
     *
     * @param statType the BMP statistics type; {@code name} is the registry's description of it
     * @param afi      the AFI of a per-AFI/SAFI gauge, else null
     */
    public record PeerStatistic(Instant time, String router, String peer, int statType, String name, Integer afi,
                                Integer safi, long value) {
    }

    /** A page of rows and how many matched in all. */
    public record RowPage<T>(List<T> rows, long matched) {
    }

    /** Who: a router by its name, a peer by its address; null matches any. */
    public record PeerFilter(String router, String peerAddress, Instant since) {
    }

    private static final String JOIN = """
             e JOIN peer p ON p.id = e.peer_id
            JOIN router r ON r.id = p.router_id
            WHERE e.time >= ? AND (?::text IS NULL OR r.name = ?) AND (?::inet IS NULL OR p.address = ?::inet)
            """;

    private final DataSource dataSource;

    public SessionHistoryQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The up/down events of the peers {@code filter} selects, newest first. */
    public RowPage<PeerEvent> peerEvents(PeerFilter filter, int offset, int limit) throws SQLException {
        return page("peer_event", """
                e.time, r.name, host(p.address), p.asn, e.event, e.reason, e.notification_code, e.notification_subcode
                """, filter, offset, limit, rows -> new PeerEvent(rows.getTimestamp(1).toInstant(), rows.getString(2),
                rows.getString(3), nullableLong(rows, 4), rows.getString(5), nullableInt(rows, 6),
                nullableInt(rows, 7), nullableInt(rows, 8)));
    }

    /** The statistics the routers reported for the peers {@code filter} selects, newest first. */
    public RowPage<PeerStatistic> peerStatistics(PeerFilter filter, int offset, int limit) throws SQLException {
        return page("peer_statistic", "e.time, r.name, host(p.address), e.stat_type, e.afi, e.safi, e.value",
                filter, offset, limit, rows -> {
                    int type = rows.getInt(4);
                    Integer afi = nullableInt(rows, 5);
                    return new PeerStatistic(rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getString(3),
                            type, new Statistic(type, -1, -1, 0, null).name(), afi, nullableInt(rows, 6),
                            rows.getLong(7));
                });
    }

    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> RowPage<T> page(String table, String columns, PeerFilter filter, int offset, int limit,
                                RowReader<T> reader) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long matched;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM " + table + JOIN)) {
                bind(count, filter);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    matched = rows.getLong(1);
                }
            }
            List<T> page = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + columns + " FROM " + table + JOIN
                    + " ORDER BY e.time DESC, r.name, p.address OFFSET ? LIMIT ?")) {
                int next = bind(select, filter);
                select.setInt(next, offset);
                select.setInt(next + 1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        page.add(reader.read(rows));
                    }
                }
            }
            return new RowPage<>(page, matched);
        }
    }

    /** Binds the filter's five parameters; returns the index of the next one. */
    private static int bind(PreparedStatement s, PeerFilter filter) throws SQLException {
        s.setTimestamp(1, Timestamp.from(filter.since()));
        s.setString(2, filter.router());
        s.setString(3, filter.router());
        s.setString(4, filter.peerAddress());
        s.setString(5, filter.peerAddress());
        return 6;
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rows, int column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }
}
