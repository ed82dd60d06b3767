package net.rampart.store.route;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import javax.sql.DataSource;
import net.rampart.collector.history.HistoryRejectedException;
import net.rampart.collector.history.HistoryUnavailableException;
import net.rampart.collector.history.RouteHistoryWriter;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
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
 * Writes route events to {@code route_history} and {@code current_route}: one text COPY of the
 * batch into a session-local staging table, then two set-based statements, in one transaction.
 * An event refused for its content is kept in {@code refused_row} (writer {@code history}) once
 * the recorder has isolated it. Not thread-safe: one writer thread uses one instance.
 */
public final class PostgresRouteHistory implements RouteHistoryWriter {
    private static final Logger log = LoggerFactory.getLogger(PostgresRouteHistory.class);
    private static final String STAGE = """
            CREATE TEMP TABLE IF NOT EXISTS route_stage (
                seq integer, time_ms bigint, router_id integer, session_id bigint, peer_id integer, view smallint, afi smallint,
                safi smallint, prefix cidr, route_key text COLLATE "C", path_id bigint, is_withdrawn boolean, next_hop inet,
                as_path bigint[], origin_asn bigint, origin smallint, med bigint, local_pref bigint,
                communities text[], extended_communities bigint[], large_communities text[],
                evpn_route_type smallint, rd text, esi text, mac macaddr, ip inet, labels integer[]
            ) ON COMMIT DELETE ROWS""";
    private static final String COPY = "COPY route_stage FROM STDIN";
    private static final String NO_PARTITION = "23514";
    private static final String WRITER = "history";
    private static final String COLUMNS = "router_id, peer_id, view, afi, safi, prefix, route_key, path_id, "
            + "next_hop, as_path, origin_asn, origin, med, local_pref, communities, extended_communities, "
            + "large_communities, evpn_route_type, rd, esi, mac, ip, labels";
    private static final String INSERT_HISTORY = "INSERT INTO route_history (time, is_withdrawn, session_id, "
            + COLUMNS + ") SELECT to_timestamp(time_ms / 1000.0), is_withdrawn, session_id, " + COLUMNS
            + " FROM route_stage";
    /**
     * The last event per route wins; update_count adds every event; a withdrawal keeps the
     * attributes the route had, so a withdrawn route still shows what was withdrawn.
     */
    private static final String CURRENT_COLUMNS = """
            INSERT INTO current_route AS cur (peer_id, view, afi, safi, route_key, path_id, router_id, prefix,
                withdrawn, first_seen, last_change, update_count, next_hop, as_path, origin_asn, origin, med,
                local_pref, communities, extended_communities, large_communities, evpn_route_type, rd, esi, mac,
                ip, labels)
            """;
    private static final String ON_CONFLICT = """
            ON CONFLICT (peer_id, view, afi, safi, route_key, path_id) DO UPDATE SET
                withdrawn = EXCLUDED.withdrawn,
                last_change = EXCLUDED.last_change,
                update_count = cur.update_count + EXCLUDED.update_count,
                router_id = EXCLUDED.router_id,
                prefix = EXCLUDED.prefix,
                next_hop = CASE WHEN EXCLUDED.withdrawn THEN cur.next_hop ELSE EXCLUDED.next_hop END,
                as_path = CASE WHEN EXCLUDED.withdrawn THEN cur.as_path ELSE EXCLUDED.as_path END,
                origin_asn = CASE WHEN EXCLUDED.withdrawn THEN cur.origin_asn ELSE EXCLUDED.origin_asn END,
                origin = CASE WHEN EXCLUDED.withdrawn THEN cur.origin ELSE EXCLUDED.origin END,
                med = CASE WHEN EXCLUDED.withdrawn THEN cur.med ELSE EXCLUDED.med END,
                local_pref = CASE WHEN EXCLUDED.withdrawn THEN cur.local_pref ELSE EXCLUDED.local_pref END,
                communities = CASE WHEN EXCLUDED.withdrawn THEN cur.communities ELSE EXCLUDED.communities END,
                extended_communities = CASE WHEN EXCLUDED.withdrawn THEN cur.extended_communities
                    ELSE EXCLUDED.extended_communities END,
                large_communities = CASE WHEN EXCLUDED.withdrawn THEN cur.large_communities
                    ELSE EXCLUDED.large_communities END,
                evpn_route_type = EXCLUDED.evpn_route_type,
                rd = EXCLUDED.rd,
                esi = COALESCE(EXCLUDED.esi, cur.esi),
                mac = EXCLUDED.mac,
                ip = EXCLUDED.ip,
                labels = COALESCE(EXCLUDED.labels, cur.labels)""";
    /**
     * The last event per route wins; update_count adds every event; a withdrawal keeps the
     * attributes the route had, so a withdrawn route still shows what was withdrawn.
     */
    private static final String UPSERT_CURRENT = CURRENT_COLUMNS + """
            SELECT DISTINCT ON (peer_id, view, afi, safi, route_key, path_id)
                peer_id, view, afi, safi, route_key, path_id, router_id, prefix, is_withdrawn,
                to_timestamp(min(time_ms) OVER k / 1000.0), to_timestamp(time_ms / 1000.0), count(*) OVER k,
                next_hop, as_path, origin_asn, origin, med, local_pref, communities, extended_communities,
                large_communities, evpn_route_type, rd, esi, mac, ip, labels
            FROM route_stage
            WINDOW k AS (PARTITION BY peer_id, view, afi, safi, route_key, path_id)
            ORDER BY peer_id, view, afi, safi, route_key, path_id, seq DESC
            """ + ON_CONFLICT;
    /** The same for a batch that touches each route once (a table dump), without the sort. */
    private static final String UPSERT_CURRENT_UNIQUE = CURRENT_COLUMNS + """
            SELECT peer_id, view, afi, safi, route_key, path_id, router_id, prefix, is_withdrawn,
                to_timestamp(time_ms / 1000.0), to_timestamp(time_ms / 1000.0), 1,
                next_hop, as_path, origin_asn, origin, med, local_pref, communities, extended_communities,
                large_communities, evpn_route_type, rd, esi, mac, ip, labels
            FROM route_stage
            """ + ON_CONFLICT;

