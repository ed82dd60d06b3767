package net.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL killed (SIGKILL) under a running {@link Database}: the database starts
 * it again by itself on the same data directory and port, crash recovery keeps every committed
 * row, and the pool's connections work again without anyone reopening it.
 */
class EmbeddedServerRestartIT {

    @TempDir
    Path dir;

    @Test
    void aKilledEmbeddedServerIsStartedAgainWithEveryCommittedRow() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
            execute(database, "CREATE TABLE kept (n INTEGER)");
            execute(database, "INSERT INTO kept SELECT generate_series(1, 1000)");
            Path data = dir.resolve("pg");
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
            int port = database.connection().port();

            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            assertThat(postmaster.destroyForcibly()).isTrue();
            Instant killed = Instant.now();
            assertThat(await(Duration.ofSeconds(10), () -> !postmaster.isAlive())).isTrue();

            // Back within the watch's checks and a crash recovery, without reopening anything.
            assertThat(await(Duration.ofSeconds(90), () -> count(database) == 1000))
                    .as("the rows committed before the kill, through the same pool").isTrue();
            long newPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
            assertThat(newPid).isNotEqualTo(pid);
            assertThat(database.connection().port()).as("the same port, which the pool's URL names").isEqualTo(port);
            execute(database, "INSERT INTO kept VALUES (1001)");
            assertThat(count(database)).isEqualTo(1001);
            System.out.println("embedded server back " + Duration.between(killed, Instant.now()).toMillis()
                    + " ms after the kill");
        }
        assertThat(Database.embeddedServerRunning(DatabaseSettings.embedded(dir.resolve("pg"))))
                .as("closing stops the restarted server too, and the watch starts no other").isEmpty();
    }

    private static void execute(Database database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Database database) {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private interface Condition {
        boolean holds();
    }

    private static boolean await(Duration timeout, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.holds();
    }
}
