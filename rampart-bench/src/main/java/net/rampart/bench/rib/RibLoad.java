package net.rampart.bench.rib;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.bench.VrpSetGenerator;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.collector.rib.Session;
import net.rampart.rpki.RoaIndex;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.TimePartitions;

/**
 * Loads synthetic full tables into the RIB and reports prefixes per second and memory per
 * route; with {@code --database}, also through the history recorder into an embedded
 * PostgreSQL, reporting durable routes per second. Bounded: a fixed number of rounds over a
 * fixed table.
 *
 * <pre>
 * ./mvnw -q -pl rampart-bench -am package -DskipTests
 * cd rampart-bench; java -Xmx6g -cp 'target/rampart-bench.jar:target/lib/*' net.rampart.bench.rib.RibLoad [options]
 *   --ipv4 N       IPv4 prefixes per table (1000000)
 *   --ipv6 N       IPv6 prefixes per table (200000)
 *   --single       one prefix per UPDATE instead of packed UPDATEs
 *   --routers N    routers sending a full table at once, one thread each (1)
 *   --rounds N     repeat into a fresh RIB (3)
 *   --database     also write history to an embedded PostgreSQL (one round)
 *   --batch N      history batch size (10000)
 *   --lanes N      parallel history writers, each with its own connection (1)
 *   --sql S        with --database, run the SQL statement S once the schema is ready, repeatable (an
 *                  experiment with the schema, e.g. an index's storage parameters)
 *   --vrps N       validate every route against N generated VRPs as it is stored, as the service
 *                  does (0: no VRPs, every route not-found without a lookup)
 * </pre>
 */
public final class RibLoad {
    private RibLoad() {
    }

