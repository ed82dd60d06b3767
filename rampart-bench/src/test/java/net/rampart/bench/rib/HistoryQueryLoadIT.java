package net.rampart.bench.rib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the query benchmark: the history it builds, and that every query it times finds it. */
class HistoryQueryLoadIT {
    @TempDir
    Path dir;

    @Test
    void buildsTheHistoryItWasAskedForAndEveryQueryFindsIt() throws Exception {
        HistoryQueryLoad.Options o = HistoryQueryLoad.Options.parse("--rows", "30000", "--routers", "2", "--ipv4",
                "5000", "--ipv6", "1000", "--macs", "500", "--batch", "2000", "--checkpoint", "10000", "--runs", "2");
        try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
            SyntheticHistory history = HistoryQueryLoad.build(db, o);

            assertThat(count(db, "SELECT count(*) FROM route_history")).isEqualTo(30_000);
            assertThat(count(db, "SELECT count(*) FROM route_history WHERE is_withdrawn")).isPositive();
            // Every row is merged: each route of both full tables, and each MAC behind every router it was seen at.
            assertThat(count(db, "SELECT sum(update_count) FROM current_route")).isEqualTo(30_000);
            assertThat(count(db, "SELECT count(*) FROM current_route WHERE mac IS NULL")).isEqualTo(2 * 6000);
            // The last hour holds a share of the churn, not all of it.
            assertThat(count(db, "SELECT count(*) FROM route_history WHERE time > now() - interval '1 hour'"))
                    .isPositive().isLessThan(30_000 / 10);
            // Churn runs until the end, about a row every five seconds: the last hour is a full one.
            assertThat(count(db, "SELECT extract(epoch FROM now() - max(time))::bigint FROM route_history"))
                    .isLessThan(300);

            List<HistoryQueryLoad.Timing> timings = HistoryQueryLoad.measure(db, history, o);
            assertThat(timings).extracting(HistoryQueryLoad.Timing::query).hasSize(10);
            assertThat(rows(timings, "churn top-10", "API")).isEqualTo(10);
            assertThat(rows(timings, "history of", "API")).isGreaterThan(1);
            assertThat(rows(timings, "AS path contains", "docs")).isPositive();
            assertThat(rows(timings, "MAC", "docs")).as("a MAC is behind one router at a time").isEqualTo(1);
            // Announced, withdrawn where it was, announced where it went.
            assertThat(timings.stream().filter(t -> t.query().endsWith(" history") && t.query().startsWith("MAC"))
                    .findFirst().orElseThrow().rows()).isGreaterThanOrEqualTo(3);
            assertThat(rows(timings, "current routes of peer", "docs")).isEqualTo(100);
            assertThat(rows(timings, "changed since the last checkpoint", "docs")).isZero();
            assertThat(timings).allSatisfy(t -> assertThat(t.p95Millis()).isGreaterThanOrEqualTo(t.medianMillis()));
        }
    }

    private static long rows(List<HistoryQueryLoad.Timing> timings, String query, String source) {
        return timings.stream().filter(t -> t.query().startsWith(query) && t.source().equals(source)).findFirst()
                .orElseThrow().rows();
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
