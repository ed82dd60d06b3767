package net.rampart.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Clears the embedded server's data directory of what an earlier server left there, before a new
 * one starts.
 *
 * <p>pg_ctl starts the server as a process of its own, not as the JVM's child: when the JVM ends
 * without stopping it (a forced exit, a kill, a crash), the server keeps running and keeps the
 * directory. PostgreSQL then refuses to start a second server there, and the builder would wait
 * its whole startup wait for one that never comes. The server's {@code postmaster.pid} names the
 * process that holds the directory; a file naming a process that is now some other program
 * (process ids are reused, in a container after every restart) makes PostgreSQL refuse all the same.
 */
final class LeftoverServer {

    private static final Logger log = LoggerFactory.getLogger(LeftoverServer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private LeftoverServer() {
    }

    /**
     * The process id of a PostgreSQL server running on {@code directory} now, as its
     * {@code postmaster.pid} names it; empty when none runs there. Stops nothing.
     */
    static Optional<Long> running(Path directory) throws IOException {
        Path file = directory.resolve(PostmasterPid.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return PostmasterPid.parse(Files.readString(file, StandardCharsets.ISO_8859_1))
                .flatMap(recorded -> ProcessHandle.of(recorded.pid()))
                .filter(p -> p.isAlive() && p.info().command().map(LeftoverServer::isPostgres).orElse(true))
                .map(ProcessHandle::pid);
    }

    /**
     * Removes a {@code postmaster.pid} that no running server holds, or stops the server left
     * running on {@code directory}, waiting up to {@code stopWait} for it to exit.
     *
     * @throws DatabaseUnavailableException when a process this cannot identify or stop holds the
     *                                      directory; the message names it and says what to do
     */
    static EmbeddedLeftover clear(Path directory, Duration stopWait) throws IOException, DatabaseUnavailableException {
        Path file = directory.resolve(PostmasterPid.FILE_NAME);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return EmbeddedLeftover.NONE;
        }
        // Decoded leniently: only the number on the first line has to be read exactly.
        Optional<PostmasterPid> recorded = PostmasterPid.parse(new String(content, StandardCharsets.UTF_8));
        if (recorded.isEmpty()) {
            return removeStale(file, 0, "it names no server");
        }
        long pid = recorded.get().pid();
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return removeStale(file, pid, "process " + pid + " no longer runs");
        }
        Optional<String> command = process.get().info().command();
        if (command.isEmpty()) {
            throw new DatabaseUnavailableException(file + " names process " + pid + ", which runs but which this user "
                    + "cannot inspect: if it is a PostgreSQL on " + directory + ", stop it (kill -INT " + pid
                    + "), otherwise delete " + file + "; then start Rampart again");
        }
        if (!isPostgres(command.get())) {
            return removeStale(file, pid, "process " + pid + " is now " + command.get());
        }
        if (!sameDirectory(recorded.get().dataDirectory(), directory)) {
            throw new DatabaseUnavailableException(file + " names PostgreSQL process " + pid + ", started on "
                    + recorded.get().dataDirectory() + ": if that server still uses " + directory
                    + " (it was moved or copied while the server ran), stop it (kill -INT " + pid
                    + "), otherwise delete " + file + "; then start Rampart again");
        }
        return stop(process.get(), file, directory, stopWait);
    }

    private static EmbeddedLeftover stop(ProcessHandle server, Path file, Path directory, Duration wait)
            throws DatabaseUnavailableException {
        long pid = server.pid();
        log.atWarn().addKeyValue("event", "database_left_running")
                .addKeyValue("pid", pid)
                .addKeyValue("data_directory", directory.toString())
                .log("PostgreSQL process " + pid + " was left running on " + directory
                        + " by a run that did not stop it; stopping it before starting");
        // SIGTERM is PostgreSQL's smart shutdown, which waits for sessions to end; the sessions of
        // the run that started the server ended with that run.
        if (!server.destroy()) {
            throw new DatabaseUnavailableException("PostgreSQL process " + pid + " holds " + directory
                    + " and this user cannot stop it: stop it as its owner (kill -INT " + pid
                    + ") and start Rampart again");
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (holds(server, file)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new DatabaseUnavailableException("PostgreSQL process " + pid + ", left running on " + directory
                        + ", did not stop within " + wait.toSeconds() + " s of SIGTERM (a session may still be "
                        + "connected): stop it with kill -INT " + pid + " and start Rampart again");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatabaseUnavailableException("interrupted while waiting for PostgreSQL process " + pid
                        + " to stop", e);
            }
        }
        return new EmbeddedLeftover(EmbeddedLeftover.Kind.SERVER_LEFT_RUNNING, pid);
    }

    /**
     * True while the server runs and its lock file is there. The file goes as the server's last
     * step, after it let go of its shared memory; a server that exited but that no parent has
     * reaped yet still looks alive to {@link ProcessHandle}.
     */
    private static boolean holds(ProcessHandle server, Path file) {
        return server.isAlive() && Files.exists(file);
    }

    private static EmbeddedLeftover removeStale(Path file, long pid, String why) throws IOException {
        log.atWarn().addKeyValue("event", "database_stale_pid")
                .addKeyValue("pid", pid)
                .addKeyValue("file", file.toString())
                .log("removing " + file + ", left by a PostgreSQL that did not stop cleanly: " + why);
        Files.deleteIfExists(file);
        return new EmbeddedLeftover(EmbeddedLeftover.Kind.STALE_PID_FILE, pid);
    }

    /** The server's executable; a deleted one (temporary binaries cleaned away) shows with a suffix. */
    private static boolean isPostgres(String command) {
        Path name = Path.of(command).getFileName();
        return name != null && name.toString().startsWith("postgres");
    }

    /**
     * The server records its directory made absolute and tidied ({@code /a/./b} as {@code /a/b}),
     * so the paths are compared as files; a recorded directory that no longer exists is another one.
     */
    private static boolean sameDirectory(Path recorded, Path directory) {
        try {
            return Files.isSameFile(recorded, directory);
        } catch (IOException e) {
            return false;
        }
    }
}