    private final DataSource dataSource;
    private final TimePartitions partitions;
    private final RefusedRows refused;
    private final PeerDirectory directory = new PeerDirectory();
    private final CopyRowBuffer row = new CopyRowBuffer();

    public PostgresRouteHistory(DataSource dataSource, TimePartitions partitions, RefusedRows refused) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.refused = refused;
    }

    @Override
    public void write(List<RouteEvent> events) throws HistoryUnavailableException, HistoryRejectedException {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            try {
                writeBatch(c, events);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (NO_PARTITION.equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("no partition")) {
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

    private void writeBatch(Connection c, List<RouteEvent> events) throws SQLException {
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
        partitions.ensureCovered(c, "route_history", times, n);

        c.setAutoCommit(false);
        long started = System.nanoTime();
        long copied;
        long historyDone;
        long currentDone;
        try (Statement s = c.createStatement()) {
            s.execute(STAGE);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
            try {
                row.begin(copy);
                for (int i = 0; i < n; i++) {
                    encode(i, events.get(i), routerIds[i], peerIds[i]);
                }
                row.finish();
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            copied = System.nanoTime();
            s.executeUpdate(INSERT_HISTORY);
            historyDone = System.nanoTime();
            s.executeUpdate(touchesEachRouteOnce(events, peerIds) ? UPSERT_CURRENT_UNIQUE : UPSERT_CURRENT);
            currentDone = System.nanoTime();
        }
        c.commit();
        if (log.isDebugEnabled()) {
            log.atDebug().addKeyValue("event", "history_batch_written").addKeyValue("events", n)
                    .addKeyValue("copy_ms", (copied - started) / 1_000_000)
                    .addKeyValue("history_ms", (historyDone - copied) / 1_000_000)
                    .addKeyValue("current_ms", (currentDone - historyDone) / 1_000_000)
                    .addKeyValue("commit_ms", (System.nanoTime() - currentDone) / 1_000_000)
                    .log("route history batch written");
        }
    }

    private record RouteRef(int peerId, RibView view, Family family, RouteKey key) {
    }

    private static boolean touchesEachRouteOnce(List<RouteEvent> events, int[] peerIds) {
        HashSet<RouteRef> seen = new HashSet<>(events.size() * 2);
        for (int i = 0; i < events.size(); i++) {
            RouteEvent e = events.get(i);
            if (!seen.add(new RouteRef(peerIds[i], e.view(), e.family(), e.key()))) {
                return false;
            }
        }
        return true;
    }

    private void encode(int seq, RouteEvent e, int routerId, int peerId) throws SQLException {
        row.longValue(seq);
        row.longValue(e.timeMillis());
        row.longValue(routerId);
        if (e.session() == 0) {
            row.nullValue(); // a source without sessions (an MRT import)
        } else {
            row.longValue(e.session());
        }
        row.longValue(peerId);
        row.longValue(e.view().ordinal());
        row.longValue(e.family().afi());
        row.longValue(e.family().safi());
        RouteKey key = e.key();
        // A labeled or VPN route's prefix column holds its IP prefix; the RD and labels have columns of their own.
        switch (key instanceof LabeledPrefix l ? l.prefix() : key) {
            case Ipv4RouteKey p -> row.ipv4(p.address(), p.length());
            case Ipv6RouteKey p -> row.text(p.text());
            case EvpnRouteKey r when r.routeType() == EvpnRouteKey.IP_PREFIX && r.ip() != null ->
                    row.text(EvpnRouteKey.ipText(r.ip()) + "/" + r.ipLength());
            default -> row.nullValue();
        }
        row.text(key.text());
        row.longValue(Integer.toUnsignedLong(key.pathId()));
        row.booleanValue(e.withdrawn());
        PathAttributes a = e.attributes();
        if (a == null) {
            for (int i = 0; i < 9; i++) {
                row.nullValue();
            }
        } else {
            nextHop(a.nextHop());
            row.longArray(a.asPath().asns());
            row.longOrNull(a.asPath().originAsn());
            row.longOrNull(a.origin());
            row.longOrNull(a.med());
            row.longOrNull(a.localPref());
            row.communities(a.communities());
            row.longArray(a.extendedCommunities());
            row.largeCommunities(a.largeCommunities());
        }
        if (key instanceof EvpnRouteKey r) {
            row.longValue(r.routeType());
            row.text(RouteDistinguisher.format(r.rd()));
            row.text(r.esiText());
            row.mac(r.mac());
            row.text(r.routeType() == EvpnRouteKey.IP_PREFIX ? null : EvpnRouteKey.ipText(r.ip()));
            row.unsignedIntArray(r.labels().length == 0 ? null : r.labels());
        } else if (key instanceof LabeledPrefix l) {
            row.nullValue();
            row.text(l.rd() == null ? null : RouteDistinguisher.format(l.rd()));
            for (int i = 0; i < 3; i++) {
                row.nullValue();
            }
            // A withdrawal's label field is no label of the route (RFC 8277 section 2.4 lets it carry
            // 0x800000): left null, so that current_route keeps the labels last announced.
            row.unsignedIntArray(e.withdrawn() ? null : l.labels());
        } else {
            for (int i = 0; i < 6; i++) {
                row.nullValue();
            }
        }
        row.endRow();
    }

    /** Next hops of VPN families carry an 8-byte RD first; IPv6 may add a link-local address. */
    private void nextHop(byte[] nh) throws SQLException {
        if (nh == null) {
            row.nullValue();
            return;
        }
        int offset = nh.length == 12 || nh.length == 24 || nh.length == 48 ? 8 : 0;
        int length = nh.length - offset;
        if (length == 4) {
            row.ipv4((nh[offset] & 0xFF) << 24 | (nh[offset + 1] & 0xFF) << 16 | (nh[offset + 2] & 0xFF) << 8
                    | (nh[offset + 3] & 0xFF), 32);
        } else if (length >= 16) {
            byte[] global = java.util.Arrays.copyOfRange(nh, offset, offset + 16);
            row.text(EvpnRouteKey.ipText(global));
        } else {
            row.nullValue();
        }
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
