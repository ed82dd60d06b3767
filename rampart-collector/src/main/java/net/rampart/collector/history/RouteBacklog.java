package net.rampart.collector.history;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.rampart.collector.rib.RouteEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route events accepted and not yet written, in the order they were accepted. They wait in
 * a bounded memory queue; when it is full (the database is slow) or the database is down, new
 * events go to the {@link SpoolOverflow} instead, and while anything is spooled, new events are
 * spooled too, so the writer, which takes the queue first and the spool after, keeps the order
 * end to end. The writer takes a batch when it is full or its oldest event has waited the
 * longest delay, and removes it only once written.
 */
final class RouteBacklog {
    // The recorder's name, as operators know its log lines (logger_name) and may set its level.
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    /** What the writer took: queue entries to remove, or a spool chunk to commit, on success. */
    record Batch(List<RouteEvent> events, int queueEntries, RouteSpool.Chunk chunk) {
    }

    private record Pending(List<RouteEvent> events, long acceptedMillis) {
    }

    private final HistorySettings settings;
    private final SpoolOverflow overflow;
    private final StopDeadline stop;
    private final HistoryCounts counts;
    private final Runnable onSpoolExhausted;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    private int queuedEvents;
    /** Whether new events go to the spool: from the first that did not fit the queue until the spool is read out. */
    private boolean spooling;
    private boolean closed;

    /**
     * @param onSpoolExhausted called once per overflow, on the thread that found it, when the
     *                         spool's budget is used up and events are being dropped
     */
    RouteBacklog(HistorySettings settings, SpoolOverflow overflow, StopDeadline stop, HistoryCounts counts,
                 Runnable onSpoolExhausted) {
        this.settings = settings;
        this.overflow = overflow;
        this.stop = stop;
        this.counts = counts;
        this.onSpoolExhausted = onSpoolExhausted;
        this.spooling = overflow.onDisk();
    }

    /** Accepts events after all the others; after {@link #close} they are dropped. */
    void add(List<RouteEvent> events) {
        int n = events.size();
        if (n == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean exhaustedNow;
        lock.lock();
        try {
            if (closed) {
                counts.countDropped(n);
                log.atError().addKeyValue("event", "history_event_after_close").addKeyValue("events", n)
                        .log("route events arrived after the history recorder closed; not recorded");
                return;
            }
            counts.countAccepted(n);
            if (!spooling && queuedEvents + n <= settings.queueCapacity()) {
                boolean wasEmpty = queue.isEmpty();
                queue.addLast(new Pending(events, now));
                queuedEvents += n;
                // Wake the writer to start the batch's delay timer, or because a batch is full.
                if (wasEmpty || queuedEvents >= settings.batchSize()) {
                    work.signal();
                }
                return;
            }
            if (!spooling) {
                spooling = true;
                log.atWarn().addKeyValue("event", "history_spooling").addKeyValue("queued_events", queuedEvents)
                        .log("route history is behind; spooling new events to disk");
            }
            exhaustedNow = overflow.add(events, now);
            work.signal();
        } finally {
            lock.unlock();
        }
        if (exhaustedNow) {
            onSpoolExhausted.run();
        }
    }

    /**
     * The next batch for the writer, in order, waiting for one; null once stopping with nothing
     * left, or past the stop's deadline.
     */
    Batch next() throws InterruptedException, IOException {
        boolean exhaustedNow = false;
        lock.lock();
        try {
            while (true) {
                if (stop.passed()) {
                    return null;
                }
                if (!queue.isEmpty()) {
                    long waitMillis = queue.peekFirst().acceptedMillis() + settings.maxDelay().toMillis()
                            - System.currentTimeMillis();
                    if (queuedEvents < settings.batchSize() && waitMillis > 0 && !stop.stopping()) {
                        work.await(waitMillis, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    return takeFromQueue();
                }
                if (spooling) {
                    if (!overflow.onDisk() && overflow.buffering()) {
                        // Caught up with the disk: put the partial record there and read it back.
                        exhaustedNow |= overflow.flush();
                        continue;
                    }
                    if (!overflow.onDisk()) {
                        spooling = false;
                        overflow.readOut();
                        log.atInfo().addKeyValue("event", "history_spool_drained")
                                .log("route history caught up; spool is empty");
                        continue;
                    }
                    break; // read the spool outside the lock; producers keep spooling meanwhile
                }
                if (stop.stopping()) {
                    return null;
                }
                work.await();
            }
        } finally {
            lock.unlock();
            if (exhaustedNow) {
                onSpoolExhausted.run();
            }
        }
        return takeFromSpool();
    }

    /** Takes queue entries up to the batch size (at least one) without removing them yet. */
    private Batch takeFromQueue() {
        List<RouteEvent> events = new ArrayList<>(Math.min(queuedEvents, settings.batchSize()));
        int entries = 0;
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (entries > 0 && events.size() + p.events().size() > settings.batchSize()) {
                break;
            }
            events.addAll(p.events());
            entries++;
        }
        return new Batch(events, entries, null);
    }

    private Batch takeFromSpool() throws IOException {
        RouteSpool.Chunk chunk = overflow.read();
        if (chunk == null) {
            return new Batch(List.of(), 0, null);
        }
        return new Batch(overflow.events(chunk), 0, chunk);
    }

    /** Removes a batch from {@link #next} once it is written. */
    void commit(Batch batch) throws IOException {
        if (batch.chunk() != null) {
            overflow.commit(batch.chunk());
            return;
        }
        lock.lock();
        try {
            for (int i = 0; i < batch.queueEntries(); i++) {
                queuedEvents -= queue.removeFirst().events().size();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the writer to stop within the drain timeout, waking it if it waits for work; false
     * when the backlog is closed already.
     */
    boolean stopWriter() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            // Under the lock, so that a writer about to wait for work sees the stop or is woken by it.
            stop.ask(settings.drainTimeout());
            work.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Once the writer has stopped: refuses further events and puts whatever is still in memory
     * on disk, the queue ahead of the spool, so the next start writes it first; then closes the
     * spool.
     */
    void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            overflow.flush();
            int left = queuedEvents;
            if (!queue.isEmpty()) {
                List<List<RouteEvent>> batches = new ArrayList<>(queue.size());
                for (Pending p : queue) {
                    batches.add(p.events());
                }
                overflow.putAhead(batches, queue.peekFirst().acceptedMillis());
                queue.clear();
                queuedEvents = 0;
            }
            overflow.close();
            log.atInfo().addKeyValue("event", "history_flushed").addKeyValue("written_events", counts.written())
                    .addKeyValue("spooled_at_stop", left).addKeyValue("spool_bytes", overflow.bytes())
                    .log("route history flushed");
        } finally {
            lock.unlock();
        }
    }

    /** Age of the oldest accepted event not yet stored, in milliseconds; 0 when all are stored. */
    long lagMillis() {
        long oldest;
        lock.lock();
        try {
            oldest = !queue.isEmpty() ? queue.peekFirst().acceptedMillis() : overflow.oldestAcceptedMillis();
        } finally {
            lock.unlock();
        }
        return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }

    int queuedEvents() {
        lock.lock();
        try {
            return queuedEvents;
        } finally {
            lock.unlock();
        }
    }
}
