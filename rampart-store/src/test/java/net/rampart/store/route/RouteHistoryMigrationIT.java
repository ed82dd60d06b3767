package net.rampart.store.route;

import static net.rampart.store.route.PostgresRouteHistoryIT.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the schema before attribute sets (version 103) upgrades in place: its
 * history and current routes read back through the queries as they were written, and new
 * writes and checkpoints carry on from them.
 */
class RouteHistoryMigrationIT {
    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    /** Rows as the writer of version 103 wrote them: attributes in every history and current row. */
    private static final String OLD_ROWS = """
            INSERT INTO router (name) VALUES ('mrt:legacy');
            INSERT INTO peer (router_id, peer_type, distinguisher, address)
                SELECT id, 0, 0, '198.51.100.1' FROM router;
            CREATE TABLE route_history_p20261116 PARTITION OF route_history
                FOR VALUES FROM ('2026-11-16 00:00:00+00') TO ('2026-11-23 00:00:00+00');
            INSERT INTO route_history (time, router_id, peer_id, view, afi, safi, prefix, route_key, path_id,
                is_withdrawn, next_hop, as_path, origin_asn, origin, med, local_pref, communities,
                extended_communities, large_communities)
            VALUES
                ('2026-11-20 10:00:00+00', 1, 1, 0, 1, 1, '203.0.113.0/24', '203.0.113.0/24', 0, false, '10.0.0.1',
                 '{65001,4200000000}', 4200000000, 0, 50, 200, '{65000:100,65000:200}', '{842122827661412}',
                 '{4200000000:1:2}'),
                ('2026-11-20 10:00:01+00', 1, 1, 0, 1, 1, '203.0.113.0/24', '203.0.113.0/24', 0, false, '10.0.0.1',
                 '{65001,65003}', 65003, 0, 50, 200, '{65000:100,65000:200}', '{842122827661412}',
                 '{4200000000:1:2}'),
                ('2026-11-20 10:00:02+00', 1, 1, 0, 1, 1, '203.0.113.0/24', '203.0.113.0/24', 0, true, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                ('2026-11-20 10:00:00+00', 1, 1, 0, 1, 1, '192.0.2.0/24', '192.0.2.0/24', 0, false, '10.0.0.1',
                 '{65001,4200000000}', 4200000000, 0, 50, 200, '{65000:100,65000:200}', '{842122827661412}',
                 '{4200000000:1:2}');
            INSERT INTO current_route (peer_id, view, afi, safi, route_key, path_id, router_id, prefix, withdrawn,
                first_seen, last_change, update_count, next_hop, as_path, origin_asn, origin, med, local_pref,
                communities, extended_communities, large_communities)
            VALUES
                (1, 0, 1, 1, '203.0.113.0/24', 0, 1, '203.0.113.0/24', true, '2026-11-20 10:00:00+00',
                 '2026-11-20 10:00:02+00', 3, '10.0.0.1', '{65001,65003}', 65003, 0, 50, 200, '{65000:100,65000:200}',
                 '{842122827661412}', '{4200000000:1:2}'),
                (1, 0, 1, 1, '192.0.2.0/24', 0, 1, '192.0.2.0/24', false, '2026-11-20 10:00:00+00',
                 '2026-11-20 10:00:00+00', 1, '10.0.0.1', '{65001,4200000000}', 4200000000, 0, 50, 200,
                 '{65000:100,65000:200}', '{842122827661412}', '{4200000000:1:2}');
            """;

    private static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    @Test
    void rowsOfTheOldSchemaReadBackThroughTheQueries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedPostgres postgres = startPostgres(dir.resolve("pg"), port)) {
            Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration")
                    .outOfOrder(true).target("103").load().migrate();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute(OLD_ROWS);
            }
            try (Database database = Database.open(DatabaseSettings.external(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres"))) {
                check(database);
            }
        }
    }

    private static void check(Database database) throws Exception {
        assertThat(queryLong(database, "SELECT count(*) FROM path_attributes WHERE encoded IS NULL"))
                .as("one set per distinct attribute tuple").isEqualTo(2);
        assertThat(queryLong(database, "SELECT count(*) FROM route_history WHERE attrs_id IS NULL"))
                .as("only the withdrawal has no set").isEqualTo(1);

        var history = new RouteHistoryQueries(database.dataSource())
                .history("203.0.113.0/24", T.minusSeconds(60), 0, 10);
        assertThat(history.matched()).isEqualTo(3);
        RouteHistoryQueries.HistoryRow withdrawal = history.rows().get(0);
        assertThat(withdrawal.withdrawn()).isTrue();
        assertThat(withdrawal.asPath()).isEmpty();
        RouteHistoryQueries.HistoryRow first = history.rows().get(2);
        assertThat(first.asPath()).containsExactly(65001L, 4200000000L);
        assertThat(first.originAsn()).isEqualTo(4200000000L);
        assertThat(first.origin()).isEqualTo("igp");
        assertThat(first.nextHop()).isEqualTo("10.0.0.1");
        assertThat(first.med()).isEqualTo(50);
        assertThat(first.localPref()).isEqualTo(200);
        assertThat(first.communities()).containsExactly("65000:100", "65000:200");
        assertThat(first.largeCommunities()).containsExactly("4200000000:1:2");
        assertThat(first.router()).isEqualTo("mrt:legacy");

        // The current route comes back from the migrated set's columns.
        Map<RouteKey, PathAttributes> current = new HashMap<>();
        CurrentRouteReader reader = new CurrentRouteReader(database.dataSource());
        reader.routes("mrt:", (router, peer, view, family, key, attributes, lastChange) ->
                current.put(key, attributes));
        PathAttributes written = attrs(65001, 4200000000L);
        assertThat(current).containsOnlyKeys(Ipv4RouteKey.parse("192.0.2.0/24", 0));
        assertThat(current.values().iterator().next()).isEqualTo(written);

        // New writes carry on: the migrated route is announced again, with an equal set the service
        // now stores with its encoding, and the checkpoint adds to its update count.
        HistoryBatches batches = new HistoryBatches();
        new PostgresRouteHistory(database.dataSource(), new TimePartitions(database.dataSource()),
                new RefusedRows(database.dataSource()), batches).write(List.of(new RouteEvent(
                T.plusSeconds(10).toEpochMilli(), new RouterId("mrt:legacy"), 0,
                PeerKey.global(InetAddress.getByName("198.51.100.1")), RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                Ipv4RouteKey.parse("203.0.113.0/24", 0), PathAttributes.builder().origin(0)
                .asPath(AsPath.sequence(65001, 65004)).nextHop(new byte[] {10, 0, 0, 2}).build())));
        new RouteCheckpoint(database.dataSource(), batches).run();
        assertThat(queryString(database, "SELECT withdrawn || ' ' || update_count || ' ' "
                + "|| (c.first_seen = timestamptz '2026-11-20 10:00:00+00') || ' ' || a.as_path::text "
                + "FROM current_route c JOIN path_attributes a ON a.id = c.attrs_id "
                + "WHERE route_key = '203.0.113.0/24'")).isEqualTo("false 4 true {65001,65004}");
        assertThat(new RouteHistoryQueries(database.dataSource()).history("203.0.113.0/24", T.minusSeconds(60), 0,
                10).rows().get(0).asPath()).containsExactly(65001L, 65004L);
    }

    private static long queryLong(Database database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryString(Database database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row for " + sql).isTrue();
            return rs.getString(1);
        }
    }
}
