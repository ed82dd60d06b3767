package net.rampart.store.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.learn.ChurnAnomalyTable.Anomaly;
import net.rampart.store.learn.ChurnAnomalyTable.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChurnAnomalyTable} on the embedded PostgreSQL, migrated as the service migrates it. */
class ChurnAnomalyTableIT {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant FOUND = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    static Path dataDir;
    private static Database database;
    private static ChurnAnomalyTable table;

    @BeforeAll
    static void open() throws Exception {
        database = Database.open(DatabaseSettings.embedded(dataDir.resolve("postgres")));
        table = new ChurnAnomalyTable(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE churn_anomaly");
        }
    }

    private static Anomaly anomaly(String kind, String name, int minute, double observed) {
        return new Anomaly(kind, name, T0.plus(Duration.ofMinutes(minute)), 12.5, observed, observed > 12.5 ? 7.25 : -6.5,
                FOUND);
    }

    @Test
    void storesEachScopeAndMinuteOnceAndReadsItBackWhole() throws SQLException {
        Anomaly spike = anomaly("router", "r1", 3, 90);
        Anomaly drop = anomaly("peer", "r1/192.0.2.1", 3, 0);
        assertThat(table.insert(List.of(spike, drop))).containsExactly(spike, drop);

        // The same minute judged again on a later run, with other figures: the first row stays.
        Anomaly again = new Anomaly("router", "r1", spike.minute(), 11, 95, 8, FOUND.plusSeconds(60));
        Anomaly next = anomaly("router", "r1", 4, 80);
        assertThat(table.insert(List.of(again, next))).containsExactly(next);

        var all = table.page(new Filter(Instant.EPOCH, null, null), 0, 100);
        assertThat(all.matched()).isEqualTo(3);
        // Newest minute first; within a minute, the latest stored first.
        assertThat(all.rows()).containsExactly(next, drop, spike);
    }

    @Test
    void filtersBySinceKindAndNameAndPages() throws SQLException {
        List<Anomaly> rows = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            rows.add(anomaly("prefix_group", m % 2 == 0 ? "customers" : "transit", m, 40 + m));
        }
        rows.add(anomaly("router", "r2", 5, 60));
        table.insert(rows);

        var since = table.page(new Filter(T0.plus(Duration.ofMinutes(6)), null, null), 0, 100);
        assertThat(since.rows()).extracting(a -> a.minute().toString())
                .containsExactly("2026-12-01T10:09:00Z", "2026-12-01T10:08:00Z", "2026-12-01T10:07:00Z",
                        "2026-12-01T10:06:00Z");

        var groups = table.page(new Filter(Instant.EPOCH, "prefix_group", null), 0, 100);
        assertThat(groups.matched()).isEqualTo(10);
        var customers = table.page(new Filter(Instant.EPOCH, "prefix_group", "customers"), 0, 100);
        assertThat(customers.matched()).isEqualTo(5);
        assertThat(customers.rows()).allSatisfy(a -> assertThat(a.scopeName()).isEqualTo("customers"));

        var first = table.page(new Filter(Instant.EPOCH, null, null), 0, 4);
        var second = table.page(new Filter(Instant.EPOCH, null, null), 4, 4);
        var last = table.page(new Filter(Instant.EPOCH, null, null), 8, 4);
        assertThat(first.matched()).isEqualTo(11);
        assertThat(first.rows()).hasSize(4);
        assertThat(second.rows()).hasSize(4);
        assertThat(last.rows()).hasSize(3);
        List<Anomaly> pages = new ArrayList<>(first.rows());
        pages.addAll(second.rows());
        pages.addAll(last.rows());
        assertThat(pages).doesNotHaveDuplicates().hasSize(11);
    }

    @Test
    void refusesAScopeKindTheTableDoesNotTake() {
        assertThatThrownBy(() -> anomaly("session", "r1", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
