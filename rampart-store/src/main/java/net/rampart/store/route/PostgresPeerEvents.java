package net.rampart.store.route;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;
import net.rampart.collector.history.HistoryUnavailableException;
import net.rampart.collector.peers.PeerDown;
import net.rampart.collector.peers.PeerEventStore;
import net.rampart.collector.peers.PeerSession;
import net.rampart.collector.peers.PeerStatistic;
import net.rampart.collector.peers.RouterInfo;
import net.rampart.collector.rib.RouterId;

/** Routers, peers, peer events and statistics in PostgreSQL ({@code router}, {@code peer}, ...). */
public final class PostgresPeerEvents implements PeerEventStore {
    private final DataSource dataSource;
    private final TimePartitions partitions;
    private final PeerDirectory directory = new PeerDirectory();

    public PostgresPeerEvents(DataSource dataSource, TimePartitions partitions) {
        this.dataSource = dataSource;
        this.partitions = partitions;
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Runs in one transaction; ids and partitions are resolved before it, committed. */
    private void transaction(Work prepare, Work work) throws HistoryUnavailableException {
        try (Connection c = dataSource.getConnection()) {
            try {
                c.setAutoCommit(true);
                prepare.run(c);
                c.setAutoCommit(false);
                work.run(c);
                c.commit();
            } catch (SQLException e) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new HistoryUnavailableException("peer event write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void routerUp(RouterInfo router, long timeMillis) throws HistoryUnavailableException {
        transaction(c -> { }, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO router (name, address, sys_name, sys_descr, first_seen, last_seen, active)
                    VALUES (?, ?::inet, ?, ?, ?, ?, TRUE)
                    ON CONFLICT (name) DO UPDATE SET address = COALESCE(EXCLUDED.address, router.address),
                        sys_name = COALESCE(EXCLUDED.sys_name, router.sys_name),
                        sys_descr = COALESCE(EXCLUDED.sys_descr, router.sys_descr),
                        last_seen = EXCLUDED.last_seen, active = TRUE, termination_reason = NULL""")) {
                s.setString(1, router.router().name());
                s.setString(2, text(router.address()));
                s.setString(3, router.sysName());
                s.setString(4, router.sysDescr());
                s.setTimestamp(5, new Timestamp(timeMillis));
                s.setTimestamp(6, new Timestamp(timeMillis));
                s.executeUpdate();
            }
        });
    }

    @Override
    public void routerDown(RouterId router, String reason, long timeMillis) throws HistoryUnavailableException {
        transaction(c -> { }, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE router SET active = FALSE, termination_reason = ?, last_seen = ? WHERE name = ?");
                 PreparedStatement peers = c.prepareStatement("UPDATE peer SET active = FALSE, last_seen = ? "
                         + "WHERE active AND router_id = (SELECT id FROM router WHERE name = ?)")) {
                s.setString(1, reason);
                s.setTimestamp(2, new Timestamp(timeMillis));
                s.setString(3, router.name());
                s.executeUpdate();
                peers.setTimestamp(1, new Timestamp(timeMillis));
                peers.setString(2, router.name());
                peers.executeUpdate();
            }
        });
    }

    @Override
    public void peerUp(PeerSession p, long timeMillis) throws HistoryUnavailableException {
        int[] ids = new int[2];
        transaction(c -> {
            ids[0] = directory.routerId(c, p.router());
            ids[1] = directory.peerId(c, p.router(), p.peer());
            partitions.ensureCovered(c, "peer_event", new long[] {timeMillis}, 1);
        }, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE peer SET asn = COALESCE(?, asn), bgp_id = COALESCE(?::inet, bgp_id),
                        local_address = COALESCE(?::inet, local_address), local_port = COALESCE(?, local_port),
                        remote_port = COALESCE(?, remote_port), local_asn = COALESCE(?, local_asn),
                        local_bgp_id = COALESCE(?::inet, local_bgp_id), hold_time = COALESCE(?, hold_time),
                        capabilities = COALESCE(?::jsonb, capabilities), table_name = COALESCE(?, table_name),
                        last_seen = ?, active = TRUE
                    WHERE id = ?""")) {
                longOrNull(s, 1, p.asn());
                s.setString(2, text(p.bgpId()));
                s.setString(3, text(p.localAddress()));
                longOrNull(s, 4, p.localPort());
                longOrNull(s, 5, p.remotePort());
                longOrNull(s, 6, p.localAsn());
                s.setString(7, text(p.localBgpId()));
                longOrNull(s, 8, p.holdTime());
                s.setString(9, p.capabilities().isEmpty() ? null : jsonArray(p.capabilities()));
                s.setString(10, p.tableName());
                s.setTimestamp(11, new Timestamp(timeMillis));
                s.setInt(12, ids[1]);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO peer_event (time, peer_id, event) VALUES (?, ?, 'up')")) {
                s.setTimestamp(1, new Timestamp(timeMillis));
                s.setInt(2, ids[1]);
                s.executeUpdate();
            }
        });
    }

