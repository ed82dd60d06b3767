package net.rampart.store.route;

import static net.rampart.store.route.PostgresRouteHistoryIT.event;
import static net.rampart.store.route.PostgresRouteHistoryIT.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.learn.features.FlapDamping;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.features.RouteFeatureState;
import net.rampart.learn.features.SessionFeature;
import net.rampart.store.EmbeddedDatabase;
import net.rampart.store.RefusedRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature tables brought up to date from route history and peer events: refreshed a little at
 * a time they hold what the features of the whole history are, rows change when a window passes
 * with no new event, and a route's or session's features are served at any time.
 */
class HistoryFeaturesIT {
    @RegisterExtension
    static final EmbeddedDatabase database = new EmbeddedDatabase();

    private static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final Ipv4RouteKey A = Ipv4RouteKey.parse("203.0.113.0/24", 0);
    private static final Ipv4RouteKey B = Ipv4RouteKey.parse("198.51.100.0/24", 0);
    private static final String ROUTER = "192.0.2.1";
    private static final String PEER = "192.0.2.10";
    private final PeerKey peer = peer(PEER);
    private PostgresRouteHistory history;
    private HistoryFeatures features;

    @BeforeEach
    void clean() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE route_history, current_route, route_feature, session_feature, peer_event");
            s.execute("UPDATE feature_refresh SET route_seq = 0, refreshed_at = NULL");
        }
        history = new PostgresRouteHistory(database.dataSource(), new TimePartitions(database.dataSource()),
                new RefusedRows(database.dataSource()), new HistoryBatches());
        features = new HistoryFeatures(database.dataSource(), FlapDamping.DEFAULT);
    }

    private static long minute(double m) {
        return T0 + (long) (m * 60_000);
    }

    private static PathAttributes attrs(long med, long... path) {
        return PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(path))
                .nextHop(new byte[] {10, 0, 0, 1}).med(med).build();
    }

    private RouteEvent a(double minute, PathAttributes attrs) {
        return event(minute(minute), peer, Family.IPV4_UNICAST, A, attrs);
    }

    /** The hour of RouteFeatureStateTest: up, a duplicate, new MED, new path, down, up, down. */
    private static final PathAttributes SHORT = attrs(10, 65001, 65002, 65003);
    private static final PathAttributes SHORT_OTHER_MED = attrs(20, 65001, 65002, 65003);
    private static final PathAttributes LONG = attrs(20, 65001, 65004, 65005, 65006, 65003);

    @Test
    void refreshedPieceByPieceTheTableHoldsTheFeaturesOfTheWholeHistory() throws Exception {
        history.write(List.of(a(0, SHORT), a(10, SHORT)));
        Instant first = Instant.ofEpochMilli(minute(15));
        HistoryFeatures.Refresh r1 = features.refresh(first).orElseThrow();
        assertThat(r1.historyRows()).isEqualTo(2);
        assertThat(r1.routesWritten()).isEqualTo(1);
        history.write(List.of(a(20, SHORT_OTHER_MED), a(30, LONG)));
        history.write(List.of(a(40, null), a(42, LONG), a(58, null)));
        history.write(List.of(event(minute(59), peer, Family.IPV4_UNICAST, B, SHORT)));
        HistoryFeatures.Refresh r2 = features.refresh(Instant.ofEpochMilli(minute(60))).orElseThrow();
        assertThat(r2.fromSeq()).isEqualTo(r1.toSeq());
        assertThat(r2.historyRows()).isEqualTo(6);

        Map<String, Object> row = row(A);
        // Worked out by hand in RouteFeatureStateTest, but for the next hop: every set here has one.
        assertThat(row).containsEntry("announcements_1h", 4).containsEntry("announcements_24h", 5)
                .containsEntry("withdrawals_5m", 1).containsEntry("path_changes_1h", 1)
                .containsEntry("state_changes_1h", 5).containsEntry("state_changes_24h", 6)
                .containsEntry("path_length", 5).containsEntry("next_hops_24h", 1)
                .containsEntry("withdrawn", true).containsEntry("failures", 2)
                .containsEntry("mtbf_seconds", 1680.0).containsEntry("seconds_since_change", 120.0);
        assertThat((Double) row.get("path_length_variance")).isCloseTo(0.96, within(1e-12));
        assertThat(row.get("computed_at")).isEqualTo(new java.sql.Timestamp(minute(60)));
        assertThat(row.get("next_expiry")).as("the withdrawal at 58 leaves the five minutes")
                .isEqualTo(new java.sql.Timestamp(minute(63)));

        // The same events in one state, at once: what the table holds is no different.
        RouteFeatureState whole = new RouteFeatureState(FlapDamping.DEFAULT);
        whole.announce(minute(0), 1, 1, 3, 1);
        whole.announce(minute(10), 1, 1, 3, 1);
        whole.announce(minute(20), 2, 1, 3, 1);
        whole.announce(minute(30), 3, 2, 5, 1);
        whole.withdraw(minute(40));
        whole.announce(minute(42), 3, 2, 5, 1);
        whole.withdraw(minute(58));
        double[] expected = whole.features(minute(60));
        for (RouteFeature f : RouteFeature.all()) {
            Object stored = row.get(f.column());
            double value = stored == null ? Double.NaN
                    : stored instanceof Boolean b ? (b ? 1 : 0) : ((Number) stored).doubleValue();
            assertThat(value).as(f.column()).isCloseTo(expected[f.ordinal()], within(1e-9));
        }
        assertThat(row(B)).containsEntry("announcements_5m", 1).containsEntry("withdrawn", false)
                .containsEntry("mtbf_seconds", null);
    }

    @Test
    void aRowIsTakenAgainWhenAWindowPassesAndOnlyThen() throws Exception {
        history.write(List.of(a(0, SHORT), a(58, null)));
        features.refresh(Instant.ofEpochMilli(minute(60))).orElseThrow();
        assertThat(row(A)).containsEntry("withdrawals_5m", 1);

        HistoryFeatures.Refresh quiet = features.refresh(Instant.ofEpochMilli(minute(62))).orElseThrow();
        assertThat(quiet.routesWritten()).as("no window has changed by 62").isZero();
        HistoryFeatures.Refresh expired = features.refresh(Instant.ofEpochMilli(minute(64))).orElseThrow();
        assertThat(expired.historyRows()).isZero();
        assertThat(expired.routesWritten()).isEqualTo(1);
        assertThat(row(A)).containsEntry("withdrawals_5m", 0).containsEntry("withdrawals_1h", 1)
                .containsEntry("next_expiry", new java.sql.Timestamp(minute(58 + 60)));

        features.refresh(Instant.ofEpochMilli(minute(58 + 24 * 60 + 1))).orElseThrow();
        assertThat(row(A)).containsEntry("withdrawals_24h", 0).containsEntry("next_expiry", null)
                .containsEntry("failures", 1);
    }

    @Test
    void aRouteIsServedWithTheHistoryWrittenSinceTheLastRefresh() throws Exception {
        history.write(List.of(a(0, SHORT), a(58, null)));
        features.refresh(Instant.ofEpochMilli(minute(60))).orElseThrow();
        history.write(List.of(a(61, LONG)));

        List<HistoryFeatures.RouteFeatures> served = features.routes(ROUTER, PEER, "203.0.113.0/24",
                Instant.ofEpochMilli(minute(62)));
        assertThat(served).hasSize(1);
        HistoryFeatures.RouteFeatures route = served.getFirst();
        assertThat(route.view()).isEqualTo("adj-rib-in-pre");
        assertThat(route.prefix()).isEqualTo("203.0.113.0/24");
        assertThat(route.values()[RouteFeature.ANNOUNCEMENTS_5M.ordinal()]).isEqualTo(1);
        assertThat(route.values()[RouteFeature.PATH_CHANGES_5M.ordinal()]).isEqualTo(1);
        assertThat(route.values()[RouteFeature.WITHDRAWN.ordinal()]).isZero();
        assertThat(route.values()[RouteFeature.SECONDS_SINCE_CHANGE.ordinal()]).isEqualTo(60);
        assertThat(row(A)).as("serving writes nothing").containsEntry("withdrawn", true);

        // At a time before the stored state's last event: the route's history up to then, only.
        HistoryFeatures.RouteFeatures earlier = features.routes(ROUTER, PEER, "203.0.113.0/24",
                Instant.ofEpochMilli(minute(30))).getFirst();
        assertThat(earlier.values()[RouteFeature.ANNOUNCEMENTS_1H.ordinal()]).isEqualTo(1);
        assertThat(earlier.values()[RouteFeature.WITHDRAWN.ordinal()]).isZero();
        assertThat(earlier.values()[RouteFeature.FAILURES.ordinal()]).isZero();
        assertThat(earlier.values()[RouteFeature.PATH_LENGTH.ordinal()]).isEqualTo(3);
        // Between the refresh's last event (58) and the row written since (61): the stored state alone.
        HistoryFeatures.RouteFeatures between = features.routes(ROUTER, PEER, "203.0.113.0/24",
                Instant.ofEpochMilli(minute(60))).getFirst();
        assertThat(between.values()[RouteFeature.WITHDRAWN.ordinal()]).isEqualTo(1);
        assertThat(between.values()[RouteFeature.ANNOUNCEMENTS_5M.ordinal()]).isZero();

        assertThat(features.routes(ROUTER, PEER, "192.0.2.0/24", Instant.ofEpochMilli(minute(62)))).isEmpty();
        assertThat(features.routes(ROUTER, "192.0.2.99", "203.0.113.0/24", Instant.ofEpochMilli(minute(62))))
                .isEmpty();
    }

    @Test
    void sessionFeaturesComeFromEveryPeerEvent() throws Exception {
        PostgresSessionEvents events = new PostgresSessionEvents(database.dataSource(),
                new TimePartitions(database.dataSource()), new RefusedRows(database.dataSource()));
        Instant t = Instant.ofEpochMilli(T0);
        events.routerChanged(new RouterRecord(ROUTER, RouterRecord.BMP, ROUTER, "edge", "test router", t, t, true,
                null));
        PeerKey key = PeerKey.global(InetAddress.getByName(PEER));
        PeerRecord record = new PeerRecord(ROUTER, PEER, 0, "0:0", 65001, "192.0.2.254", ROUTER, 179, 40000, 65000,
                ROUTER, 90, List.of("four-octet-as"), null, t, t, true, false, false, -1, null, Map.of());
        events.peerChanged(key, record);
        events.peerSession(key, record, Instant.ofEpochMilli(minute(0)), true, -1, null);
        events.peerSession(key, record, Instant.ofEpochMilli(minute(30)), false, 2, null);
        events.peerSession(key, record, Instant.ofEpochMilli(minute(31)), true, -1, null);
        events.peerSession(key, record, Instant.ofEpochMilli(minute(50)), false, 2, null);
        events.peerSession(key, record, Instant.ofEpochMilli(minute(55)), true, -1, null);
        events.close(Duration.ofSeconds(30));

        HistoryFeatures.Refresh r = features.refresh(Instant.ofEpochMilli(minute(60))).orElseThrow();
        assertThat(r.sessionsWritten()).isEqualTo(1);
        Map<String, Object> row = single("SELECT * FROM session_feature");
        assertThat(row).containsEntry("ups_1h", 2).containsEntry("downs_1h", 2).containsEntry("up", true)
                .containsEntry("downs", 2).containsEntry("uptime_seconds", 300.0)
                .containsEntry("mtbf_seconds", 27 * 60.0);

        List<HistoryFeatures.SessionFeatures> served = features.sessions(ROUTER, PEER,
                Instant.ofEpochMilli(minute(120)));
        assertThat(served).hasSize(1);
        assertThat(served.getFirst().values()[SessionFeature.UPTIME_SECONDS.ordinal()]).isEqualTo(65 * 60);
        assertThat(served.getFirst().values()[SessionFeature.DOWNS_1H.ordinal()]).isZero();
        assertThat(features.sessions(ROUTER, "192.0.2.99", Instant.ofEpochMilli(minute(120)))).isEmpty();
    }

    private Map<String, Object> row(Ipv4RouteKey key) throws SQLException {
        return single("SELECT * FROM route_feature WHERE prefix = '" + key + "'::cidr");
    }

    private static Map<String, Object> single(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            Map<String, Object> row = new java.util.HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
            }
            assertThat(rs.next()).as("one row: " + sql).isFalse();
            return row;
        }
    }
}
