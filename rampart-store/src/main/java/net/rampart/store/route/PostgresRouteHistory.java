package net.rampart.store.route;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import net.rampart.collector.history.HistoryRejectedException;
import net.rampart.collector.history.HistoryUnavailableException;
import net.rampart.collector.history.RouteHistoryWriter;
import net.rampart.collector.history.SourcePosition;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.RefusedRows;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends route events to {@code route_history}: the attribute sets the batch uses are looked up
 * or added in {@code path_attributes} ({@link AttributeSets}), chunk by chunk ahead of the rows on
 * a connection of their own ({@link SetsAhead}), and the narrow history rows go by binary COPY
 * straight into the time partition they belong to, all of a batch's rows in one transaction.
 * A failed batch leaves no row; the sets it stored are found again by its retry. Each row gets
 * a {@code seq} from {@link HistoryBatches}, by which {@link RouteCheckpoint} later merges rows
 * into {@code current_route}; nothing here updates a row. An event refused for its content is
 * kept in {@code refused_row} (writer {@code history}) once the recorder has isolated it. Not
 * thread-safe: one writer thread uses one instance.
 */
public final class PostgresRouteHistory implements RouteHistoryWriter {
    private static final Logger log = LoggerFactory.getLogger(PostgresRouteHistory.class);
    private static final String TABLE = "route_history";
    private static final String COLUMNS = " (time, router_id, session_id, peer_id, view, afi, safi, prefix, route_key, "
            + "path_id, is_withdrawn, attrs_id, evpn_route_type, rd, esi, mac, ip, labels, seq) FROM STDIN (FORMAT binary)";
    private static final int FIELDS = 19;
    private static final String NO_PARTITION = "23514";
    private static final String NO_RELATION = "42P01";
    private static final String WRITER = "history";
    private static final int ORDER_INDEX_BITS = 24;
    /**
     * Events per chunk whose attribute sets are resolved ahead of the rows: the rows of the first
     * chunk wait for its sets, the later chunks' sets are stored while the rows before them copy.
     */
    static final int CHUNK_EVENTS = 5_000;

    private final DataSource dataSource;
    private final TimePartitions partitions;
    private final RefusedRows refused;
    private final HistoryBatches batches;
    private final PeerDirectory directory = new PeerDirectory();
    private final AttributeSets attributeSets = new AttributeSets();
    private final BinaryCopyRows row = new BinaryCopyRows();

