package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The writers' transactions do not wait for their WAL flush: a crash may lose the last fraction
 * of a second of events, which detectors repeat anyway, and in return the commit no longer waits
 * for the disk on every event. Consistency is unaffected (PostgreSQL's asynchronous commit).
 */
final class AsynchronousCommit {

    private AsynchronousCommit() {
    }

    /** Turns it on for the transaction under way on {@code c}. */
    static void enable(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit TO OFF");
        }
    }
}
