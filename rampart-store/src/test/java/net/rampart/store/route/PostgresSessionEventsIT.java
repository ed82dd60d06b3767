package net.rampart.store.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.rib.PeerKey;
import net.rampart.store.EmbeddedDatabase;
import net.rampart.store.RefusedRows;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routers, peers and peer events, written in order on their own thread, on the embedded PostgreSQL. */
class PostgresSessionEventsIT {
    @RegisterExtension
    static final EmbeddedDatabase database = new EmbeddedDatabase();

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    private static RouterRecord router(String address, String sysName) {
        return new RouterRecord(address, RouterRecord.BMP, address, sysName, "test router", T, T, true, null);
    }

    private static PeerRecord peer(String router, String address, String tableName) {
        return new PeerRecord(router, address, 0, "0:0", 65001, "192.0.2.254", router, 179, 40000, 65000, router,
                90, List.of("four-octet-as"), tableName, T, T, true, false, false, -1, null, Map.of());
    }

    @Test
    void aRowTheDatabaseRefusesHoldsUpNoneBehindIt() throws Exception {
        RefusedRows refused = new RefusedRows(database.dataSource());
        PostgresSessionEvents events = new PostgresSessionEvents(database.dataSource(),
                new TimePartitions(database.dataSource()), refused);
        for (int i = 0; i < 10; i++) {
            // A sysName is what the router's BMP Initiation said; PostgreSQL refuses a NUL in text (22021).
            events.routerChanged(router("192.0.2." + (i + 1), i == 4 ? "edge\u0000five" : "edge-" + i));
        }
        PeerKey key = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        PeerRecord peer = peer("192.0.2.1", "198.51.100.1", "vrf-blue");
        events.peerChanged(key, peer);
        events.peerSession(key, peer, T, true, -1, null);
        // Returns once everything queued is written (or set aside).
        events.close(Duration.ofSeconds(30));

        assertThat(count("SELECT count(*) FROM router WHERE sys_name LIKE 'edge-%'")).isEqualTo(9);
        assertThat(count("SELECT count(*) FROM peer WHERE table_name = 'vrf-blue'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM peer_event WHERE event = 'up'")).isEqualTo(1);
        assertThat(refused.refused("sessions")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM refused_row WHERE writer = 'sessions' AND sql_state = '22021'"
                + " AND position('router: ' in row_text) = 1 AND position('edge\\u0000five' in row_text) > 0"))
                .as("the refused router row, its NUL escaped").isEqualTo(1);
        assertThat(events.makingProgress()).as("a refusal is an answer, not an outage").isTrue();
    }

    @Test
    void peerEventsAndStatisticsReadBackNewestFirstForOneRouterOrPeer() throws Exception {
        PostgresSessionEvents events = new PostgresSessionEvents(database.dataSource(),
                new TimePartitions(database.dataSource()), new RefusedRows(database.dataSource()));
        String router = "203.0.113.7";
        events.routerChanged(router(router, "edge-history"));
        PeerKey first = PeerKey.global(InetAddress.getByName("198.51.100.21"));
        PeerKey second = PeerKey.global(InetAddress.getByName("198.51.100.22"));
        events.peerChanged(first, peer(router, "198.51.100.21", null));
        events.peerChanged(second, peer(router, "198.51.100.22", null));
        events.peerSession(first, peer(router, "198.51.100.21", null), T, true, -1, null);
        events.peerSession(first, peer(router, "198.51.100.21", null), T.plusSeconds(60), false, 3,
                new NotificationMessage(6, 2, new byte[0]));
        events.peerSession(second, peer(router, "198.51.100.22", null), T.plusSeconds(30), true, -1, null);
        events.statistics(router, first, T, List.of(new Statistic(Statistic.ROUTES_ADJ_RIB_IN, -1, -1, 10, null)));
        events.statistics(router, first, T.plusSeconds(15), List.of(new Statistic(Statistic.ROUTES_ADJ_RIB_IN, -1, -1, 12, null),
                new Statistic(Statistic.ROUTES_ADJ_RIB_IN_PER_AFI_SAFI, 1, 1, 7, null)));
        events.close(Duration.ofSeconds(30));
        SessionHistoryQueries queries = new SessionHistoryQueries(database.dataSource());

        var all = queries.peerEvents(new SessionHistoryQueries.PeerFilter(router, null, Instant.EPOCH), 0, 10);
        assertThat(all.matched()).isEqualTo(3);
        assertThat(all.rows()).extracting(SessionHistoryQueries.PeerEvent::peer)
                .containsExactly("198.51.100.21", "198.51.100.22", "198.51.100.21");
        var down = all.rows().get(0);
        assertThat(down.event()).isEqualTo("down");
        assertThat(down.reason()).isEqualTo(3);
        assertThat(down.notificationCode()).isEqualTo(6);
        assertThat(down.notificationSubcode()).isEqualTo(2);
        assertThat(down.peerAsn()).isEqualTo(65001);
        assertThat(all.rows().get(1).reason()).as("an up has no reason").isNull();

        var onePeer = queries.peerEvents(new SessionHistoryQueries.PeerFilter(null, "198.51.100.22", Instant.EPOCH), 0, 10);
        assertThat(onePeer.matched()).isEqualTo(1);
        var secondPage = queries.peerEvents(new SessionHistoryQueries.PeerFilter(router, null, Instant.EPOCH), 2, 10);
        assertThat(secondPage.rows()).hasSize(1);
        assertThat(secondPage.rows().get(0).event()).isEqualTo("up");
        assertThat(queries.peerEvents(new SessionHistoryQueries.PeerFilter(router, null, T.plusSeconds(31)), 0, 10)
                .matched()).as("since").isEqualTo(1);

        var stats = queries.peerStatistics(new SessionHistoryQueries.PeerFilter(router, "198.51.100.21", Instant.EPOCH), 0, 10);
        assertThat(stats.matched()).isEqualTo(3);
        assertThat(stats.rows().get(stats.rows().size() - 1).value()).as("oldest last").isEqualTo(10);
        assertThat(stats.rows()).anySatisfy(s -> {
            assertThat(s.statType()).isEqualTo(Statistic.ROUTES_ADJ_RIB_IN_PER_AFI_SAFI);
            assertThat(s.afi()).isEqualTo(1);
            assertThat(s.safi()).isEqualTo(1);
            assertThat(s.name()).isEqualTo("routes in per-AFI/SAFI Adj-RIB-In");
        });
    }

    private static long count(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