    public static void main(String[] args) throws Exception {
        int ipv4 = 1_000_000;
        int ipv6 = 200_000;
        boolean packed = true;
        int routers = 1;
        int rounds = 3;
        boolean database = false;
        int batch = 10_000;
        int lanes = 1;
        int vrps = 0;
        List<String> sql = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ipv4" -> ipv4 = Integer.parseInt(args[++i]);
                case "--ipv6" -> ipv6 = Integer.parseInt(args[++i]);
                case "--single" -> packed = false;
                case "--routers" -> routers = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--database" -> database = true;
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--lanes" -> lanes = Integer.parseInt(args[++i]);
                case "--vrps" -> vrps = Integer.parseInt(args[++i]);
                case "--sql" -> sql.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FullTables full = FullTables.generate(ipv4, ipv6, packed, routers);
        List<List<RouteUpdate>> tables = full.perRouter();
        long routes = full.routes();
        System.out.printf("table: %d IPv4 + %d IPv6 prefixes, %s, %d UPDATEs per router, %d router(s)%n",
                full.ipv4(), full.ipv6(), packed ? "packed UPDATEs" : "one prefix per UPDATE", tables.get(0).size(),
                routers);
        if (database) {
            endToEnd(tables, routes, batch, lanes, sql);
            return;
        }
        OriginValidator validator = vrps == 0 ? OriginValidator.NONE
                : new RoaIndex(VrpSetGenerator.generate(vrps, 1))::state;
        Rib rib = null;
        for (int round = 1; round <= rounds; round++) {
            AtomicLong events = new AtomicLong();
            rib = new Rib(counting(events));
            rib.revalidate(validator, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
            double seconds = load(rib, tables);
            System.out.printf("round %d: %,d routes in %.3f s = %,.0f prefixes/s; events %,d; attribute sets %,d;"
                            + " table bytes/route %.1f (attribute sets excluded)%n",
                    round, rib.routeCount(), seconds, routes / seconds, events.get(), rib.attributeSetCount(),
                    rib.tableFootprintBytes() / (double) rib.routeCount());
        }
        // What the last RIB alone keeps alive, attribute sets included: heap with it minus heap without
        // it, once the generated UPDATEs (which also reference the attribute sets) are gone.
        tables.clear();
        long withRib = usedHeapAfterGc();
        long count = rib.routeCount();
        rib = null;
        long withoutRib = usedHeapAfterGc();
        System.out.printf("heap retained by the RIB: %.1f bytes/route including its %s%n",
                (withRib - withoutRib) / (double) count, "shared attribute sets");
    }

    /**
     * The synthetic full table of each router: the same generated prefixes and paths, each router
     * with its own next hop and attribute set instances, as if each had decoded its own UPDATEs.
     */
    record FullTables(List<List<RouteUpdate>> perRouter, int ipv4, int ipv6) {

        static FullTables generate(int ipv4, int ipv6, boolean packed, int routers) {
            FullTableGenerator generator = new FullTableGenerator(42, 64_500);
            List<RouteKey> v4 = generator.ipv4Prefixes(ipv4);
            List<RouteKey> v6 = generator.ipv6Prefixes(ipv6);
            long now = System.currentTimeMillis();
            List<List<RouteUpdate>> tables = new ArrayList<>();
            for (int r = 0; r < routers; r++) {
                List<RouteUpdate> table = new ArrayList<>(generator.updates(Family.IPV4_UNICAST, v4, packed,
                        new byte[] {10, 0, 0, (byte) (r + 1)}, now));
                table.addAll(generator.updates(Family.IPV6_UNICAST, v6, packed, new byte[16], now));
                tables.add(table);
            }
            return new FullTables(tables, v4.size(), v6.size());
        }

        /** Routes of all routers together. */
        long routes() {
            return (long) (ipv4 + ipv6) * perRouter.size();
        }
    }

    /** A listener that counts the route events and does nothing else with them. */
    static RouteEventListener counting(AtomicLong events) {
        return new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> batchOfEvents) {
                events.addAndGet(batchOfEvents.size());
            }
        };
    }

    /** Applies each router's table from its own thread; returns the wall time in seconds. */
    static double load(Rib rib, List<List<RouteUpdate>> tables) throws Exception {
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int r = 0; r < tables.size(); r++) {
            // Each router's table arrives on a session of its own, as over BMP.
            Session session = rib.openSession(new RouterId("192.0.2." + (r + 1)), r + 1);
            PeerKey peer = PeerKey.global(InetAddress.getByName("198.51.100." + (r + 1)));
            List<RouteUpdate> table = tables.get(r);
            threads.add(Thread.ofPlatform().start(() -> {
                for (RouteUpdate u : table) {
                    rib.apply(session, peer, RibView.ADJ_RIB_IN_PRE, u);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void endToEnd(List<List<RouteUpdate>> tables, long routes, int batch, int laneCount,
                                 List<String> sql) throws Exception {
        Path dir = Files.createTempDirectory("rampart-bench");
        try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (String statement : sql) {
                    s.execute(statement);
                }
            }
            HistorySettings settings = HistorySettings.defaults(dir.resolve("spool"))
                    .withBatch(batch, Duration.ofMillis(200));
            TimePartitions partitions = new TimePartitions(db.dataSource());
            RefusedRows refused = new RefusedRows(db.dataSource());
            HistoryBatches batches = new HistoryBatches();
            try (HistoryLanes recorder = HistoryLanes.start(laneCount,
                    lane -> new PostgresRouteHistory(db.dataSource(), partitions, refused, batches), settings,
                    reason -> { })) {
                Rib rib = new Rib(recorder);
                long start = System.nanoTime();
                double ribSeconds = load(rib, tables);
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                long maxSpool = 0;
                while (recorder.writtenEvents() < routes && System.nanoTime() < deadline) {
                    maxSpool = Math.max(maxSpool, recorder.spoolBytes());
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("end to end: %,d routes in RIB after %.3f s; %,d durable in PostgreSQL after"
                                + " %.3f s = %,.0f routes/s (batch %d, %d lane(s), peak spool %,d bytes)%n",
                        rib.routeCount(), ribSeconds, recorder.writtenEvents(), seconds,
                        recorder.writtenEvents() / seconds, batch, laneCount, maxSpool);
            }
            reportDisk(db);
        }
    }

    /**
     * What the history takes on disk, tables with their indexes and TOAST: the history
     * partitions, the attribute sets and the current routes, each and per history row.
     */
    static void reportDisk(Database db) throws SQLException {
        String sql = """
                SELECT count(*) FILTER (WHERE c.relname LIKE 'route_history%'),
                       coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'route_history%'), 0),
                       coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'path_attributes'), 0),
                       coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'current_route'), 0),
                       (SELECT count(*) FROM route_history)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r'
                  AND (c.relname LIKE 'route_history%' OR c.relname IN ('path_attributes', 'current_route'))
                """;
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            printServerSettings(c);
            long rows = Math.max(1, r.getLong(5));
            System.out.printf("disk: route_history %,d bytes in %d partition(s) (%.1f bytes/row), attribute sets %,d"
                            + " bytes (%.1f bytes/row), current_route %,d bytes (%.1f bytes/row); %,d history rows%n",
                    r.getLong(2), r.getLong(1), r.getLong(2) / (double) rows, r.getLong(3), r.getLong(3) / (double) rows,
                    r.getLong(4), r.getLong(4) / (double) rows, r.getLong(5));
        }
    }

    /** The server settings that decide how fast and how durably the history is written. */
    private static void printServerSettings(Connection c) throws SQLException {
        String sql = """
                SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name)
                FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'max_wal_size',
                    'wal_buffers', 'shared_buffers', 'checkpoint_timeout', 'wal_compression', 'full_page_writes')
                """;
        String checkpoints = "SELECT num_timed, num_requested FROM pg_stat_checkpointer";
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            System.out.printf("server: %s%n", r.getString(1));
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(checkpoints)) {
            r.next();
            System.out.printf("checkpoints: %d timed, %d requested%n", r.getLong(1), r.getLong(2));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
