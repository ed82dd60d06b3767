package net.rampart.store.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Numbers the batches of route history writes and tells the checkpoint which ones are over.
 * A history row's {@code seq} is its batch's number (from the {@code route_history_batch}
 * sequence) shifted left by {@link #ROW_BITS} plus its index in the batch. Numbers are taken in
 * order but batches commit in any order, so a checkpoint may only merge up to a number below
 * which no batch is still in flight: writers hold a read lock from taking their numbers until
 * their transaction has ended, and the checkpoint takes the write lock just long enough to read
 * the last number taken. This holds for the writers of one process, which share one instance.
 */
public final class HistoryBatches {
    /** Bits of a seq that number the rows of one batch. */
    static final int ROW_BITS = 16;
    /** Rows one batch number covers. */
    static final int MAX_ROWS = 1 << ROW_BITS;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /**
     * Takes {@code count} batch numbers inside the caller's transaction and holds the read lock
     * until {@link #ended} is called, which the caller must do (in a finally block) once the
     * transaction has committed or rolled back.
     */
    long[] begin(Connection c, int count) throws SQLException {
        lock.readLock().lock();
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
        } catch (SQLException | RuntimeException e) {
            lock.readLock().unlock();
            throw e;
        }
    }

    /** Releases what {@link #begin} took; the batch's transaction is over. */
    void ended() {
        lock.readLock().unlock();
    }

    /** The seq of row {@code index} of the batch that got {@code numbers}. */
    static long seq(long[] numbers, int index) {
        return numbers[index >>> ROW_BITS] << ROW_BITS | index & (MAX_ROWS - 1);
    }

    /**
     * The highest seq that every batch of this process at or below has committed or rolled back,
     * or empty when a batch did not end within {@code wait} (a writer stuck on the database).
     */
    OptionalLong finishedUpTo(Connection c, Duration wait) throws SQLException, InterruptedException {
        if (!lock.writeLock().tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalLong.empty();
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM route_history_batch")) {
            rs.next();
            return OptionalLong.of(rs.getBoolean(2) ? (rs.getLong(1) << ROW_BITS | (MAX_ROWS - 1)) : 0);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