    /**
     * @param batches numbers this writer's batches (any instance: what holds checkpoints back from
     *                batches in flight is a lock in the database)
     */
    public PostgresRouteHistory(DataSource dataSource, TimePartitions partitions, RefusedRows refused,
                                HistoryBatches batches) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.refused = refused;
        this.batches = batches;
    }

    @Override
    public void write(List<RouteEvent> events) throws HistoryUnavailableException, HistoryRejectedException {
        write(events, List.of());
    }

    /** Writes the events and, in their transaction, the positions of their source ({@code source_position}). */
    @Override
    public void write(List<RouteEvent> events, List<SourcePosition> positions)
            throws HistoryUnavailableException, HistoryRejectedException {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            try {
                writeBatch(c, events, positions);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (NO_RELATION.equals(e.getSQLState()) || NO_PARTITION.equals(e.getSQLState())
                    && String.valueOf(e.getMessage()).contains("partition")) {
                // A partition this writer thought present was dropped (retention elsewhere):
                // forget what it knows and let the retry create it again.
                partitions.forgetCreated();
                throw new HistoryUnavailableException("route history partition missing: " + e.getMessage(), e);
            }
            if (isAboutTheData(e)) {
                throw new HistoryRejectedException("route history refused a batch of " + events.size() + ": "
                        + e.getMessage(), e);
            }
            throw new HistoryUnavailableException("route history write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps the event with PostgreSQL's reason. Every {@link HistoryRejectedException} this class
     * throws carries the {@link SQLException} that refused the batch.
     */
    @Override
    public void keepRefused(RouteEvent event, HistoryRejectedException refusal) {
        refused.keepIsolated(WRITER, describe(event), (SQLException) refusal.getCause());
    }

    /** The event as text, its route in the route's own text form (the {@code route_key} column). */
    private static String describe(RouteEvent e) {
        return "time=" + Instant.ofEpochMilli(e.timeMillis()) + " router=" + e.router() + " session="
                + e.session() + " peer=" + e.peer() + " view=" + e.view() + " family=" + e.family() + " route="
                + e.key().text() + " path_id=" + Integer.toUnsignedLong(e.key().pathId()) + " "
                + (e.withdrawn() ? "withdrawn" : e.attributes());
    }

    private void writeBatch(Connection c, List<RouteEvent> events, List<SourcePosition> positions)
            throws SQLException {
        c.setAutoCommit(true);
        int n = events.size();
        int[] routerIds = new int[n];
        int[] peerIds = new int[n];
        long[] times = new long[n];
        RouterId lastRouter = null;
        PeerKey lastPeer = null;
        int routerId = 0;
        int peerId = 0;
        for (int i = 0; i < n; i++) {
            RouteEvent e = events.get(i);
            if (e.router() != lastRouter || e.peer() != lastPeer) {
                lastRouter = e.router();
                lastPeer = e.peer();
                routerId = directory.routerId(c, lastRouter);
                peerId = directory.peerId(c, lastRouter, lastPeer);
            }
            routerIds[i] = routerId;
            peerIds[i] = peerId;
            times[i] = e.timeMillis();
        }
        partitions.ensureCovered(c, TABLE, times, n);
        List<TimePartitions.Target> targets = new ArrayList<>(1);
        int[] targetOf = new int[n];
        for (int i = 0; i < n; i++) {
            targetOf[i] = target(c, targets, times[i]);
        }

        boolean debug = log.isDebugEnabled();
        long walBefore = debug ? walPosition(c) : 0;
        long started = System.nanoTime();
        long waited = 0;
        SetsAhead sets = SetsAhead.start(dataSource, attributeSets, events, CHUNK_EVENTS);
        try {
            c.setAutoCommit(false);
            long[] numbers = batches.begin(c, (n + HistoryBatches.MAX_ROWS - 1) / HistoryBatches.MAX_ROWS);
            try {
                for (int chunk = 0; chunk < sets.chunks(); chunk++) {
                    long waitFrom = System.nanoTime();
                    long[] attrsIds = sets.ids(chunk);
                    waited += System.nanoTime() - waitFrom;
                    int from = chunk * CHUNK_EVENTS;
                    copyRows(c, events, from, Math.min(n, from + CHUNK_EVENTS), targets, targetOf, numbers,
                            routerIds, peerIds, attrsIds);
                }
                SourcePositionTable.store(c, positions);
                // Ends the batch for every checkpoint: its transaction held the batches' lock.
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } finally {
            sets.finish();
        }
        if (debug) {
            long committed = System.nanoTime();
            long wal = walPosition(c) - walBefore;
            log.atDebug().addKeyValue("event", "history_batch_written").addKeyValue("events", n)
                    .addKeyValue("new_sets", attributeSets.newSets())
                    .addKeyValue("sets_ms", sets.nanos() / 1_000_000)
                    .addKeyValue("stage_ms", attributeSets.stageNanos() / 1_000_000)
                    .addKeyValue("insert_ms", attributeSets.insertNanos() / 1_000_000)
                    .addKeyValue("select_ms", attributeSets.selectNanos() / 1_000_000)
                    .addKeyValue("waited_ms", waited / 1_000_000)
                    .addKeyValue("total_ms", (committed - started) / 1_000_000)
                    .addKeyValue("wal_bytes", wal)
                    .log("route history batch written");
        }
    }

    /**
     * Copies the rows of events {@code from} to {@code to} (exclusive) into their partitions, in
     * the order of their prefixes ({@link #prefixOrder}).
     */
    private void copyRows(Connection c, List<RouteEvent> events, int from, int to,
                          List<TimePartitions.Target> targets, int[] targetOf, long[] numbers, int[] routerIds,
                          int[] peerIds, long[] attrsIds) throws SQLException {
        int[] order = prefixOrder(events.subList(from, to));
        for (int t = 0; t < targets.size(); t++) {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + targets.get(t).relation() + COLUMNS);
            try {
                row.begin(copy);
                for (int k : order) {
                    int i = from + k;
                    if (targetOf[i] == t) {
                        encode(HistoryBatches.seq(numbers, i), events.get(i), routerIds[i], peerIds[i], attrsIds[k]);
                    }
                }
                row.finish();
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }
    }

    /**
     * The events' indices in the order of their prefixes (family, then address, then length, as
     * the {@code (prefix, time)} index sorts them): rows copied in that order insert into that
     * B-tree leaf after leaf instead of at random, which is most of what the copy costs.
     */
    static int[] prefixOrder(List<RouteEvent> events) {
        int n = events.size();
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            RouteKey key = events.get(i).key();
            // 39 bits of order (a family bit, then 38 bits of address and length) above 24 of index.
            long order = switch (key instanceof LabeledPrefix l ? l.prefix() : key) {
                case Ipv4RouteKey p -> Integer.toUnsignedLong(p.address()) << 6 | p.length();
                case Ipv6RouteKey p -> 1L << 38 | p.high() >>> 26;
                default -> (1L << 39) - 1;
            };
            keys[i] = order << ORDER_INDEX_BITS | i;
        }
        Arrays.sort(keys);
        int[] indices = new int[n];
        for (int k = 0; k < n; k++) {
            indices[k] = (int) (keys[k] & ((1 << ORDER_INDEX_BITS) - 1));
        }
        return indices;
    }

    /** Where PostgreSQL's write-ahead log ends: the debug log's WAL bytes per batch. */
    private static long walPosition(Connection c) throws SQLException {
        try (var s = c.createStatement();
             var r = s.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The index in {@code targets} of the relation for rows at {@code millis}, added when new. */
    private int target(Connection c, List<TimePartitions.Target> targets, long millis) throws SQLException {
        for (int t = targets.size() - 1; t >= 0; t--) {
            if (targets.get(t).covers(millis)) {
                return t;
            }
        }
        targets.add(partitions.targetAt(c, TABLE, millis));
        return targets.size() - 1;
    }

    private void encode(long seq, RouteEvent e, int routerId, int peerId, long attrsId) throws SQLException {
        row.row(FIELDS);
        row.timestampMillis(e.timeMillis());
        row.int4(routerId);
        if (e.session() == 0) {
            row.nullValue(); // a source without sessions (an MRT import)
        } else {
            row.int8(e.session());
        }
        row.int4(peerId);
        row.int2(e.view().ordinal());
        row.int2(e.family().afi());
        row.int2(e.family().safi());
        RouteKey key = e.key();
        // A labeled or VPN route's prefix column holds its IP prefix; the RD and labels have columns of their own.
        switch (key instanceof LabeledPrefix l ? l.prefix() : key) {
            case Ipv4RouteKey p -> row.ipv4(p.address(), p.length(), true);
            case Ipv6RouteKey p -> row.ipv6(p.high(), p.low(), p.length(), true);
            case EvpnRouteKey r when r.routeType() == EvpnRouteKey.IP_PREFIX && isAddress(r.ip()) ->
                    row.ip(r.ip(), 0, r.ip().length, r.ipLength(), true);
            default -> row.nullValue();
        }
        if (key instanceof Ipv4RouteKey p) {
            row.ipv4PrefixText(p.address(), p.length());
        } else {
            row.text(key.text());
        }
        row.int8(Integer.toUnsignedLong(key.pathId()));
        row.bool(e.withdrawn());
        if (attrsId == 0) {
            row.nullValue();
        } else {
            row.int8(attrsId);
        }
        if (key instanceof EvpnRouteKey r) {
            row.int2(r.routeType());
            row.text(RouteDistinguisher.format(r.rd()));
            row.text(r.esiText());
            row.mac(r.mac());
            if (r.routeType() != EvpnRouteKey.IP_PREFIX && isAddress(r.ip())) {
                row.ip(r.ip(), 0, r.ip().length, r.ip().length * 8, false);
            } else {
                row.nullValue();
            }
            row.int4Array(r.labels().length == 0 ? null : r.labels());
        } else if (key instanceof LabeledPrefix l) {
            row.nullValue();
            row.text(l.rd() == null ? null : RouteDistinguisher.format(l.rd()));
            for (int i = 0; i < 3; i++) {
                row.nullValue();
            }
            // A withdrawal's label field is no label of the route (RFC 8277 section 2.4 lets it carry
            // 0x800000): left null, so that current_route keeps the labels last announced.
            row.int4Array(e.withdrawn() ? null : l.labels());
        } else {
            for (int i = 0; i < 6; i++) {
                row.nullValue();
            }
        }
        row.int8(seq);
    }

    /** An EVPN route's IP field holds an IPv4 or IPv6 address (it may be absent or of another length). */
    private static boolean isAddress(byte[] ip) {
        return ip != null && (ip.length == 4 || ip.length == 16);
    }

    /** Data exceptions (22), integrity violations (23) and syntax errors (42) will not heal by retrying. */
    private static boolean isAboutTheData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it.
        }
    }
}
