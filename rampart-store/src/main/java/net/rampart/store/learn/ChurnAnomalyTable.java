package net.rampart.store.learn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Churn anomalies in PostgreSQL ({@code churn_anomaly}, V106): written as they are found, one row
 * per scope and minute, and read back newest minute first, a page at a time.
 */
public final class ChurnAnomalyTable {

    /** The scope kinds the table takes, as its CHECK constraint does. */
    public static final Set<String> KINDS = Set.of("router", "peer", "prefix_group");

    /**
     * One anomalous minute of one scope.
     *
     * @param scopeKind  router, peer or prefix_group
     * @param scopeName  the router's name, router/peer, or the group's name
     * @param minute     the start of the minute
     * @param expected   updates the seasonal shape expected
     * @param observed   effective updates counted
     * @param score      the residual in MAD-sigmas, negative for a drop
     * @param detectedAt when the detector flagged it
     */
    public record Anomaly(String scopeKind, String scopeName, Instant minute, double expected, double observed,
                          double score, Instant detectedAt) {
        public Anomaly {
            if (!KINDS.contains(scopeKind)) {
                throw new IllegalArgumentException("not a scope kind: " + scopeKind);
            }
            Objects.requireNonNull(scopeName, "scopeName");
            Objects.requireNonNull(minute, "minute");
            Objects.requireNonNull(detectedAt, "detectedAt");
        }
    }

    /**
     * Which anomalies a read returns: those whose minute is at or after {@code since}, of one scope
     * kind (null: any) and one scope name (null: any).
     */
    public record Filter(Instant since, String scopeKind, String scopeName) {
        public Filter {
            Objects.requireNonNull(since, "since");
        }
    }

    /** A page of anomalies and how many matched in all. */
    public record RowPage(List<Anomaly> rows, long matched) {
    }

    private static final String WHERE = """
             WHERE minute >= ? AND (?::text IS NULL OR scope_kind = ?) AND (?::text IS NULL OR scope_name = ?)
            """;

    private final DataSource dataSource;

    public ChurnAnomalyTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores {@code anomalies} in one transaction, leaving out any whose scope and minute the
     * table already holds.
     *
     * @return the anomalies that were new, in the order given
     */
    public List<Anomaly> insert(List<Anomaly> anomalies) throws SQLException {
        List<Anomaly> added = new ArrayList<>();
        if (anomalies.isEmpty()) {
            return added;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO churn_anomaly (scope_kind, scope_name, minute, expected, observed, score, detected_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (scope_kind, scope_name, minute) DO NOTHING
                    """)) {
                for (Anomaly a : anomalies) {
                    insert.setString(1, a.scopeKind());
                    insert.setString(2, a.scopeName());
                    insert.setTimestamp(3, Timestamp.from(a.minute()));
                    insert.setDouble(4, a.expected());
                    insert.setDouble(5, a.observed());
                    insert.setDouble(6, a.score());
                    insert.setTimestamp(7, Timestamp.from(a.detectedAt()));
                    // One statement per row: its count says whether this row was new.
                    if (insert.executeUpdate() == 1) {
                        added.add(a);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
        return added;
    }

    /** The anomalies {@code filter} selects, newest minute first (then latest stored), from {@code offset}. */
    public RowPage page(Filter filter, int offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long matched;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM churn_anomaly" + WHERE)) {
                bind(count, filter);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    matched = rows.getLong(1);
                }
            }
            List<Anomaly> page = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT scope_kind, scope_name, minute, expected, observed, score, detected_at FROM churn_anomaly
                    """ + WHERE + " ORDER BY minute DESC, id DESC OFFSET ? LIMIT ?")) {
                int next = bind(select, filter);
                select.setInt(next, offset);
                select.setInt(next + 1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        page.add(new Anomaly(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                                rows.getDouble(4), rows.getDouble(5), rows.getDouble(6),
                                rows.getTimestamp(7).toInstant()));
                    }
                }
            }
            return new RowPage(page, matched);
        }
    }

    /** Binds the filter's five parameters; returns the index of the next one. */
    private static int bind(PreparedStatement s, Filter filter) throws SQLException {
        s.setTimestamp(1, Timestamp.from(filter.since()));
        s.setString(2, filter.scopeKind());
        s.setString(3, filter.scopeKind());
        s.setString(4, filter.scopeName());
        s.setString(5, filter.scopeName());
        return 6;
    }
}
