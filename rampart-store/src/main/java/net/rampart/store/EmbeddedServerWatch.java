package net.rampart.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded PostgreSQL again when its process dies while Rampart runs (killed by the
 * kernel's out-of-memory killer or by hand, or crashed). Nothing else would: the server is
 * Rampart's own, and an operator's supervisor watches Rampart, not it.
 *
 * <p>Every {@link #CHECK_EVERY} it looks whether the postmaster that the server's
 * {@code postmaster.pid} named at its start is alive. Once it is not, it clears the directory of
 * the dead server's lock file and starts a server on the same data directory and port, so that
 * the pool's connections find it again by themselves; PostgreSQL's crash recovery replays the
 * write-ahead log, so every committed transaction is there (fsync and synchronous_commit are on).
 * The dead postmaster's backends hold its shared memory until they notice it is gone, and
 * PostgreSQL refuses to start beside them: a start that fails is tried again at the next check.
 */
final class EmbeddedServerWatch implements AutoCloseable {

    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServerWatch.class);
    /** How long a lock file's server, if one still runs, gets to stop before a start is tried. */
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(5);
    /** A check that is starting a server gets this long to finish before close returns. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(70);

    /** Starts a server on the data directory and port of the first one. */
    interface Starter {
        EmbeddedPostgres start() throws IOException, DatabaseUnavailableException;
    }

    private final Path directory;
    private final Starter starter;
    private final ScheduledExecutorService scheduler;
    private volatile EmbeddedPostgres server;
    private volatile long postmaster;
    /** When the server was found dead (nanoTime), or -1 while it lives. */
    private long diedAt = -1;
    private int failedStarts;

    EmbeddedServerWatch(EmbeddedPostgres started, Path directory, Starter starter) throws IOException {
        this.server = started;
        this.directory = directory;
        this.starter = starter;
        this.postmaster = postmasterPid(directory);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-postgres-watch");
            t.setDaemon(true);
            return t;
        });
        long every = CHECK_EVERY.toMillis();
        scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** The server running now (or the last one started, while it is down). */
    EmbeddedPostgres server() {
        return server;
    }

    private static long postmasterPid(Path directory) throws IOException {
        String text = Files.readString(directory.resolve(PostmasterPid.FILE_NAME), StandardCharsets.ISO_8859_1);
        return PostmasterPid.parse(text).map(PostmasterPid::pid)
                .orElseThrow(() -> new IOException("no process id in " + directory.resolve(PostmasterPid.FILE_NAME)));
    }

    private void check() {
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(postmaster);
            if (process.isPresent() && process.get().isAlive()) {
                return;
            }
            if (diedAt < 0) {
                diedAt = System.nanoTime();
                log.atError().addKeyValue("event", "database_died").addKeyValue("embedded", true)
                        .addKeyValue("pid", postmaster).addKeyValue("data_directory", directory.toString())
                        .log("the embedded PostgreSQL's process is gone; starting it again on the same data directory");
                try {
                    // Its stop fails on a dead server; closing releases the library's hold on the directory.
                    server.close();
                } catch (IOException | RuntimeException e) {
                    log.atDebug().setCause(e).log("closing the dead server's handle");
                }
            }
            restart();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("event", "database_watch_failed").setCause(e)
                    .log("checking the embedded PostgreSQL failed; checking again shortly");
        }
    }

    private void restart() {
        try {
            LeftoverServer.clear(directory, LEFTOVER_WAIT);
            EmbeddedPostgres started = starter.start();
            server = started;
            postmaster = postmasterPid(directory);
            log.atInfo().addKeyValue("event", "database_restarted").addKeyValue("embedded", true)
                    .addKeyValue("pid", postmaster).addKeyValue("port", started.getPort())
                    .addKeyValue("down_ms", Duration.ofNanos(System.nanoTime() - diedAt).toMillis())
                    .addKeyValue("failed_starts", failedStarts)
                    .log("the embedded PostgreSQL runs again after crash recovery");
            diedAt = -1;
            failedStarts = 0;
        } catch (IOException | DatabaseUnavailableException | RuntimeException e) {
            // The dead server's backends may still hold its shared memory for a moment: tried again.
            if (failedStarts++ % 10 == 0) {
                log.atWarn().addKeyValue("event", "database_restart_failed").addKeyValue("attempt", failedStarts)
                        .addKeyValue("error", e.getMessage())
                        .log("the embedded PostgreSQL did not start again; trying again shortly");
            }
        }
    }

    /** Stops watching, so that a server stopped on purpose is not started again. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
