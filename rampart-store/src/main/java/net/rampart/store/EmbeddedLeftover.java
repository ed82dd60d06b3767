package net.rampart.store;

/**
 * What starting the embedded PostgreSQL found of an earlier server on its data directory, and
 * dealt with before starting its own.
 *
 * @param kind what was found
 * @param pid  the process id the earlier server's {@code postmaster.pid} named; 0 when there was
 *             none or the file did not say
 */
public record EmbeddedLeftover(Kind kind, long pid) {

    /** A clean start, or an external database. */
    public static final EmbeddedLeftover NONE = new EmbeddedLeftover(Kind.NONE, 0);

    public enum Kind {
        /** No {@code postmaster.pid}: the last server stopped cleanly. */
        NONE,
        /** A {@code postmaster.pid} whose server no longer ran; the file was removed. */
        STALE_PID_FILE,
        /** A server still running on the directory, left by a run that did not stop it; it was stopped. */
        SERVER_LEFT_RUNNING
    }
}