    @Override
    public void peerDown(PeerDown d) throws HistoryUnavailableException {
        int[] peerId = new int[1];
        transaction(c -> {
            peerId[0] = directory.peerId(c, d.router(), d.peer());
            partitions.ensureCovered(c, "peer_event", new long[] {d.timeMillis()}, 1);
        }, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE peer SET active = FALSE, last_seen = ? WHERE id = ?")) {
                s.setTimestamp(1, new Timestamp(d.timeMillis()));
                s.setInt(2, peerId[0]);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO peer_event (time, peer_id, event, reason, "
                    + "notification_code, notification_subcode, notification_data) VALUES (?, ?, 'down', ?, ?, ?, ?)")) {
                s.setTimestamp(1, new Timestamp(d.timeMillis()));
                s.setInt(2, peerId[0]);
                s.setShort(3, (short) d.reason());
                longOrNull(s, 4, d.notificationCode());
                longOrNull(s, 5, d.notificationSubcode());
                s.setBytes(6, d.notificationData());
                s.executeUpdate();
            }
        });
    }

    @Override
    public void statistics(List<PeerStatistic> values) throws HistoryUnavailableException {
        if (values.isEmpty()) {
            return;
        }
        int[] peerIds = new int[values.size()];
        long[] times = new long[values.size()];
        transaction(c -> {
            for (int i = 0; i < values.size(); i++) {
                PeerStatistic v = values.get(i);
                peerIds[i] = directory.peerId(c, v.router(), v.peer());
                times[i] = v.timeMillis();
            }
            partitions.ensureCovered(c, "peer_statistic", times, times.length);
        }, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO peer_statistic (time, peer_id, stat_type, "
                    + "afi, safi, value) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < values.size(); i++) {
                    PeerStatistic v = values.get(i);
                    s.setTimestamp(1, new Timestamp(v.timeMillis()));
                    s.setInt(2, peerIds[i]);
                    s.setInt(3, v.type());
                    longOrNull(s, 4, v.family() == null ? -1 : v.family().afi());
                    longOrNull(s, 5, v.family() == null ? -1 : v.family().safi());
                    s.setLong(6, v.value());
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    private static String text(InetAddress a) {
        return a == null ? null : a.getHostAddress();
    }

    private static void longOrNull(PreparedStatement s, int i, long v) throws SQLException {
        if (v < 0) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }

    /** A JSON array of strings; quotes, backslashes and control characters escaped. */
    static String jsonArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"');
            for (char ch : values.get(i).toCharArray()) {
                if (ch == '"' || ch == '\\') {
                    sb.append('\\').append(ch);
                } else if (ch < 0x20) {
                    sb.append(String.format("\\u%04x", (int) ch));
                } else {
                    sb.append(ch);
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }
}
