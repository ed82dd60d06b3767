package net.rampart.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseIT {

    @Test
    void embeddedDatabaseKeepsItsDataAcrossRestartsAndStopsOnClose(@TempDir Path dataDir) throws Exception {
        Path pgData = dataDir.resolve("postgres");
        try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
            assertThat(database.isEmbedded()).isTrue();
            assertThat(database.isReachable(Duration.ofSeconds(2))).isTrue();
            new ServiceRuns(database.dataSource()).begin("test", "here");
            assertThat(pgData.resolve("postmaster.pid")).exists();
        }
        assertThat(pgData.resolve("postmaster.pid")).doesNotExist();

        try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
            var runs = new ServiceRuns(database.dataSource());
            assertThat(runs.count()).isEqualTo(1);
        }
        assertThat(Files.exists(pgData.resolve("PG_VERSION"))).isTrue();
    }

    /** What a forced exit does before it halts: a session in a transaction does not hold the server up. */
    /** A commit must be on disk when it returns: the history's spool forgets a batch at that moment. */
    @Test
    void embeddedServerCommitsDurably(@TempDir Path dataDir) throws Exception {
        try (var database = Database.open(DatabaseSettings.embedded(dataDir.resolve("pg")));
             var c = database.dataSource().getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("on");
            assertThat(r.getString(2)).isEqualTo("on");
        }
    }

    @Test
    void stopServerNowStopsTheEmbeddedServerWhileASessionIsOpen(@TempDir Path dataDir) throws Exception {
        Path pgData = dataDir.resolve("postgres");
        try (var database = Database.open(DatabaseSettings.embedded(pgData));
             var session = database.dataSource().getConnection()) {
            session.setAutoCommit(false);
            session.createStatement().execute("INSERT INTO service_run (version, host) VALUES ('test', 'here')");

            database.stopServerNow();

            assertThat(pgData.resolve("postmaster.pid")).doesNotExist();
            // Fast shutdown ended the session; the pool evicts it, so closing it does not throw.
            assertThatThrownBy(() -> session.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        // The transaction left open was rolled back, not committed.
        try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
            assertThat(new ServiceRuns(database.dataSource()).count()).isZero();
        }
    }

    @Test
    void unreachableExternalServerIsReportedInOneLine() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var settings = DatabaseSettings.external("jdbc:postgresql://127.0.0.1:" + closedPort + "/rampart", "u", "p");
        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("cannot connect")
                .hasMessageNotContaining("\n");
    }
}
