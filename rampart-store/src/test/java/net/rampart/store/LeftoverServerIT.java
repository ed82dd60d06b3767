package net.rampart.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static net.rampart.store.EmbeddedLeftover.Kind.SERVER_LEFT_RUNNING;
import static net.rampart.store.EmbeddedLeftover.Kind.STALE_PID_FILE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database starts on a data directory that an earlier server still holds, or whose
 * {@code postmaster.pid} it left behind. Without the clearing, PostgreSQL refuses to start and
 * the open fails only after the whole startup wait.
 */
class LeftoverServerIT {

    @Test
    void aServerLeftRunningByAForcedExitIsStoppedAndItsDataKept(@TempDir Path dataDir) throws Exception {
        Path pgData = dataDir.resolve("postgres");
        // In a JVM of its own: in this one, the builder's lock on the directory would stay held.
        String java = ProcessHandle.current().info().command().orElse("java");
        Path childLog = dataDir.resolve("child.log");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LeftRunningDatabase.class.getName(), pgData.toString())
                .redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        try {
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("the child exited").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(() -> readLog(childLog)).isZero();
        long leftRunning = postmasterPid(pgData);
        try {
            assertThat(ProcessHandle.of(leftRunning).map(ProcessHandle::isAlive)).contains(true);

            try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
                assertThat(database.leftover()).isEqualTo(new EmbeddedLeftover(SERVER_LEFT_RUNNING, leftRunning));
                assertThat(postmasterPid(pgData)).isNotEqualTo(leftRunning);
                // The run recorded through the server that was left running.
                assertThat(new ServiceRuns(database.dataSource()).count()).isEqualTo(1);
            }
        } finally {
            // A failed test must not leave the server running: its lock file still naming it
            // shows it still holds the directory.
            if (Files.exists(pgData.resolve(PostmasterPid.FILE_NAME)) && postmasterPid(pgData) == leftRunning) {
                ProcessHandle.of(leftRunning).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void aLockFileOfAProcessThatIsGoneIsRemoved(@TempDir Path dataDir) throws Exception {
        Path pgData = createCluster(dataDir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writePostmasterPid(pgData, gone.pid());

        try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
            assertThat(database.leftover()).isEqualTo(new EmbeddedLeftover(STALE_PID_FILE, gone.pid()));
            assertThat(postmasterPid(pgData)).isNotEqualTo(gone.pid());
        }
    }

    /**
     * After a reboot, and in a container after every restart, the dead server's process id may
     * belong to another program; PostgreSQL refuses to start while the file names any running process.
     */
    @Test
    void aLockFileNamingAnotherProgramIsRemovedAndTheProgramLeftAlone(@TempDir Path dataDir) throws Exception {
        Path pgData = createCluster(dataDir);
        Process other = new ProcessBuilder("sleep", "300").start();
        try {
            writePostmasterPid(pgData, other.pid());

            try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
                assertThat(database.leftover()).isEqualTo(new EmbeddedLeftover(STALE_PID_FILE, other.pid()));
                assertThat(postmasterPid(pgData)).isNotEqualTo(other.pid());
            }
            // Not a server: it was not stopped.
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    /** A data directory whose server stopped cleanly, as the next start finds it. */
    private static Path createCluster(Path dataDir) throws Exception {
        Path pgData = dataDir.resolve("postgres");
        try (var database = Database.open(DatabaseSettings.embedded(pgData))) {
            assertThat(database.leftover()).isEqualTo(EmbeddedLeftover.NONE);
        }
        assertThat(pgData.resolve(PostmasterPid.FILE_NAME)).doesNotExist();
        return pgData;
    }

    /** The lines of a lock file this test's cases depend on: the process and the directory. */
    private static void writePostmasterPid(Path pgData, long pid) throws IOException {
        Files.writeString(pgData.resolve(PostmasterPid.FILE_NAME), pid + "\n" + pgData + "\n");
    }

    private static String readLog(Path log) {
        try {
            return "child output:\n" + Files.readString(log);
        } catch (IOException e) {
            return "child output unreadable: " + e.getMessage();
        }
    }

    private static long postmasterPid(Path pgData) throws IOException {
        return PostmasterPid.parse(Files.readString(pgData.resolve(PostmasterPid.FILE_NAME))).orElseThrow().pid();
    }
}
