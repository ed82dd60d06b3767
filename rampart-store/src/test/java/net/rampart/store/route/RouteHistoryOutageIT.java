package net.rampart.store.route;

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
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path from RIB to PostgreSQL while the database goes away and comes back: nothing
 * the RIB accepted may be missing from history, and current routes must equal the RIB.
 */
class RouteHistoryOutageIT {
    @TempDir
    Path dir;

    private static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    private static List<RouteKey> prefixes(int from, int to) {
        List<RouteKey> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new Ipv4RouteKey(0x0A000000 + (i << 8), 24, 0));
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(50);
        }
    }

    @Test
    void anOutageLosesNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path pgData = dir.resolve("pg");
        EmbeddedPostgres postgres = startPostgres(pgData, port);
        Database database = Database.open(DatabaseSettings.external(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres"));
        HistorySettings settings = HistorySettings.defaults(dir.resolve("spool"))
                .withBatch(5_000, Duration.ofMillis(100)).withQueueCapacity(10_000)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30));
        HistoryBatches batches = new HistoryBatches();
        PostgresRouteHistory writer = new PostgresRouteHistory(database.dataSource(),
                new TimePartitions(database.dataSource()), new RefusedRows(database.dataSource()), batches);
        try (HistoryRecorder recorder = HistoryRecorder.start(writer, settings, reason -> { })) {
            Rib rib = new Rib(recorder);
            RouterId router = new RouterId("192.0.2.1");
            PeerKey peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
            PathAttributes attrs = PathAttributes.builder().origin(0).asPath(AsPath.sequence(65001, 65002))
                    .nextHop(new byte[] {10, 0, 0, 1}).build();
            long t = System.currentTimeMillis();
            rib.apply(router, peer, RibView.ADJ_RIB_IN_PRE,
                    RouteUpdate.announce(t, Family.IPV4_UNICAST, attrs, prefixes(0, 20_000)));
            await(() -> count(database, "SELECT count(*) FROM route_history") == 20_000, "first table in history");

            postgres.close();
            // The database is gone: the RIB keeps taking updates, the recorder spools them.
            PathAttributes changed = PathAttributes.builder().origin(0).asPath(AsPath.sequence(65001, 65003))
                    .nextHop(new byte[] {10, 0, 0, 2}).build();
            for (int i = 0; i < 20; i++) {
                rib.apply(router, peer, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(t + 1 + i, Family.IPV4_UNICAST,
                        changed, prefixes(20_000 + i * 1_000, 21_000 + i * 1_000)));
            }
            rib.apply(router, peer, RibView.ADJ_RIB_IN_PRE,
                    RouteUpdate.withdraw(t + 100, Family.IPV4_UNICAST, prefixes(0, 5_000)));
            await(() -> recorder.spoolBytes() > 0, "events to be spooled");
            // The queue may overflow into the spool before the writer's next attempt finds the database gone.
            await(() -> !recorder.storeAvailable(), "the writer to notice the outage");
            assertThat(recorder.lagMillis()).isPositive();

            postgres = startPostgres(pgData, port);
            await(() -> recorder.spoolBytes() == 0 && recorder.queuedEvents() == 0, "the spool to drain");

            assertThat(count(database, "SELECT count(*) FROM route_history")).isEqualTo(20_000 + 20_000 + 5_000);
            new RouteCheckpoint(database.dataSource(), batches).run();
            assertThat(count(database, "SELECT count(*) FROM current_route WHERE NOT withdrawn"))
                    .isEqualTo(rib.routeCount()).isEqualTo(35_000);
            assertThat(count(database, "SELECT count(*) FROM current_route WHERE withdrawn AND update_count = 2"))
                    .isEqualTo(5_000);
            assertThat(recorder.droppedEvents()).isZero();
        } finally {
            database.close();
            postgres.close();
        }
    }

    private static long count(Database database, String sql) {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
