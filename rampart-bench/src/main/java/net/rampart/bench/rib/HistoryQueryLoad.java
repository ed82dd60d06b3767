package net.rampart.bench.rib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.RouteCheckpoint;
import net.rampart.store.route.RouteHistoryQueries;
import net.rampart.store.route.TimePartitions;

/**
 * Builds a route history of a given size in an embedded PostgreSQL through the service's own
 * writer ({@link PostgresRouteHistory}, the real schema and indexes) and checkpoint
 * ({@link RouteCheckpoint}), then times the questions asked of it: the API's churn and prefix
 * history ({@link RouteHistoryQueries}) and the example SQL of docs/collector.md. Each query runs
 * several times; the first run is reported apart from the median and p95 of the rest, and the
 * plan of a query slower than {@value #TARGET_MILLIS} ms is printed.
 *
 * <pre>
 * ./mvnw -q -pl rampart-bench -am package -DskipTests
 * cd rampart-bench; java -Xmx6g -cp 'target/rampart-bench.jar:target/lib/*' net.rampart.bench.rib.HistoryQueryLoad [options]
 *   --rows N         history rows in all (10000000)
 *   --routers N      routers, each with one peer sending the full table (4)
 *   --ipv4 N         IPv4 prefixes of the full table (1000000)
 *   --ipv6 N         IPv6 prefixes of the full table (200000)
 *   --macs N         EVPN MAC/IP routes over all routers (100000)
 *   --hours N        event time the history spans, ending now (24)
 *   --batch N        rows per history write (10000)
 *   --checkpoint N   merge into current_route after every N rows written, as the service does (1000000)
 *   --runs N         runs of each query (11)
 *   --plans          print whole plans of slow queries, not just the top node
 * </pre>
 */
public final class HistoryQueryLoad {
    /** The answer time issue 19 asks of each query. */
    static final long TARGET_MILLIS = 100;

    private HistoryQueryLoad() {
    }

