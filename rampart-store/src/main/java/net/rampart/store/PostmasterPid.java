package net.rampart.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The first two lines of {@code postmaster.pid}, the lock file PostgreSQL keeps in its data
 * directory while a server runs there: the server's process id and the data directory it was
 * started on. A server removes the file when it stops; one that did not stop, or was killed,
 * leaves it behind.
 *
 * @param pid           the server's process id
 * @param dataDirectory the data directory as the server was given it
 */
record PostmasterPid(long pid, Path dataDirectory) {

    static final String FILE_NAME = "postmaster.pid";

    /**
     * Reads the file's text; empty when it does not begin with a process id and a directory. A
     * server writes both lines in one write, so such a file is the remnant of a start that crashed.
     */
    static Optional<PostmasterPid> parse(String text) {
        String[] lines = text.split("\n", 3);
        if (lines.length < 2 || lines[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            // A single-user backend writes its id negated; it holds the directory all the same.
            long pid = Math.abs(Long.parseLong(lines[0].strip()));
            return pid <= 0 ? Optional.empty() : Optional.of(new PostmasterPid(pid, Path.of(lines[1])));
        } catch (NumberFormatException | InvalidPathException e) {
            return Optional.empty();
        }
    }
}
