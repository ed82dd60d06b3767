package net.rampart.store.route;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import net.rampart.collector.rib.RouteEvent;

/**
 * The attribute sets of one batch, stored ahead of its rows: chunk by chunk, on a thread and a
 * connection of their own, each chunk's new sets committed before its ids are handed over. The
 * writer copies the rows of chunk k while the sets of chunk k + 1 are stored, so the database
 * works on both at once (on this machine's two cores each took about half of a batch's time
 * when they ran one after the other).
 *
 * <p>Committing sets before the rows that use them is safe: a set is named by its digest and
 * means the same whoever stored it, so one left without rows (the rows' transaction failed) is
 * found again when the batch is retried. Another writer adding the same sets waits for a
 * chunk's short transaction only.
 */
final class SetsAhead {
    private final List<RouteEvent> events;
    private final int chunkEvents;
    private final CompletableFuture<long[]>[] ids;
    private final Thread thread;
    /** Set by finish(): the writer needs no chunk it has not taken yet (all were taken, or its transaction failed). */
    private volatile boolean abandoned;
    /** Written by the sets thread, read after finish() has joined it. */
    private long nanos;

    @SuppressWarnings("unchecked")
    private SetsAhead(DataSource dataSource, AttributeSets sets, List<RouteEvent> events, int chunkEvents) {
        this.events = events;
        this.chunkEvents = chunkEvents;
        this.ids = new CompletableFuture[(events.size() + chunkEvents - 1) / chunkEvents];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = new CompletableFuture<>();
        }
        this.thread = Thread.ofVirtual().name("route-history-sets").unstarted(() -> store(dataSource, sets));
    }

    /**
     * Starts storing the sets of {@code events}, {@code chunkEvents} at a time. {@code sets} is
     * used by the new thread only until {@link #finish} returns.
     */
    static SetsAhead start(DataSource dataSource, AttributeSets sets, List<RouteEvent> events, int chunkEvents) {
        SetsAhead ahead = new SetsAhead(dataSource, sets, events, chunkEvents);
        ahead.thread.start();
        return ahead;
    }

    int chunks() {
        return ids.length;
    }

    /**
     * The set id of each event of chunk {@code chunk} (0 for a withdrawal), once its sets are
     * committed; what storing them threw, if it failed.
     */
    long[] ids(int chunk) throws SQLException {
        try {
            return ids[chunk].join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case SQLException sql -> throw sql;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                case null, default -> throw e;
            }
        }
    }

    /** Stops after the chunk in progress, if any is left, and waits for the thread. */
    void finish() {
        abandoned = true;
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                // AttributeSets is not thread-safe: the next batch may use it only once this thread is done.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Time spent storing sets; with the phases {@link AttributeSets} counted, once {@link #finish} returned. */
    long nanos() {
        return nanos;
    }

    private void store(DataSource dataSource, AttributeSets sets) {
        int chunk = 0;
        sets.resetPhases();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (; chunk < ids.length && !abandoned; chunk++) {
                    long started = System.nanoTime();
                    int from = chunk * chunkEvents;
                    long[] chunkIds = sets.ids(c, events.subList(from, Math.min(events.size(), from + chunkEvents)));
                    c.commit();
                    sets.committed();
                    nanos += System.nanoTime() - started;
                    ids[chunk].complete(chunkIds);
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (Throwable e) {
            // Every chunk not handed over fails with it, so that the writer never waits for one in vain.
            for (int k = chunk; k < ids.length; k++) {
                ids[k].completeExceptionally(e);
            }
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        // Abandoned: the writer's transaction failed and it waits for no further chunk.
        for (int k = chunk; k < ids.length; k++) {
            ids[k].cancel(false);
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is broken; the pool discards it.
            failure.addSuppressed(e);
        }
    }
}
