package net.rampart.store.route;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.rampart.collector.rib.RibView;
import net.rampart.learn.features.FlapDamping;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.features.RouteFeatureState;
import net.rampart.learn.features.SessionFeature;
import net.rampart.learn.features.SessionFeatureState;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The feature tables: {@code route_feature} and {@code session_feature}, brought up to date from
 * route history and peer events by {@link #refresh}, and the features of one route or session
 * served at any time by {@link #routes} and {@link #sessions}.
 *
 * <p>A refresh reads the history rows written since the last one (by seq, up to where every
 * batch has ended, as {@link RouteCheckpoint} does), continues each route's state from its row
 * with them, and then takes again the rows whose window counts have changed since with the
 * passing of time alone ({@code next_expiry}); rows of routes with nothing new are not touched.
 * All of it, and how far it got, commit in one transaction, so a refresh that fails leaves the
 * table as it was and the next one starts from the same place.
 */
public final class HistoryFeatures {
    /** How long a refresh waits for the history batches in flight to end before it skips a turn. */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(30);
    /** History rows per chunk: their routes' states are loaded, updated and written together. */
    private static final int CHUNK_ROWS = 50_000;

    private static final String ROUTE_KEY_COLUMNS = "peer_id, view, afi, safi, route_key, path_id";
    private static final String FEATURE_COLUMNS = RouteFeature.all().stream().map(RouteFeature::column)
            .collect(Collectors.joining(", "));

    private static final String NEW_HISTORY = """
            SELECT h.peer_id, h.view, h.afi, h.safi, h.route_key, h.path_id, h.router_id, h.prefix::text,
                   h.time, h.is_withdrawn, h.attrs_id, host(a.next_hop), a.as_path
            FROM route_history h
            LEFT JOIN path_attributes a ON a.id = h.attrs_id
            WHERE h.seq > ? AND h.seq <= ?
            ORDER BY h.seq""";

    /**
     * The first refresh also reads the rows written before history had a seq (V104): they have
     * none, and are older than every row that has one.
     */
    private static final String FIRST_HISTORY = NEW_HISTORY
            .replace("WHERE h.seq > ? AND h.seq <= ?", "WHERE (h.seq > ? AND h.seq <= ?) OR h.seq IS NULL")
            .replace("ORDER BY h.seq", "ORDER BY h.seq NULLS FIRST, h.time");

    private static final String STATES_OF_KEYS = "SELECT " + ROUTE_KEY_COLUMNS + ", router_id, prefix::text, state"
            + " FROM route_feature JOIN unnest(?::integer[], ?::smallint[], ?::smallint[], ?::smallint[], ?::text[],"
            + " ?::bigint[]) AS k(" + ROUTE_KEY_COLUMNS + ") USING (" + ROUTE_KEY_COLUMNS + ")";

    private static final String EXPIRED = "SELECT " + ROUTE_KEY_COLUMNS + ", router_id, prefix::text, state"
            + " FROM route_feature WHERE next_expiry <= ? ORDER BY next_expiry LIMIT " + CHUNK_ROWS;

    /** Rows are copied into this, then merged: COPY cannot update. */
    private static final String STAGING = "CREATE TEMP TABLE route_feature_in (peer_id INTEGER, view SMALLINT,"
            + " afi SMALLINT, safi SMALLINT, route_key TEXT COLLATE \"C\", path_id BIGINT, router_id INTEGER,"
            + " prefix TEXT, computed_at TIMESTAMPTZ, next_expiry TIMESTAMPTZ, state BYTEA, "
            + RouteFeature.all().stream().map(f -> f.column() + " DOUBLE PRECISION").collect(Collectors.joining(", "))
            + ") ON COMMIT DROP";

    private static final String MERGE = "INSERT INTO route_feature (" + ROUTE_KEY_COLUMNS
            + ", router_id, prefix, computed_at, next_expiry, state, " + FEATURE_COLUMNS + ") SELECT "
            + ROUTE_KEY_COLUMNS + ", router_id, prefix::cidr, computed_at, next_expiry, state, "
            + RouteFeature.all().stream().map(HistoryFeatures::stagedValue).collect(Collectors.joining(", "))
            + " FROM route_feature_in ON CONFLICT (" + ROUTE_KEY_COLUMNS + ") DO UPDATE SET router_id ="
            + " EXCLUDED.router_id, prefix = EXCLUDED.prefix, computed_at = EXCLUDED.computed_at, next_expiry ="
            + " EXCLUDED.next_expiry, state = EXCLUDED.state, "
            + RouteFeature.all().stream().map(f -> f.column() + " = EXCLUDED." + f.column())
            .collect(Collectors.joining(", "));


    private static final String SESSION_COLUMNS = SessionFeature.all().stream().map(SessionFeature::column)
            .collect(Collectors.joining(", "));

    private static final String SESSION_UPSERT = "INSERT INTO session_feature (peer_id, router_id, computed_at, "
            + SESSION_COLUMNS + ") VALUES (?, ?, ?, "
            + SessionFeature.all().stream().map(f -> f == SessionFeature.UP ? "? <> 0" : "?")
            .collect(Collectors.joining(", "))
            + ") ON CONFLICT (peer_id) DO UPDATE SET router_id = EXCLUDED.router_id, computed_at ="
            + " EXCLUDED.computed_at, "
            + SessionFeature.all().stream().map(f -> f.column() + " = EXCLUDED." + f.column())
            .collect(Collectors.joining(", "));

    /**
     * Takes replayed history: one event of {@code key} (a route or a session, the same object for
     * the same one) at {@code timeMillis}, which {@code apply} applies to the key's state,
     * saying whether it changed it.
     */
    public interface Replay<S> {
        void event(Object key, long timeMillis, Predicate<S> apply);
    }

    /**
     * What one refresh did.
     *
     * @param routesWritten rows of route_feature written: a route with new history once per chunk of
     *                      history rows it has rows in, and routes whose windows changed with time
     */
    public record Refresh(Instant asOf, long fromSeq, long toSeq, long historyRows, long routesWritten,
                         long sessionsWritten) {
    }

    /** One route's features at a time, in {@link RouteFeature} order (NaN: missing). */
    public record RouteFeatures(String router, String peer, String view, int afi, int safi, String routeKey,
                                String prefix, long pathId, Instant asOf, double[] values) {
    }

    /** One session's features at a time, in {@link SessionFeature} order (NaN: missing). */
    public record SessionFeatures(String router, String peer, Instant asOf, double[] values) {
    }

    private record Key(int peerId, short view, short afi, short safi, String routeKey, long pathId) {
    }

    /** A route being brought up to date: its state and what the row names beside its key. */
    private static final class Entry {
        final RouteFeatureState state;
        int routerId;
        String prefix;

        Entry(RouteFeatureState state, int routerId, String prefix) {
            this.state = state;
            this.routerId = routerId;
            this.prefix = prefix;
        }
    }

    /** One row of route history, as the features need it. */
    private record HistoryRow(Key key, int routerId, String prefix, long time, boolean withdrawn, long attrsId,
                              AttributeFacts facts) {
        /** Returns whether the row changed the route's state. */
        boolean applyTo(RouteFeatureState state) {
            return withdrawn ? state.withdraw(time)
                    : state.announce(time, attrsId, facts.asPathHash(), facts.pathLength(), facts.nextHop());
        }
    }

    /** What a history row's attribute set adds to the features: the same for every row of the set. */
    private record AttributeFacts(long asPathHash, int pathLength, int nextHop) {
        static final AttributeFacts NONE = new AttributeFacts(0, 0, 0);
    }

    private final DataSource dataSource;
    private final HistoryBatches batches = new HistoryBatches();
    private final FlapDamping damping;
    private final BinaryCopyRows copyRow = new BinaryCopyRows();

    public HistoryFeatures(DataSource dataSource, FlapDamping damping) {
        this.dataSource = dataSource;
        this.damping = damping;
    }

    /**
     * Brings both tables up to date at {@code asOf}: every history row whose batch has ended, the
     * rows whose windows have changed by then, and every session. Empty when a history batch stayed
     * in flight too long to know where to stop (the next refresh tries again). One refresh at a
     * time, across every service on the database.
     */
    public synchronized Optional<Refresh> refresh(Instant asOf) throws SQLException, InterruptedException {
        long now = asOf.toEpochMilli();
        try (Connection writer = dataSource.getConnection(); Connection reader = dataSource.getConnection()) {
            OptionalLong bound = batches.finishedUpTo(writer, IN_FLIGHT_WAIT);
            if (bound.isEmpty()) {
                return Optional.empty();
            }
            writer.setAutoCommit(false);
            try {
                long from;
                try (Statement s = writer.createStatement();
                     ResultSet rs = s.executeQuery("SELECT route_seq FROM feature_refresh FOR UPDATE")) {
                    rs.next();
                    from = rs.getLong(1);
                }
                long to = Math.max(from, bound.getAsLong());
                try (Statement s = writer.createStatement()) {
                    s.execute(STAGING);
                }
                long[] history = applyNewHistory(reader, writer, from, to, now);
                long expired = rewriteExpired(writer, now);
                long sessions = refreshSessions(writer, now);
                try (PreparedStatement mark = writer.prepareStatement(
                        "UPDATE feature_refresh SET route_seq = ?, refreshed_at = ?")) {
                    mark.setLong(1, to);
                    mark.setTimestamp(2, Timestamp.from(asOf));
                    mark.executeUpdate();
                }
                writer.commit();
                return Optional.of(new Refresh(asOf, from, to, history[0], history[1] + expired, sessions));
            } catch (SQLException | RuntimeException | InterruptedException e) {
                writer.rollback();
                throw e;
            }
        }
    }

    /** Returns the history rows read and the routes written. */
    private long[] applyNewHistory(Connection reader, Connection writer, long from, long to, long now)
            throws SQLException, InterruptedException {
        long rows = 0;
        long written = 0;
        Map<Long, AttributeFacts> facts = new HashMap<>();
        reader.setAutoCommit(false);
        try (PreparedStatement s = reader.prepareStatement(from == 0 ? FIRST_HISTORY : NEW_HISTORY)) {
            s.setFetchSize(10_000);
            s.setLong(1, from);
            s.setLong(2, to);
            List<HistoryRow> chunk = new ArrayList<>(CHUNK_ROWS);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    chunk.add(historyRow(rs, facts));
                    rows++;
                    if (chunk.size() == CHUNK_ROWS) {
                        written += applyChunk(writer, chunk, now);
                        chunk.clear();
                    }
                }
            }
            written += applyChunk(writer, chunk, now);
        } finally {
            reader.commit();
            reader.setAutoCommit(true);
        }
        return new long[] {rows, written};
    }

    private static HistoryRow historyRow(ResultSet rs, Map<Long, AttributeFacts> facts) throws SQLException {
        Key key = new Key(rs.getInt(1), rs.getShort(2), rs.getShort(3), rs.getShort(4), rs.getString(5),
                rs.getLong(6));
        long attrsId = rs.getLong(11);
        AttributeFacts f = AttributeFacts.NONE;
        if (!rs.wasNull()) {
            f = facts.get(attrsId);
            if (f == null) {
                f = attributeFacts(rs.getString(12), rs.getArray(13));
                facts.put(attrsId, f);
            }
        }
        return new HistoryRow(key, rs.getInt(7), rs.getString(8), rs.getTimestamp(9).getTime(), rs.getBoolean(10),
                attrsId, f);
    }

    private static AttributeFacts attributeFacts(String nextHop, Array asPath) throws SQLException {
        long[] path = new long[0];
        if (asPath != null) {
            Object[] asns = (Object[]) asPath.getArray();
            path = new long[asns.length];
            for (int i = 0; i < asns.length; i++) {
                path[i] = ((Number) asns[i]).longValue();
            }
        }
        return new AttributeFacts(Arrays.hashCode(path) * 31L + path.length, path.length,
                nextHop == null ? 0 : nextHop.hashCode());
    }

    private int applyChunk(Connection writer, List<HistoryRow> chunk, long now)
            throws SQLException, InterruptedException {
        if (chunk.isEmpty()) {
            return 0;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("feature refresh");
        }
        Map<Key, Entry> entries = new LinkedHashMap<>();
        for (HistoryRow row : chunk) {
            entries.putIfAbsent(row.key(), null);
        }
        loadStates(writer, entries);
        for (HistoryRow row : chunk) {
            Entry e = entries.get(row.key());
            if (e == null) {
                e = new Entry(new RouteFeatureState(damping), row.routerId(), row.prefix());
                entries.put(row.key(), e);
            }
            e.routerId = row.routerId();
            if (row.prefix() != null) {
                e.prefix = row.prefix();
            }
            row.applyTo(e.state);
        }
        write(writer, entries, now);
        return entries.size();
    }

    /** Fills in the states the table holds for {@code entries}' keys. */
    private void loadStates(Connection c, Map<Key, Entry> entries) throws SQLException {
        int n = entries.size();
        Integer[] peers = new Integer[n];
        Short[] views = new Short[n];
        Short[] afis = new Short[n];
        Short[] safis = new Short[n];
        String[] routeKeys = new String[n];
        Long[] pathIds = new Long[n];
        int i = 0;
        for (Key k : entries.keySet()) {
            peers[i] = k.peerId();
            views[i] = k.view();
            afis[i] = k.afi();
            safis[i] = k.safi();
            routeKeys[i] = k.routeKey();
            pathIds[i] = k.pathId();
            i++;
        }
        try (PreparedStatement s = c.prepareStatement(STATES_OF_KEYS)) {
            s.setArray(1, c.createArrayOf("integer", peers));
            s.setArray(2, c.createArrayOf("smallint", views));
            s.setArray(3, c.createArrayOf("smallint", afis));
            s.setArray(4, c.createArrayOf("smallint", safis));
            s.setArray(5, c.createArrayOf("text", routeKeys));
            s.setArray(6, c.createArrayOf("bigint", pathIds));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.put(keyOf(rs), entryOf(rs));
                }
            }
        }
    }

    private static Key keyOf(ResultSet rs) throws SQLException {
        return new Key(rs.getInt(1), rs.getShort(2), rs.getShort(3), rs.getShort(4), rs.getString(5), rs.getLong(6));
    }

    private Entry entryOf(ResultSet rs) throws SQLException {
        return new Entry(RouteFeatureState.decode(rs.getBytes(9), damping), rs.getInt(7), rs.getString(8));
    }

    /** Takes again the rows whose window counts changed by {@code now}; returns how many. */
    private long rewriteExpired(Connection writer, long now) throws SQLException, InterruptedException {
        long written = 0;
        while (true) {
            Map<Key, Entry> entries = new LinkedHashMap<>();
            try (PreparedStatement s = writer.prepareStatement(EXPIRED)) {
                s.setTimestamp(1, new Timestamp(now));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        entries.put(keyOf(rs), entryOf(rs));
                    }
                }
            }
            if (entries.isEmpty()) {
                return written;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("feature refresh");
            }
            // Each row written gets a next expiry after now, so the next round reads others.
            write(writer, entries, now);
            written += entries.size();
        }
    }

    private void write(Connection c, Map<Key, Entry> entries, long now) throws SQLException {
        double[] v = new double[RouteFeature.count()];
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY route_feature_in FROM STDIN (FORMAT binary)");
        try {
            copyRow.begin(copy);
            for (Map.Entry<Key, Entry> me : entries.entrySet()) {
                Key k = me.getKey();
                Entry e = me.getValue();
                // A route event from the future (a router's clock ahead) counts from its own time on.
                long asOf = Math.max(now, e.state.lastEventMillis());
                e.state.features(asOf, v, 0);
                long expiry = e.state.nextExpiry(asOf);
                copyRow.row(11 + v.length);
                copyRow.int4(k.peerId());
                copyRow.int2(k.view());
                copyRow.int2(k.afi());
                copyRow.int2(k.safi());
                copyRow.text(k.routeKey());
                copyRow.int8(k.pathId());
                copyRow.int4(e.routerId);
                copyRow.text(e.prefix);
                copyRow.timestampMillis(asOf);
                if (expiry == Long.MAX_VALUE) {
                    copyRow.nullValue();
                } else {
                    copyRow.timestampMillis(expiry);
                }
                copyRow.bytea(e.state.encode());
                for (double x : v) {
                    copyRow.float8OrNull(x);
                }
            }
            copyRow.finish();
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(MERGE);
            s.execute("TRUNCATE route_feature_in");
        }
    }

    /** A feature as the staging table holds it (double precision), into its column's type. */
    private static String stagedValue(RouteFeature f) {
        return f == RouteFeature.WITHDRAWN ? "withdrawn <> 0" : f.column();
    }

    /** Takes every session's features again from its peer events; returns how many sessions. */
    private long refreshSessions(Connection c, long now) throws SQLException {
        Collection<Session> sessions = sessionStates(c, "", Instant.ofEpochMilli(now));
        try (PreparedStatement s = c.prepareStatement(SESSION_UPSERT)) {
            double[] v = new double[SessionFeature.count()];
            for (Session session : sessions) {
                session.state().features(now, v, 0);
                s.setInt(1, session.peerId());
                s.setInt(2, session.routerId());
                s.setTimestamp(3, new Timestamp(now));
                for (int i = 0; i < v.length; i++) {
                    if (Double.isNaN(v[i])) {
                        s.setNull(4 + i, java.sql.Types.DOUBLE);
                    } else {
                        s.setDouble(4 + i, v[i]);
                    }
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        return sessions.size();
    }

    /**
     * Replays the route history of {@code [from, to]} in time order (by seq within a
     * millisecond) into {@code sink}, streamed; returns how many rows it read.
     */
    public long replayRoutes(Instant from, Instant to, Replay<RouteFeatureState> sink) throws SQLException {
        String select = NEW_HISTORY.replace("WHERE h.seq > ? AND h.seq <= ?", "WHERE h.time >= ? AND h.time <= ?")
                .replace("ORDER BY h.seq", "ORDER BY h.time, h.seq");
        long rows = 0;
        Map<Long, AttributeFacts> facts = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(select)) {
                s.setFetchSize(10_000);
                s.setTimestamp(1, Timestamp.from(from));
                s.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        HistoryRow row = historyRow(rs, facts);
                        sink.event(row.key(), row.time(), row::applyTo);
                        rows++;
                    }
                }
            } finally {
                c.commit();
            }
        }
        return rows;
    }

    /** Replays the peer events of {@code [from, to]} in time order into {@code sink}; returns how many. */
    public long replaySessions(Instant from, Instant to, Replay<SessionFeatureState> sink) throws SQLException {
        // A down and an up of one session in one millisecond: the down first ('down' < 'up'), as everywhere.
        String select = "SELECT peer_id, time, event = 'up' FROM peer_event WHERE time >= ? AND time <= ?"
                + " ORDER BY time, peer_id, event";
        long rows = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(select)) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long time = rs.getTimestamp(2).getTime();
                    boolean up = rs.getBoolean(3);
                    sink.event(rs.getInt(1), time, state -> up ? state.up(time) : state.down(time));
                    rows++;
                }
            }
        }
        return rows;
    }

    /**
     * The features at {@code asOf} of every route of {@code prefix} that {@code router} reports
     * from {@code peer} (one per RIB view and path ID), from its history up to {@code asOf}: the
     * state of the last refresh continued with the rows written since, or, when that state
     * already holds an event after {@code asOf} (a time in the past), the route's whole history
     * up to then. Read in one snapshot, so that a refresh committing meanwhile neither hides nor
     * repeats a row.
     */
    public List<RouteFeatures> routes(String router, String peer, String prefix, Instant asOf) throws SQLException {
        String stored = "SELECT " + ROUTE_KEY_COLUMNS + ", f.router_id, f.prefix::text, f.state FROM route_feature f"
                + " JOIN peer p ON p.id = f.peer_id JOIN router r ON r.id = f.router_id"
                + " WHERE f.prefix = ?::cidr AND r.name = ? AND host(p.address) = ?";
        String ofRoute = NEW_HISTORY
                .replace("FROM route_history h\n", "FROM route_history h\nJOIN peer p ON p.id = h.peer_id"
                        + " JOIN router r ON r.id = h.router_id\n")
                // Rows from before history had a seq (V104) count as older than any with one.
                .replace("WHERE h.seq > ? AND h.seq <= ?", "WHERE h.prefix = ?::cidr AND r.name = ?"
                        + " AND host(p.address) = ? AND h.time <= ? AND coalesce(h.seq, -1) > ?")
                .replace("ORDER BY h.seq", "ORDER BY h.seq NULLS FIRST, h.time");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Map<Key, Entry> entries = new LinkedHashMap<>();
                try (PreparedStatement s = c.prepareStatement(stored)) {
                    s.setString(1, prefix);
                    s.setString(2, router);
                    s.setString(3, peer);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            entries.put(keyOf(rs), entryOf(rs));
                        }
                    }
                }
                long after = refreshedSeq(c);
                if (entries.values().stream().anyMatch(e -> e.state.lastEventMillis() > asOf.toEpochMilli())) {
                    // A state cannot be taken back in time: the whole history up to asOf instead.
                    entries.clear();
                    after = Long.MIN_VALUE;
                }
                Map<Long, AttributeFacts> facts = new HashMap<>();
                try (PreparedStatement s = c.prepareStatement(ofRoute)) {
                    s.setString(1, prefix);
                    s.setString(2, router);
                    s.setString(3, peer);
                    s.setTimestamp(4, Timestamp.from(asOf));
                    s.setLong(5, after);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            HistoryRow row = historyRow(rs, facts);
                            row.applyTo(entries.computeIfAbsent(row.key(),
                                    k -> new Entry(new RouteFeatureState(damping), row.routerId(), row.prefix())).state);
                        }
                    }
                }
                List<RouteFeatures> out = new ArrayList<>();
                for (Map.Entry<Key, Entry> me : entries.entrySet()) {
                    Key k = me.getKey();
                    out.add(new RouteFeatures(router, peer, RibView.values()[k.view()].label(), k.afi(),
                            k.safi(), k.routeKey(), me.getValue().prefix, k.pathId(), asOf,
                            me.getValue().state.features(asOf.toEpochMilli())));
                }
                out.sort(Comparator.comparing(RouteFeatures::view).thenComparingLong(RouteFeatures::pathId));
                return out;
            } finally {
                c.commit();
            }
        }
    }

    /** How far the feature tables have read route history. */
    private static long refreshedSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT route_seq FROM feature_refresh")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The features at {@code asOf} of the sessions {@code router} has with {@code peer}, from every peer event. */
    public List<SessionFeatures> sessions(String router, String peer, Instant asOf) throws SQLException {
        return sessionFeatures(" AND r.name = ? AND host(p.address) = ?", asOf, router, peer);
    }

    /** The features at {@code asOf} of every session with a peer event, from every peer event. */
    public List<SessionFeatures> allSessions(Instant asOf) throws SQLException {
        return sessionFeatures("", asOf);
    }

    private List<SessionFeatures> sessionFeatures(String where, Instant asOf, String... parameters)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return sessionStates(c, where, asOf, parameters).stream().map(st -> new SessionFeatures(st.router(),
                    st.peer(), asOf, st.state().features(asOf.toEpochMilli()))).toList();
        }
    }

    /** A session's state from its peer events, with the ids and names the table and the API use. */
    private record Session(int peerId, int routerId, String router, String peer, SessionFeatureState state) {
    }

    /**
     * Every session's state from its peer events up to {@code asOf} ({@code where} narrows them,
     * with {@code parameters}), in the order of the events; a down and an up of one session in one
     * millisecond apply the down first ('down' &lt; 'up'), as the training's replay does.
     */
    private Collection<Session> sessionStates(Connection c, String where, Instant asOf, String... parameters)
            throws SQLException {
        String select = "SELECT e.peer_id, p.router_id, r.name, host(p.address), e.time, e.event = 'up'"
                + " FROM peer_event e JOIN peer p ON p.id = e.peer_id JOIN router r ON r.id = p.router_id"
                + " WHERE e.time <= ?" + where + " ORDER BY e.peer_id, e.time, e.event";
        Map<Integer, Session> states = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(select)) {
            s.setTimestamp(1, Timestamp.from(asOf));
            for (int i = 0; i < parameters.length; i++) {
                s.setString(2 + i, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int routerId = rs.getInt(2);
                    String router = rs.getString(3);
                    String peer = rs.getString(4);
                    Session session = states.computeIfAbsent(rs.getInt(1),
                            id -> new Session(id, routerId, router, peer, new SessionFeatureState(damping)));
                    long time = rs.getTimestamp(5).getTime();
                    if (rs.getBoolean(6)) {
                        session.state().up(time);
                    } else {
                        session.state().down(time);
                    }
                }
            }
        }
        return states.values();
    }

    /**
     * The features at {@code asOf} of every route with an event in the 24 hours before the last
     * refresh (the rows whose windows still hold events), as of that refresh: streamed to
     * {@code sink}.
     */
    public void activeRoutes(Instant asOf, Consumer<RouteFeatures> sink) throws SQLException {
        String select = "SELECT " + ROUTE_KEY_COLUMNS + ", f.router_id, f.prefix::text, f.state, r.name,"
                + " host(p.address) FROM route_feature f JOIN peer p ON p.id = f.peer_id"
                + " JOIN router r ON r.id = f.router_id WHERE f.next_expiry IS NOT NULL";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(select)) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Key k = keyOf(rs);
                        Entry e = entryOf(rs);
                        sink.accept(new RouteFeatures(rs.getString(10), rs.getString(11),
                                RibView.values()[k.view()].label(), k.afi(), k.safi(), k.routeKey(), e.prefix,
                                k.pathId(), asOf, e.state.features(asOf.toEpochMilli())));
                    }
                }
            } finally {
                c.commit();
            }
        }
    }
}
