package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.store.RefusedRows;
import net.rampart.store.WriteProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events and mitigation changes in the order they were made, many per transaction, on
 * one thread: the engine's decision no longer waits for a database round trip, and a burst of
 * events costs one commit per batch instead of one per event.
 *
 * <p>A failed batch is retried (the database may be restarting) and nothing queued is dropped;
 * a write the database refuses for its content is set aside ({@link RefusedRows}) so that it
 * never holds up the writes behind it.
 * When the queue is full the caller is refused at once, before its decision takes effect, so a
 * database that cannot keep up shows as 503 answers rather than unbounded memory. Readers call
 * {@link #awaitWritten} to see every write made before them.
 */
final class MitigationWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MitigationWriter.class);
    private static final int BATCH = 2000;
    private static final long READ_WAIT_SECONDS = 10;
    private static final String WRITER = "mitigation";

    /** One write: an event with the mitigations it changed, or a mitigation alone (event null). */
    record Write(AttackEvent event, String pop, List<Mitigation> changed) {
    }

    private final DataSource dataSource;
    private final RefusedRows refused;
    private final Batch batch;
    private final ArrayBlockingQueue<Write> queue;
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private final WriteProgress progress = new WriteProgress();

    /** The SQL of one batch, given the events and the latest state of each mitigation it touched. */
    interface Batch {
        void write(Connection c, List<Write> events, List<Mitigation> latest) throws SQLException;
    }

    MitigationWriter(DataSource dataSource, RefusedRows refused, int capacity, Batch batch) {
        this.dataSource = dataSource;
        this.refused = refused;
        this.batch = batch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().daemon().name("mitigation-writer").start(this::run);
    }

    /** Queues a write; callers are serialised by the engine, so the sequence matches the queue. */
    void submit(Write w) {
        if (closed) {
            throw new MitigationStoreException("the mitigation store is closed");
        }
        if (!queue.offer(w)) {
            throw new MitigationStoreException("the database is not keeping up: " + queue.size()
                    + " mitigation writes are waiting");
        }
        enqueued.incrementAndGet();
    }

    /** Waits (at most 10 s) until everything submitted before this call is committed. */
    void awaitWritten() {
        long target = enqueued.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READ_WAIT_SECONDS);
        while (written.get() < target && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Write> pending = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                pending.add(first);
                queue.drainTo(pending, BATCH - 1);
                writeUntilDone(pending);
                written.addAndGet(pending.size());
                pending.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeUntilDone(List<Write> writes) throws InterruptedException {
        long backoffMillis = 100;
        while (true) {
            try {
                refused.write(WRITER, writes, this::writeOnce);
                if (progress.succeeded()) {
                    log.atInfo().addKeyValue("event", "mitigation_write_recovered").log("Mitigation writes stored again");
                }
                return;
            } catch (SQLException | RuntimeException e) {
                progress.failed(log, e).addKeyValue("event", "mitigation_write_failed").addKeyValue("writes", writes.size())
                        .addKeyValue("retry_in_ms", backoffMillis).log("Mitigation writes not stored; retrying");
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            }
        }
    }

    /** One transaction: the events of these writes and the last state of each mitigation they changed. */
    private void writeOnce(List<Write> writes) throws SQLException {
        // Each mitigation's last state in the batch is the one to keep: an upsert replaces every column.
        Map<String, Mitigation> latest = new LinkedHashMap<>();
        List<Write> events = new ArrayList<>();
        for (Write w : writes) {
            if (w.event() != null) {
                events.add(w);
            }
            for (Mitigation m : w.changed()) {
                latest.remove(m.id());
                latest.put(m.id(), m);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AsynchronousCommit.enable(c);
                batch.write(c, events, List.copyOf(latest.values()));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** See {@link WriteProgress#makingProgress}: while it is false, what is decided is only queued. */
    boolean makingProgress() {
        return progress.makingProgress();
    }

    /** Writes what is queued (at most 30 s), then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            log.atError().addKeyValue("event", "mitigation_writes_lost").addKeyValue("writes", queue.size())
                    .log("Mitigation writes still queued at shutdown were not stored");
        }
    }
}
