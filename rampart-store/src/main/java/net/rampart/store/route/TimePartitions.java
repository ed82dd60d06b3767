package net.rampart.store.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time partitioning and retention of the time-series tables listed in {@code time_series}.
 * Native tables get one partition per interval, created before rows for it are written and
 * dropped whole once past retention; TimescaleDB tables get the extension's retention policy.
 */
public final class TimePartitions {
    private static final Logger log = LoggerFactory.getLogger(TimePartitions.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** Fixed-length partitions start on a Monday, counted from this one. */
    private static final LocalDate WEEK_ORIGIN = LocalDate.of(1970, 1, 5);

    /** How one table is partitioned: by whole months, or by a fixed number of days. */
    record Layout(String table, boolean timescale, int months, int days, Duration retention) {
        LocalDate startOf(LocalDate day) {
            if (months > 0) {
                LocalDate first = day.withDayOfMonth(1);
                long index = Math.floorDiv(first.getYear() * 12L + first.getMonthValue() - 1, months) * months;
                return LocalDate.of((int) (index / 12), (int) (index % 12) + 1, 1);
            }
            long offset = ChronoUnit.DAYS.between(WEEK_ORIGIN, day);
            return WEEK_ORIGIN.plusDays(Math.floorDiv(offset, days) * days);
        }

        LocalDate next(LocalDate start) {
            return months > 0 ? start.plusMonths(months) : start.plusDays(days);
        }
    }

    private final DataSource dataSource;
    private final Map<String, Set<LocalDate>> created = new ConcurrentHashMap<>();
    private volatile Map<String, Layout> layouts;

    public TimePartitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private Map<String, Layout> layouts(Connection c) throws SQLException {
        Map<String, Layout> l = layouts;
        if (l != null) {
            return l;
        }
        Map<String, Layout> loaded = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT table_name, partitioning, "
                        + "(date_part('year', partition_interval) * 12 + date_part('month', partition_interval))::int, "
                        + "date_part('day', partition_interval)::int, extract(epoch FROM retention)::bigint "
                        + "FROM time_series")) {
            while (rs.next()) {
                loaded.put(rs.getString(1), new Layout(rs.getString(1), "timescaledb".equals(rs.getString(2)),
                        rs.getInt(3), Math.max(1, rs.getInt(4)), Duration.ofSeconds(rs.getLong(5))));
            }
        }
        layouts = Map.copyOf(loaded);
        return layouts;
    }

    private Layout layout(Connection c, String table) throws SQLException {
        Layout layout = layouts(c).get(table);
        if (layout == null) {
            throw new IllegalArgumentException("not a time-series table: " + table);
        }
        return layout;
    }

    /**
     * Makes sure a partition exists for each of the given times (epoch milliseconds) of a
     * native table; a no-op for hypertables. Runs its DDL committed, so call it outside the
     * writing transaction.
     */
    void ensureCovered(Connection c, String table, long[] times, int count) throws SQLException {
        Layout layout = layout(c, table);
        if (layout.timescale()) {
            return;
        }
        Set<LocalDate> known = created.computeIfAbsent(table, t -> ConcurrentHashMap.newKeySet());
        long coveredFrom = 0;
        long coveredTo = 0;
        for (int i = 0; i < count; i++) {
            long t = times[i];
            if (t >= coveredFrom && t < coveredTo) {
                continue;
            }
            LocalDate start = layout.startOf(LocalDate.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC));
            LocalDate end = layout.next(start);
            if (!known.contains(start)) {
                create(c, table, start, end);
                known.add(start);
            }
            coveredFrom = start.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            coveredTo = end.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    /**
     * Where rows of {@code table} go, from {@code fromMillis} (inclusive) to {@code toMillis}
     * (exclusive): a native partition, or for a hypertable the table itself, for all time.
     */
    record Target(String relation, long fromMillis, long toMillis) {
        boolean covers(long millis) {
            return millis >= fromMillis && millis < toMillis;
        }
    }

    /** The relation that takes rows of {@code table} at {@code millis} (see {@link #ensureCovered}). */
    Target targetAt(Connection c, String table, long millis) throws SQLException {
        Layout layout = layout(c, table);
        if (layout.timescale()) {
            return new Target(table, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        LocalDate start = layout.startOf(LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        return new Target(partitionName(table, start), start.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli(),
                layout.next(start).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
    }

    private static void create(Connection c, String table, LocalDate start, LocalDate end) throws SQLException {
        String name = partitionName(table, start);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table
                    + " FOR VALUES FROM ('" + start + " 00:00:00+00') TO ('" + end + " 00:00:00+00')");
        } catch (SQLException e) {
            // Another writer may have created it between the check and the creation.
            if (!exists(c, name)) {
                throw e;
            }
        }
    }

    /** Forgets which partitions were created, so the next writes check again. */
    void forgetCreated() {
        created.clear();
    }

    private static boolean exists(Connection c, String relation) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, relation);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String partitionName(String table, LocalDate start) {
        return table + "_p" + SUFFIX.format(start);
    }

    /** Sets how long a table keeps rows; applied by the next {@link #applyRetention}. */
    public void setRetention(String table, Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "UPDATE time_series SET retention = make_interval(secs => ?) WHERE table_name = ?")) {
            s.setLong(1, retention.toSeconds());
            s.setString(2, table);
            if (s.executeUpdate() != 1) {
                throw new IllegalArgumentException("not a time-series table: " + table);
            }
        }
        layouts = null;
    }

    /**
     * Drops native partitions that lie wholly before {@code now - retention}, and (re)installs
     * TimescaleDB retention policies. Returns the names of the partitions dropped.
     */
    public List<String> applyRetention(Instant now) throws SQLException {
        List<String> dropped = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (Layout layout : layouts(c).values()) {
                if (layout.timescale()) {
                    try (PreparedStatement s = c.prepareStatement("SELECT remove_retention_policy(?::regclass, "
                            + "if_exists => true), add_retention_policy(?::regclass, make_interval(secs => ?))")) {
                        s.setString(1, layout.table());
                        s.setString(2, layout.table());
                        s.setLong(3, layout.retention().toSeconds());
                        s.execute();
                    }
                    continue;
                }
                LocalDate cutoff = LocalDate.ofInstant(now.minus(layout.retention()), ZoneOffset.UTC);
                for (String partition : partitions(c, layout.table())) {
                    LocalDate start = LocalDate.parse(partition.substring(layout.table().length() + 2), SUFFIX);
                    if (!layout.next(start).isAfter(cutoff)) {
                        try (Statement s = c.createStatement()) {
                            s.execute("DROP TABLE " + partition);
                        }
                        Set<LocalDate> known = created.get(layout.table());
                        if (known != null) {
                            known.remove(start);
                        }
                        dropped.add(partition);
                        log.atInfo().addKeyValue("event", "partition_dropped").addKeyValue("table", layout.table())
                                .addKeyValue("partition", partition).log("dropped partition past retention");
                    }
                }
            }
        }
        return dropped;
    }

    /** The table's partitions that follow this class's naming, oldest first. */
    List<String> partitions(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT child.relname FROM pg_inherits i "
                + "JOIN pg_class child ON child.oid = i.inhrelid WHERE i.inhparent = ?::regclass "
                + "AND child.relname ~ ('^' || ? || '_p[0-9]{8}$') ORDER BY child.relname")) {
            s.setString(1, table);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
