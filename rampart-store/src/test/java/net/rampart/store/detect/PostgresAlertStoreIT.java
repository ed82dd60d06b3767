package net.rampart.store.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertListener;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresAlertStoreIT {

    private static final Duration WRITTEN = Duration.ofSeconds(10);
    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final IpPrefix MONITORED = IpPrefix.parse("192.0.2.0/24");
    private static final Finding HIJACK = new Finding(AlertType.ORIGIN_HIJACK,
            Finding.key(AlertType.ORIGIN_HIJACK, MONITORED, "AS64666"), MONITORED, MONITORED, 64666,
            Taxonomy.of(true, '0'), "noc", "192.0.2.0/24 originated by AS64666, not among its origins");
    private static final Finding VISIBILITY = new Finding(AlertType.VISIBILITY_LOSS,
            Finding.key(AlertType.VISIBILITY_LOSS, IpPrefix.parse("2001:db8::/32"), ""), IpPrefix.parse("2001:db8::/32"),
            IpPrefix.parse("2001:db8::/32"), -1, null, "default", "2001:db8::/32 is carried by 0 vantage points of 2");
    private static final Finding UNLISTED = new Finding(AlertType.UNLISTED_PREFIX,
            Finding.key(AlertType.UNLISTED_PREFIX, IpPrefix.parse("100.64.0.0/24"), "AS64500"),
            IpPrefix.parse("100.64.0.0/24"), null, 64500, null, "default", "AS64500 originates 100.64.0.0/24");

    @TempDir
    static Path dataDir;
    private static Database database;
    private static RefusedRows refused;

    @BeforeAll
    static void open() throws Exception {
        database = Database.open(DatabaseSettings.embedded(dataDir.resolve("postgres")));
        refused = new RefusedRows(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        execute("TRUNCATE alert");
    }

    private static Evidence seen(long minutes, String vantagePoint, String path) {
        return new Evidence(T0 + minutes * 60_000, vantagePoint, MONITORED, path);
    }

    private static PostgresAlertStore store() throws SQLException {
        return new PostgresAlertStore(database.dataSource(), refused);
    }

    /** Closes {@code store} once everything put is written, as the service does at shutdown. */
    private static void closeWritten(PostgresAlertStore store) throws InterruptedException {
        assertThat(store.flush(WRITTEN)).as("the writer drained").isTrue();
        store.close();
    }

    @Test
    void alertsComeBackAfterARestartWithTheirStateEvidenceTimelineIdsAndKeys() throws Exception {
        PostgresAlertStore before = store();
        Alerts alerts = new Alerts(before, 3);
        for (int i = 0; i < 4; i++) {
            alerts.report(HIJACK, seen(i, "r1/192.0.2.1/adj_rib_in_post", "64510 64666"));
        }
        long hijack = alerts.active(HIJACK.key()).orElseThrow().id();
        alerts.acknowledge(hijack, "alice via token:ops(3)", T0 + 300_000, "calling AS64666");
        long visibility = alerts.report(VISIBILITY, new Evidence(T0, "r2/2001:db8::1/adj_rib_in_pre",
                IpPrefix.parse("2001:db8::/32"), "")).id();
        alerts.ignore(visibility, "bob", T0 + 360_000, "");
        long gone = alerts.report(UNLISTED, seen(1, "r1/192.0.2.1/adj_rib_in_post", "64500")).id();
        alerts.resolve(UNLISTED.key(), T0 + 420_000, "restored: the last route showing it was withdrawn");
        long back = alerts.report(UNLISTED, seen(8, "r1/192.0.2.1/adj_rib_in_post", "64500")).id();
        List<Alert> stored = alerts.all();
        closeWritten(before);

        PostgresAlertStore after = store();
        assertThat(after.all()).isEqualTo(stored);
        Alert acknowledged = after.byId(hijack).orElseThrow();
        assertThat(acknowledged.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(acknowledged.acknowledgedBy()).isEqualTo("alice via token:ops(3)");
        assertThat(acknowledged.sightings()).isEqualTo(4);
        assertThat(acknowledged.evidence()).extracting(Evidence::timeMillis)
                .containsExactly(T0 + 60_000, T0 + 120_000, T0 + 180_000);
        assertThat(acknowledged.timeline()).extracting(c -> c.state() + " " + c.by() + " " + c.note())
                .containsExactly("OPEN detector " + HIJACK.summary(),
                        "ACKNOWLEDGED alice via token:ops(3) calling AS64666");
        assertThat(after.active(HIJACK.key()).orElseThrow().id()).isEqualTo(hijack);
        assertThat(after.active(VISIBILITY.key()).orElseThrow().state()).isEqualTo(AlertState.IGNORED);
        assertThat(after.active(UNLISTED.key()).orElseThrow().id()).isEqualTo(back);
        assertThat(after.byId(gone).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(after.nextId()).isEqualTo(back + 1);
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT resolved_at, notice FROM alert WHERE id = ?")) {
            s.setLong(1, gone);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1).toInstant()).isEqualTo(Instant.ofEpochMilli(T0 + 420_000));
                assertThat(rs.getString(2)).isEqualTo("restored: the last route showing it was withdrawn");
            }
        }
        after.close();
    }

    @Test
    void aConditionStillShownAfterARestartAddsEvidenceToItsAlertWithoutOpeningOne() throws Exception {
        PostgresAlertStore before = store();
        long id = new Alerts(before, 50).report(HIJACK, seen(0, "r1/192.0.2.1/adj_rib_in_post", "64510 64666")).id();
        closeWritten(before);

        PostgresAlertStore restarted = store();
        Alerts alerts = new Alerts(restarted, 50);
        Heard heard = new Heard();
        alerts.addListener(heard);
        // The detector's replay of the RIB after the restart sees the hijacking route again.
        Alert again = alerts.report(HIJACK, seen(5, "r2/192.0.2.2/adj_rib_in_post", "64520 64666"));
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.sightings()).isEqualTo(2);
        assertThat(heard.opened).isEmpty();
        assertThat(heard.updated).containsExactly(id);
        assertThat(heard.resolved).isEmpty();
        closeWritten(restarted);

        PostgresAlertStore reopened = store();
        assertThat(reopened.all()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.evidence()).extracting(Evidence::vantagePoint)
                    .containsExactly("r1/192.0.2.1/adj_rib_in_post", "r2/192.0.2.2/adj_rib_in_post");
        });
        reopened.close();
    }

    @Test
    void theDatabaseHoldsOneActiveAlertPerKeyAndAnyNumberResolved() throws Exception {
        PostgresAlertStore store = store();
        long id = new Alerts(store, 50).report(HIJACK, seen(0, "r1/192.0.2.1/adj_rib_in_post", "64666")).id();
        closeWritten(store);
        String copy = "INSERT INTO alert SELECT id + 100, key, type, prefix, monitored_prefix, asn, taxonomy, group_name, "
                + "summary, %s, acknowledged_by, opened_at, changed_at, %s, notice, sightings, evidence, timeline "
                + "FROM alert WHERE id = " + id;

        assertThatThrownBy(() -> execute(copy.formatted("'open'", "NULL")))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        execute(copy.formatted("'resolved'", "changed_at"));
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void anAlertTheDatabaseRefusesIsSetAsideWithoutHoldingUpTheOthers() throws Exception {
        PostgresAlertStore store = store();
        Alerts alerts = new Alerts(store, 50);
        // PostgreSQL text cannot hold NUL: retrying would never store this alert.
        alerts.report(new Finding(AlertType.UNLISTED_PREFIX, UNLISTED.key(), UNLISTED.prefix(), null, 64500, null,
                "default", "a summary with a \u0000 in it"), seen(0, "r1/192.0.2.1/adj_rib_in_post", "64500"));
        long kept = alerts.report(HIJACK, seen(0, "r1/192.0.2.1/adj_rib_in_post", "64666")).id();
        long refusedBefore = refused.refused("alert");
        closeWritten(store);

        assertThat(refused.refused("alert")).isEqualTo(refusedBefore + 1);
        PostgresAlertStore reopened = store();
        assertThat(reopened.all()).extracting(Alert::id).containsExactly(kept);
        reopened.close();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM alert")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The ids each listener call was about. */
    private static final class Heard implements AlertListener {
        final List<Long> opened = new ArrayList<>();
        final List<Long> updated = new ArrayList<>();
        final List<Long> resolved = new ArrayList<>();

        @Override
        public void opened(Alert alert) {
            opened.add(alert.id());
        }

        @Override
        public void updated(Alert alert) {
            updated.add(alert.id());
        }

        @Override
        public void resolved(Alert alert) {
            resolved.add(alert.id());
        }
    }
}
