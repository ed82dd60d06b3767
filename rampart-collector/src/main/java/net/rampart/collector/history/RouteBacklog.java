package net.rampart.collector.history;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
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
 *
 * <p>Events bound for the spool are not encoded by the thread that accepts them, a router's
 * intake thread, whose CPU is the collector's intake rate: they wait in a bounded hand-over,
 * and the spool thread ({@link #spoolNext}) takes them a record at a time, in order, and encodes
 * and appends each outside the lock. When the hand-over is full the accepting thread waits for
 * the spool thread, which stops it reading its router's socket (TCP back-pressure) instead of
 * holding more events in memory. When the writer has read the spool out and no record is being
 * appended, what is still in the hand-over is the oldest unwritten, and moves to the queue as it
 * is: the spooling ends without a round trip through the disk.
 *
 * <p>Without {@linkplain HistorySettings#spoolWhenBehind spooling}, a full queue makes the
 * accepting thread wait for the writer instead, and a stop leaves the queue to the source.
 */
final class RouteBacklog {
    // The recorder's name, as operators know its log lines (logger_name) and may set its level.
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    /** What the writer took: queue entries to remove, or a spool chunk to commit, on success. */
    record Batch(List<RouteEvent> events, int queueEntries, BatchSpool.Chunk chunk) {
    }

    private record Pending(List<RouteEvent> events, long acceptedMillis) {
    }

    /** Why routers are asked to resend: the spool's budget ran out, and events are being dropped. */
    static final String SPOOL_FULL = "route history spool is full";
    /** Why again: that spool is read out, and what routers resent while it was full was dropped too. */
    static final String CAUGHT_UP = "route history caught up after dropping events while its spool was full";

    private final HistorySettings settings;
    private final SpoolOverflow overflow;
    private final StopDeadline stop;
    private final HistoryCounts counts;
    /** Asks the BMP side to close its sessions, with why, so that routers resend what was dropped. */
    private final Consumer<String> askResend;
    private final ReentrantLock lock = new ReentrantLock();
    /** For the writer: a batch to take, or the record being appended is on disk. */
    private final Condition work = lock.newCondition();
    /** For the spool thread: a record's worth in the hand-over, or a producer waiting for room. */
    private final Condition spoolWork = lock.newCondition();
    /** For producers waiting on a full hand-over. */
    private final Condition handOverRoom = lock.newCondition();
    /** For producers waiting on a full queue, when events are not spooled. */
    private final Condition queueRoom = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Events bound for the spool, newer than everything on disk, not yet taken by the spool thread. */
    private final ArrayDeque<Pending> handOver = new ArrayDeque<>();

    private int queuedEvents;
    private int handOverEvents;
    private int producersWaiting;
    /** Whether the spool thread is appending a record it took from the hand-over. */
    private boolean appending;
    /** When the oldest event of that record was accepted. */
    private long appendingAcceptedMillis;
    /** Whether new events go to the spool: from the first that did not fit the queue until the spool is read out. */
    private boolean spooling;
    private boolean closed;

    /**
     * @param askResend called, with why, when routers must send their routes again: once per
     *                  overflow on the spool thread when the spool's budget is used up and events
     *                  are being dropped, and once on a thread of its own when that overflow's
     *                  spool is read out, so that what routers resent while it was full (and was
     *                  dropped too) is sent again into a history that can take it
     */
    RouteBacklog(HistorySettings settings, SpoolOverflow overflow, StopDeadline stop, HistoryCounts counts,
                 Consumer<String> askResend) {
        this.settings = settings;
        this.overflow = overflow;
        this.stop = stop;
        this.counts = counts;
        this.askResend = askResend;
        this.spooling = overflow.onDisk();
    }

    /** Accepts events after all the others; see {@link #add(List, LongConsumer)}. */
    void add(List<RouteEvent> events) {
        add(events, first -> { });
    }

    /**
     * Accepts events after all the others, waiting while the hand-over to the spool (or, without
     * spooling, the queue) is full; after {@link #close} they are dropped.
     *
     * @param numbered told the number of the first event (events are numbered from 0 in the order
     *                 accepted) before the writer can take any of them; not called when they are dropped
     */
    void add(List<RouteEvent> events, LongConsumer numbered) {
        int n = events.size();
        if (n == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    counts.countDropped(n);
                    log.atError().addKeyValue("event", "history_event_after_close").addKeyValue("events", n)
                            .log("route events arrived after the history recorder closed; not recorded");
                    return;
                }
                boolean fits = queuedEvents + n <= settings.queueCapacity();
                if (!settings.spoolWhenBehind()) {
                    // An empty queue takes a list of any size, so that one larger than the queue cannot wait forever.
                    if (fits || queue.isEmpty()) {
                        accept(events, now, numbered);
                        return;
                    }
                    producersWaiting++;
                    queueRoom.awaitUninterruptibly();
                    producersWaiting--;
                    now = System.currentTimeMillis();
                    continue;
                }
                if (!spooling && fits) {
                    accept(events, now, numbered);
                    return;
                }
                if (!spooling) {
                    spooling = true;
                    log.atWarn().addKeyValue("event", "history_spooling").addKeyValue("queued_events", queuedEvents)
                            .log("route history is behind; spooling new events to disk");
                }
                // An empty hand-over takes a list of any size, so that one larger than the bound cannot wait forever.
                if (handOver.isEmpty() || handOverEvents + n <= settings.spoolHandOverEvents()) {
                    numbered.accept(counts.accepted());
                    counts.countAccepted(n);
                    handOver.addLast(new Pending(events, now));
                    int before = handOverEvents;
                    handOverEvents += n;
                    if (before < settings.batchSize() && handOverEvents >= settings.batchSize()) {
                        spoolWork.signal();
                    }
                    return;
                }
                // Uninterruptibly: the spool thread frees room by appending one record (or close() by
                // refusing), and giving up would lose the events.
                producersWaiting++;
                spoolWork.signal();
                handOverRoom.awaitUninterruptibly();
                producersWaiting--;
                now = System.currentTimeMillis();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the spool thread: takes the next record's worth of the hand-over, waiting for one,
     * and encodes and appends it to the spool outside the lock; false once the backlog is closed
     * (close() spools what is left).
     */
    boolean spoolNext() throws InterruptedException {
        List<Pending> record;
        lock.lock();
        try {
            // A partial record waits for more, unless a producer waits for room: records stay batch-sized.
            while (!closed && (handOver.isEmpty() || handOverEvents < settings.batchSize() && producersWaiting == 0)) {
                spoolWork.await();
            }
            if (closed) {
                return false;
            }
            record = takeRecord();
            appending = true;
            appendingAcceptedMillis = record.get(0).acceptedMillis();
            handOverRoom.signalAll();
        } finally {
            lock.unlock();
        }
        boolean exhaustedNow = false;
        try {
            exhaustedNow = append(record);
        } finally {
            lock.lock();
            try {
                appending = false;
                // The writer, or close(), may wait for this record to be on disk.
                work.signalAll();
            } finally {
                lock.unlock();
            }
        }
        if (exhaustedNow) {
            askResend.accept(SPOOL_FULL);
        }
        return true;
    }

    /** Removes hand-over entries from the front up to a record's size (at least one). */
    private List<Pending> takeRecord() {
        List<Pending> record = new ArrayList<>();
        int events = 0;
        while (!handOver.isEmpty() && events < settings.batchSize()) {
            Pending p = handOver.removeFirst();
            record.add(p);
            events += p.events().size();
        }
        handOverEvents -= events;
        return record;
    }

    private boolean append(List<Pending> record) {
        List<RouteEvent> events = new ArrayList<>();
        for (Pending p : record) {
            events.addAll(p.events());
        }
        return overflow.append(events, record.get(0).acceptedMillis());
    }

    /** Puts events at the end of the queue, telling {@code numbered} the number of the first; under the lock. */
    private void accept(List<RouteEvent> events, long now, LongConsumer numbered) {
        numbered.accept(counts.accepted());
        counts.countAccepted(events.size());
        boolean wasEmpty = queue.isEmpty();
        queue.addLast(new Pending(events, now));
        queuedEvents += events.size();
        // Wake the writer to start the batch's delay timer, or because a batch is full.
        if (wasEmpty || queuedEvents >= settings.batchSize()) {
            work.signal();
        }
    }

    /**
     * The next batch for the writer, in order, waiting for one; null once stopping with nothing
     * left, or past the stop's deadline.
     */
    Batch next() throws InterruptedException, IOException {
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
                    if (overflow.onDisk()) {
                        break; // read the spool outside the lock; producers keep spooling meanwhile
                    }
                    if (appending) {
                        work.await(); // the record being appended is older than the hand-over
                        continue;
                    }
                    endSpooling();
                    continue;
                }
                if (stop.stopping()) {
                    return null;
                }
                work.await();
            }
        } finally {
            lock.unlock();
        }
        return takeFromSpool();
    }

    /**
     * The spool is read out and nothing is being appended: the hand-over holds the oldest events
     * not yet written, and goes to the queue ahead of any new ones. When the overflow dropped
     * events, routers are asked to send their routes again.
     */
    private void endSpooling() {
        for (Pending p : handOver) {
            queue.addLast(p);
            queuedEvents += p.events().size();
        }
        handOver.clear();
        handOverEvents = 0;
        spooling = false;
        boolean dropped = overflow.readOut();
        handOverRoom.signalAll();
        log.atInfo().addKeyValue("event", "history_spool_drained").addKeyValue("dropped_events", dropped)
                .log("route history caught up; spool is empty");
        if (dropped) {
            // Every spooled event is written, so the database takes writes again. On a thread of
            // its own: this one holds the lock, and closing sessions must not wait on the
            // routers' threads, which may be waiting for it.
            Thread.ofVirtual().name("route-history-resend").start(() -> askResend.accept(CAUGHT_UP));
        }
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
        BatchSpool.Chunk chunk = overflow.read();
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
            counts.countSettled(batch.events().size());
            queueRoom.signalAll();
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
     * Once the writer has stopped: refuses further events (producers waiting for room too), lets
     * the spool thread finish the record it is appending and puts whatever is still in memory on
     * disk: the hand-over after the spool, the queue ahead of it, so the next start writes it
     * first; then closes the spool.
     */
    void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            handOverRoom.signalAll();
            queueRoom.signalAll();
            spoolWork.signalAll();
            while (appending) {
                work.awaitUninterruptibly();
            }
            int left = queuedEvents + handOverEvents;
            while (!handOver.isEmpty()) {
                append(takeRecord());
            }
            if (!queue.isEmpty() && !settings.spoolWhenBehind()) {
                log.atWarn().addKeyValue("event", "history_left_to_source").addKeyValue("events", queuedEvents)
                        .log("route events not written at stop are left to their source, which is read again"
                                + " from where history ends");
                queue.clear();
                queuedEvents = 0;
            }
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
            if (oldest == 0) {
                oldest = appending ? appendingAcceptedMillis
                        : handOver.isEmpty() ? 0 : handOver.peekFirst().acceptedMillis();
            }
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

    int handedOverEvents() {
        lock.lock();
        try {
            return handOverEvents;
        } finally {
            lock.unlock();
        }
    }

    int producersWaiting() {
        lock.lock();
        try {
            return producersWaiting;
        } finally {
            lock.unlock();
        }
    }
}
