package net.rampart.store.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Numbers the batches of route history writes and tells the checkpoint which ones are over.
 * A history row's {@code seq} is its batch's number (from the {@code route_history_batch}
 * sequence) shifted left by {@link #ROW_BITS} plus its index in the batch. Numbers are taken in
 * order but batches commit in any order, so a checkpoint may only merge up to a number below
 * which no batch is still in flight.
 *
 * <p>That holds for every process writing into the database, not only this one (several
 * services may share one database): a writer takes PostgreSQL's transaction-level advisory lock
 * {@link #LOCK_KEY} in shared mode before taking its numbers, and keeps it until its transaction
 * commits or rolls back (or PostgreSQL ends it when its connection is lost); the checkpoint
 * takes the same lock in exclusive mode, in a transaction of its own, just long enough to read
 * the last number taken.
 * Writers do not hold each other up; a writer that starts while a checkpoint waits for the lock
 * waits behind it. An instance holds no state: the database holds the lock.
 */
public final class HistoryBatches {
    /** Bits of a seq that number the rows of one batch. */
    static final int ROW_BITS = 16;
    /** Rows one batch number covers. */
    static final int MAX_ROWS = 1 << ROW_BITS;

    /**
     * The advisory lock key of history batches: "rampart1" in ASCII, 8241989122503373873. In
     * {@code pg_locks} it is the {@code advisory} lock with classid 1918987632, objid 1634890801
     * and objsubid 1.
     */
    public static final long LOCK_KEY = 0x72616D7061727431L;

    /** PostgreSQL's lock_not_available: lock_timeout passed. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * Takes {@code count} batch numbers inside the caller's transaction ({@code c} not in
     * auto-commit), which holds {@link #LOCK_KEY} in shared mode from here until it ends.
     */
    long[] begin(Connection c, int count) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            lock.setLong(1, LOCK_KEY);
            lock.execute();
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT nextval('route_history_batch') FROM generate_series(1, ?)")) {
            s.setInt(1, count);
            long[] numbers = new long[count];
            try (ResultSet rs = s.executeQuery()) {
                for (int i = 0; i < count; i++) {
                    rs.next();
                    numbers[i] = rs.getLong(1);
                }
            }
            return numbers;
        }
    }

    /** The seq of row {@code index} of the batch that got {@code numbers}. */
    static long seq(long[] numbers, int index) {
        return numbers[index >>> ROW_BITS] << ROW_BITS | index & (MAX_ROWS - 1);
    }

    /**
     * The highest seq that every batch of every process at or below has committed or rolled back,
     * or empty when a batch did not end within {@code wait} (a writer stuck on the database).
     * Runs a transaction of its own on {@code c}, which must have none open, and leaves it in
     * auto-commit.
     */
    OptionalLong finishedUpTo(Connection c, Duration wait) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // Zero would mean no timeout at all.
            s.execute("SET LOCAL lock_timeout = '" + Math.max(1, wait.toMillis()) + "ms'");
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                lock.execute();
            }
            long bound;
            try (ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM route_history_batch")) {
                rs.next();
                bound = rs.getBoolean(2) ? (rs.getLong(1) << ROW_BITS | (MAX_ROWS - 1)) : 0;
            }
            c.commit();
            return OptionalLong.of(bound);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            if (e instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return OptionalLong.empty();
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