    /** What to build and how often to ask. */
    record Options(long rows, int routers, int ipv4, int ipv6, int macs, Duration span, int batch,
                   long checkpointEvery, int runs, boolean wholePlans) {

        static Options parse(String... args) {
            long rows = 10_000_000;
            int routers = 4;
            int ipv4 = 1_000_000;
            int ipv6 = 200_000;
            int macs = 100_000;
            long hours = 24;
            int batch = 10_000;
            long checkpointEvery = 1_000_000;
            int runs = 11;
            boolean wholePlans = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rows" -> rows = Long.parseLong(args[++i]);
                    case "--routers" -> routers = Integer.parseInt(args[++i]);
                    case "--ipv4" -> ipv4 = Integer.parseInt(args[++i]);
                    case "--ipv6" -> ipv6 = Integer.parseInt(args[++i]);
                    case "--macs" -> macs = Integer.parseInt(args[++i]);
                    case "--hours" -> hours = Long.parseLong(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--checkpoint" -> checkpointEvery = Long.parseLong(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--plans" -> wholePlans = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (runs < 2) {
                throw new IllegalArgumentException("--runs must be at least 2: a first run and a warm one");
            }
            return new Options(rows, routers, ipv4, ipv6, macs, Duration.ofHours(hours), batch, checkpointEvery,
                    runs, wholePlans);
        }
    }

    /**
     * One query's times: the first run, and the median and p95 of the warm runs after it.
     *
     * @param rows what the query answered (rows, or for the API's history the page)
     */
    record Timing(String query, String source, long rows, double firstMillis, double medianMillis,
                  double p95Millis) {
        boolean slow() {
            return p95Millis > TARGET_MILLIS || firstMillis > TARGET_MILLIS;
        }
    }

    /** One SQL statement with its parameters, for EXPLAIN. */
    private record Sql(String text, Object... parameters) {
    }

    /** Runs a query once; returns how many rows it answered. */
    private interface Run {
        long once() throws SQLException;
    }

    /** A question, how to ask it, and the statements it sends. */
    private record Query(String name, String source, Run run, List<Sql> statements) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path dir = Files.createTempDirectory("rampart-bench");
        try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
            SyntheticHistory history = build(db, o);
            System.out.printf("load: %s (/proc/loadavg)%n", loadAverage());
            System.out.printf("last hour: %,d history rows%n", lastHourRows(db));
            for (Timing t : measure(db, history, o)) {
                System.out.printf("%-34s %-5s %,10d rows  first %8.1f ms  median %8.1f ms  p95 %8.1f ms%s%n",
                        t.query(), t.source(), t.rows(), t.firstMillis(), t.medianMillis(), t.p95Millis(),
                        t.slow() ? "  > " + TARGET_MILLIS + " ms" : "");
            }
            RibLoad.reportDisk(db);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Writes the history through the service's writer, merging it into current_route as it goes
     * and once more at the end, then analyzes the tables as autovacuum would after such a load.
     */
    static SyntheticHistory build(Database db, Options o) throws Exception {
        DataSource ds = db.dataSource();
        HistoryBatches batches = new HistoryBatches();
        PostgresRouteHistory writer = new PostgresRouteHistory(ds, new TimePartitions(ds), new RefusedRows(ds),
                batches);
        RouteCheckpoint checkpoint = new RouteCheckpoint(ds, batches);
        SyntheticHistory history = new SyntheticHistory(o.routers(), o.ipv4(), o.ipv6(), o.macs(), o.rows());
        long end = System.currentTimeMillis();
        long start = end - o.span().toMillis();
        long began = System.nanoTime();
        long[] written = {0, 0};
        double[] checkpointSeconds = {0};
        history.emit(start, end, o.batch(), batch -> {
            writer.write(batch);
            written[0] += batch.size();
            if (written[0] - written[1] >= o.checkpointEvery()) {
                written[1] = written[0];
                long t = System.nanoTime();
                checkpoint.run();
                checkpointSeconds[0] += (System.nanoTime() - t) / 1e9;
                double seconds = (System.nanoTime() - began) / 1e9;
                System.out.printf("written %,d rows in %.1f s (%,.0f rows/s, checkpoints included)%n", written[0],
                        seconds, written[0] / seconds);
            }
        });
        long t = System.nanoTime();
        RouteCheckpoint.Merge last = checkpoint.run().orElseThrow();
        checkpointSeconds[0] += (System.nanoTime() - t) / 1e9;
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("history: %,d rows (%d routers x %,d prefixes, %,d MACs, churn over %d h) in %.1f s ="
                        + " %,.0f rows/s; checkpoints %.1f s, the last merging %,d routes%n", written[0],
                o.routers(), o.ipv4() + o.ipv6(), o.macs(), o.span().toHours(), seconds, written[0] / seconds,
                checkpointSeconds[0], last.routes());
        t = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
        System.out.printf("ANALYZE %.1f s%n", (System.nanoTime() - t) / 1e9);
        return history;
    }

    /** Times every query, printing the plan of each one slower than the target. */
    static List<Timing> measure(Database db, SyntheticHistory history, Options o) throws SQLException {
        List<Timing> timings = new ArrayList<>();
        for (Query q : queries(db.dataSource(), history)) {
            double[] millis = new double[o.runs()];
            long rows = 0;
            for (int i = 0; i < millis.length; i++) {
                long t = System.nanoTime();
                rows = q.run().once();
                millis[i] = (System.nanoTime() - t) / 1e6;
            }
            double[] warm = Arrays.copyOfRange(millis, 1, millis.length);
            Arrays.sort(warm);
            Timing timing = new Timing(q.name(), q.source(), rows, millis[0], percentile(warm, 50),
                    percentile(warm, 95));
            timings.add(timing);
            if (timing.slow()) {
                explain(db.dataSource(), q, o.wholePlans());
            }
        }
        return timings;
    }

    /** Nearest rank. */
    private static double percentile(double[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /**
     * The five questions of issue 19 (the EVPN one in its two parts: where a MAC is now, and its
     * history) as the API asks them where the API answers them, else as docs/collector.md
     * writes them; then the rest of the example SQL there, which must still run.
     */
    private static List<Query> queries(DataSource ds, SyntheticHistory h) {
        RouteHistoryQueries api = new RouteHistoryQueries(ds);
        Timestamp hourAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
        Timestamp epoch = Timestamp.from(Instant.EPOCH);
        String prefix = h.unstablePrefix();
        String mac = h.movedMac();
        String router = h.routerName(1);
        String peer = h.peerAddress(1);
        long asn = h.transitAsn();
        List<Query> q = new ArrayList<>();
        q.add(new Query("churn top-10, last hour", "API", () -> api.churn(Duration.ofHours(1), 10).size(),
                List.of(new Sql(RouteHistoryQueries.CHURN, hourAgo, 10, hourAgo))));
        q.add(new Query("history of " + prefix, "API", () -> api.history(prefix, Instant.EPOCH, 0, 100).rows().size(),
                List.of(new Sql(RouteHistoryQueries.HISTORY_COUNT, prefix, epoch),
                        new Sql(RouteHistoryQueries.HISTORY_PAGE, prefix, epoch, 0, 100))));
        q.add(docs(ds, "AS path contains AS" + asn, new Sql("""
                SELECT c.prefix, a.as_path
                FROM path_attributes a JOIN current_route c ON c.attrs_id = a.id
                WHERE a.as_path @> ARRAY[?]::bigint[] AND NOT c.withdrawn""", asn)));
        q.add(docs(ds, "MAC " + mac + " now", new Sql("""
                SELECT r.name AS router, host(p.address) AS peer, c.rd, c.esi, host(c.ip) AS ip, c.labels, c.last_change
                FROM current_route c JOIN peer p ON p.id = c.peer_id JOIN router r ON r.id = c.router_id
                WHERE c.mac = ?::macaddr AND NOT c.withdrawn""", mac)));
        q.add(docs(ds, "MAC " + mac + " history", new Sql("""
                SELECT time, is_withdrawn, rd, host(ip) FROM route_history
                WHERE mac = ?::macaddr ORDER BY time DESC LIMIT 20""", mac)));
        q.add(docs(ds, "current routes of peer " + peer + ", a page", new Sql("""
                SELECT c.prefix, host(a.next_hop) AS next_hop, a.as_path, a.communities
                FROM current_route c JOIN path_attributes a ON a.id = c.attrs_id
                WHERE c.peer_id = (SELECT p.id FROM peer p JOIN router r ON r.id = p.router_id
                                   WHERE r.name = ? AND host(p.address) = ?)
                  AND c.view = 0 AND NOT c.withdrawn
                ORDER BY c.afi, c.safi, c.route_key, c.path_id LIMIT 100""", router, peer)));
        q.add(docs(ds, "churn top-10, last hour", new Sql("""
                SELECT route_key, sum(updates) AS updates, count(*) AS peers
                FROM (SELECT route_key, peer_id, count(*) AS updates
                      FROM route_history
                      WHERE time > now() - interval '1 hour'
                      GROUP BY route_key, peer_id) per_peer
                GROUP BY route_key ORDER BY updates DESC LIMIT 10""")));
        q.add(docs(ds, "history of " + prefix, new Sql("""
                SELECT h.time, h.is_withdrawn, host(a.next_hop) AS next_hop, a.as_path, a.communities
                FROM route_history h LEFT JOIN path_attributes a ON a.id = h.attrs_id
                WHERE h.prefix = ?::cidr
                ORDER BY h.time DESC LIMIT 20""", prefix)));
        q.add(docs(ds, "community 64500:1", new Sql("""
                SELECT c.prefix, a.communities
                FROM path_attributes a JOIN current_route c ON c.attrs_id = a.id
                WHERE a.communities @> ARRAY[?::text] AND NOT c.withdrawn""", "64500:1")));
        q.add(docs(ds, "changed since the last checkpoint", new Sql("""
                SELECT h.time, h.route_key, h.is_withdrawn, a.as_path
                FROM route_history h LEFT JOIN path_attributes a ON a.id = h.attrs_id
                WHERE h.seq > (SELECT merged_seq FROM route_checkpoint)
                ORDER BY h.seq""")));
        return q;
    }

    /** A query of docs/collector.md, run as written there with its literals as parameters. */
    private static Query docs(DataSource ds, String name, Sql sql) {
        return new Query(name, "docs", () -> {
            try (Connection c = ds.getConnection(); PreparedStatement s = prepare(c, sql.text(), sql);
                 ResultSet r = s.executeQuery()) {
                long rows = 0;
                while (r.next()) {
                    rows++;
                }
                return rows;
            }
        }, List.of(sql));
    }

    private static PreparedStatement prepare(Connection c, String text, Sql sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(text);
        for (int i = 0; i < sql.parameters().length; i++) {
            s.setObject(i + 1, sql.parameters()[i]);
        }
        return s;
    }

    /** Prints the top node of each statement's plan (all of it with {@code whole}), with its buffers. */
    private static void explain(DataSource ds, Query q, boolean whole) throws SQLException {
        System.out.printf("plan of %s (%s):%n", q.name(), q.source());
        try (Connection c = ds.getConnection()) {
            for (Sql sql : q.statements()) {
                try (PreparedStatement s = prepare(c, "EXPLAIN (ANALYZE, BUFFERS) " + sql.text(), sql);
                     ResultSet r = s.executeQuery()) {
                    boolean top = true;
                    while (r.next()) {
                        String line = r.getString(1);
                        if (whole || top || line.startsWith("Execution Time") || line.startsWith("Planning Time")) {
                            System.out.println("  " + line);
                        }
                        top = false;
                    }
                }
            }
        }
    }

    /** The rows the churn query of the last hour counts, as the history stands when the queries run. */
    private static long lastHourRows(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM route_history WHERE time >= now() - interval '1 hour'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String loadAverage() throws IOException {
        Path load = Path.of("/proc/loadavg");
        return Files.exists(load) ? Files.readString(load).trim() : "unknown";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
