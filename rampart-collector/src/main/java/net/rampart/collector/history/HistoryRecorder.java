package net.rampart.collector.history;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the RIB's route events to the history store without ever making a router wait on
 * the database. Events queue in memory and one writer thread stores them in batches; when
 * the queue is full (the database is slow) or the database is down, new events go to an
 * on-disk {@link RouteSpool} instead, and the writer drains the spool once the queue is
 * written. Order is kept end to end: while anything is spooled, new events are spooled too.
 * A failed write is retried with exponential backoff. An event the store refuses for its content
 * is isolated by writing its batch in halves, handed to the store to keep aside, counted, and
 * skipped; only the first of a recorder is logged at ERROR, so a router sending many such routes
 * cannot flood the log. When the spool's disk budget runs out, events are dropped and the
 * exhaustion callback asks the owner to close the BMP sessions, so routers resend everything
 * when they reconnect.
 */
public final class HistoryRecorder implements RouteEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Pending(List<RouteEvent> events, long acceptedMillis) {
    }

    /** What the writer took: queue entries to remove, or a spool chunk to commit, on success. */
    private record Batch(List<RouteEvent> events, int queueEntries, RouteSpool.Chunk chunk) {
    }

    private final RouteHistoryWriter writer;
    private final HistorySettings settings;
    private final RouteSpool spool;
    private final Runnable onSpoolExhausted;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition stop = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread thread;

    private int queuedEvents;
    /** Events bound for the spool, newer than everything on disk, written once a batch is full. */
    private final List<RouteEvent> spoolBuffer = new ArrayList<>();
    private long spoolBufferAcceptedMillis;
    private boolean spooling;
    private boolean exhausted;
    private boolean stopping;
    private boolean closed;
    private long stopDeadlineNanos;
    private volatile long spoolChunkAcceptedMillis;
    private volatile boolean storeAvailable = true;
    /** When writes started failing (System.nanoTime), or 0 while they succeed. */
    private volatile long failingSince;
    /** Whether a refused event was logged at ERROR; later ones go to DEBUG. Writer thread only. */
    private boolean refusalLogged;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private HistoryRecorder(RouteHistoryWriter writer, HistorySettings settings, RouteSpool spool,
                            Runnable onSpoolExhausted) {
        this.writer = writer;
        this.settings = settings;
        this.spool = spool;
        this.onSpoolExhausted = onSpoolExhausted;
        this.spooling = !spool.isEmpty();
        this.thread = Thread.ofPlatform().name("route-history-writer").daemon(false).unstarted(this::run);
    }

    /**
     * Opens the spool (resuming what a previous run left in it) and starts the writer thread.
     *
     * @param onSpoolExhausted called once per episode, on the thread that found it, when the
     *                         spool's budget is used up and events are being dropped
     */
    public static HistoryRecorder start(RouteHistoryWriter writer, HistorySettings settings,
                                        Runnable onSpoolExhausted) throws IOException {
        RouteSpool spool = RouteSpool.open(settings.spoolDirectory(), settings.spoolBudgetBytes(),
                settings.spoolSegmentBytes());
        HistoryRecorder recorder = new HistoryRecorder(writer, settings, spool, onSpoolExhausted);
        recorder.thread.start();
        return recorder;
    }

    @Override
    public void onRouteEvents(List<RouteEvent> events) {
        int n = events.size();
        if (n == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean exhaustedNow = false;
        lock.lock();
        try {
            if (closed) {
                dropped.addAndGet(n);
                log.atError().addKeyValue("event", "history_event_after_close").addKeyValue("events", n)
                        .log("route events arrived after the history recorder closed; not recorded");
                return;
            }
            accepted.addAndGet(n);
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
            if (spoolBuffer.isEmpty()) {
                spoolBufferAcceptedMillis = now;
            }
            spoolBuffer.addAll(events);
            // Spool records hold a batch's worth of events: one encoding and one write each.
            if (spoolBuffer.size() >= settings.batchSize()) {
                exhaustedNow = flushSpoolBuffer();
            }
            work.signal();
        } finally {
            lock.unlock();
        }
        if (exhaustedNow) {
            onSpoolExhausted.run();
        }
    }

    /**
     * Writes the events gathered for the spool as one record. Call with the lock held; returns
     * true when this call found the spool's budget used up for the first time in an episode.
     */
    private boolean flushSpoolBuffer() {
        if (spoolBuffer.isEmpty()) {
            return false;
        }
        int n = spoolBuffer.size();
        try {
            if (spool.append(RouteEventCodec.encode(spoolBuffer), n, spoolBufferAcceptedMillis)) {
                spooled.addAndGet(n);
                return false;
            }
            dropped.addAndGet(n);
            if (exhausted) {
                return false;
            }
            exhausted = true;
            log.atError().addKeyValue("event", "history_spool_exhausted").addKeyValue("spool_bytes", spool.bytes())
                    .addKeyValue("budget_bytes", spool.budgetBytes())
                    .log("route history spool is full; dropping events and closing BMP sessions so "
                            + "routers resend on reconnect");
            return true;
        } catch (IOException e) {
            dropped.addAndGet(n);
            log.atError().addKeyValue("event", "history_spool_failed").addKeyValue("events", n)
                    .setCause(e).log("could not spool route events");
            return false;
        } finally {
            spoolBuffer.clear();
        }
    }

    private void run() {
        try {
            Batch batch;
            while ((batch = nextBatch()) != null) {
                if (!writeWithRetry(batch)) {
                    break;
                }
                commit(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.atError().addKeyValue("event", "history_spool_failed").setCause(e)
                    .log("route history writer stopped: the spool could not be read");
        }
    }

    private boolean pastDeadline() {
        return stopping && System.nanoTime() - stopDeadlineNanos > 0;
    }

    private Batch nextBatch() throws InterruptedException, IOException {
        boolean exhaustedNow = false;
        lock.lock();
        try {
            while (true) {
                if (pastDeadline()) {
                    return null;
                }
                if (!queue.isEmpty()) {
                    long waitMillis = queue.peekFirst().acceptedMillis() + settings.maxDelay().toMillis()
                            - System.currentTimeMillis();
                    if (queuedEvents < settings.batchSize() && waitMillis > 0 && !stopping) {
                        work.await(waitMillis, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    return takeFromQueue();
                }
                if (spooling) {
                    if (spool.isEmpty() && !spoolBuffer.isEmpty()) {
                        // Caught up with the disk: put the partial record there and read it back.
                        exhaustedNow |= flushSpoolBuffer();
                        continue;
                    }
                    if (spool.isEmpty()) {
                        spooling = false;
                        exhausted = false;
                        log.atInfo().addKeyValue("event", "history_spool_drained")
                                .log("route history caught up; spool is empty");
                        continue;
                    }
                    break; // read the spool outside the lock; producers keep spooling meanwhile
                }
                if (stopping) {
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
        RouteSpool.Chunk chunk = spool.read(settings.batchSize());
        if (chunk == null) {
            return new Batch(List.of(), 0, null);
        }
        spoolChunkAcceptedMillis = chunk.oldestAcceptedMillis();
        List<RouteEvent> events = new ArrayList<>(chunk.events());
        for (byte[] payload : chunk.payloads()) {
            try {
                events.addAll(RouteEventCodec.decode(payload));
            } catch (IOException e) {
                rejected.incrementAndGet();
                log.atError().addKeyValue("event", "history_spool_corrupt").addKeyValue("segment", chunk.segment())
                        .setCause(e).log("skipped a spool record that could not be decoded");
            }
        }
        return new Batch(events, 0, chunk);
    }

    /** Returns false when stopping past the deadline with the batch still unwritten. */
    private boolean writeWithRetry(Batch batch) throws InterruptedException {
        return batch.events().isEmpty() || writeWithRetry(batch.events());
    }

    /**
     * Writes events, retrying while the store is unavailable. When the store refuses them
     * for their content, the events are written in halves until the refused ones are found,
     * so only those are skipped. Returns false when stopping past the deadline unwritten.
     */
    private boolean writeWithRetry(List<RouteEvent> events) throws InterruptedException {
        long backoff = settings.minBackoff().toMillis();
        while (true) {
            try {
                writer.write(events);
                written.addAndGet(events.size());
                storeAnswered();
                return true;
            } catch (HistoryRejectedException e) {
                if (events.size() > 1) {
                    int half = events.size() / 2;
                    return writeWithRetry(events.subList(0, half))
                            && writeWithRetry(events.subList(half, events.size()));
                }
                storeAnswered();
                rejected.incrementAndGet();
                RouteEvent event = events.get(0);
                var line = refusalLogged ? log.atDebug() : log.atError();
                line.addKeyValue("event", "history_event_rejected").addKeyValue("router", event.router())
                        .addKeyValue("peer", event.peer()).addKeyValue("view", event.view())
                        .addKeyValue("route", event.key()).addKeyValue("reason", e.getMessage())
                        .log("route history store refused an event; it is skipped, the rest written"
                                + (refusalLogged ? "" : " (further refusals are counted, logged at DEBUG)"));
                refusalLogged = true;
                writer.keepRefused(event, e);
                return true;
            } catch (HistoryUnavailableException | RuntimeException e) {
                if (storeAvailable) {
                    storeAvailable = false;
                    failingSince = System.nanoTime();
                    log.atWarn().addKeyValue("event", "history_store_unavailable")
                            .addKeyValue("events", events.size()).addKeyValue("error", e.getMessage())
                            .log("route history store unavailable; retrying with backoff");
                }
            }
            lock.lock();
            try {
                if (pastDeadline()) {
                    return false;
                }
                long waitNanos = TimeUnit.MILLISECONDS.toNanos(backoff);
                if (stopping) {
                    waitNanos = Math.min(waitNanos, stopDeadlineNanos - System.nanoTime());
                }
                if (waitNanos > 0) {
                    stop.awaitNanos(waitNanos);
                }
            } finally {
                lock.unlock();
            }
            backoff = Math.min(settings.maxBackoff().toMillis(), backoff * 2);
        }
    }

    /** The store took or refused a write: it is there, whatever it said before. */
    private void storeAnswered() {
        if (!storeAvailable) {
            storeAvailable = true;
            failingSince = 0;
            log.atInfo().addKeyValue("event", "history_store_recovered").log("route history store is back");
        }
    }

    private void commit(Batch batch) throws IOException {
        if (batch.chunk() != null) {
            spoolChunkAcceptedMillis = 0;
            spool.commit(batch.chunk());
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
     * Stops gracefully: writes what it can within the drain timeout, then puts whatever is
     * still in memory ahead of the spool on disk, so the next start writes it first.
     */
    @Override
    public void close() throws IOException {
        log.atInfo().addKeyValue("event", "history_flush_started").addKeyValue("queued_events", queuedEvents())
                .addKeyValue("spool_bytes", spool.bytes()).log("flushing route history");
        lock.lock();
        try {
            if (closed) {
                return;
            }
            stopping = true;
            stopDeadlineNanos = System.nanoTime() + settings.drainTimeout().toNanos();
            work.signalAll();
            stop.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closed = true;
            flushSpoolBuffer();
            int left = queuedEvents;
            if (!queue.isEmpty()) {
                List<byte[]> payloads = new ArrayList<>(queue.size());
                List<Integer> counts = new ArrayList<>(queue.size());
                for (Pending p : queue) {
                    payloads.add(RouteEventCodec.encode(p.events()));
                    counts.add(p.events().size());
                }
                spool.prepend(payloads, counts, queue.peekFirst().acceptedMillis());
                queue.clear();
                queuedEvents = 0;
            }
            spool.close();
            log.atInfo().addKeyValue("event", "history_flushed").addKeyValue("written_events", written.get())
                    .addKeyValue("spooled_at_stop", left).addKeyValue("spool_bytes", spool.bytes())
                    .log("route history flushed");
        } finally {
            lock.unlock();
        }
    }

    /** Age of the oldest accepted event not yet stored, in milliseconds; 0 when all are stored. */
    public long lagMillis() {
        long oldest;
        lock.lock();
        try {
            oldest = !queue.isEmpty() ? queue.peekFirst().acceptedMillis()
                    : spoolChunkAcceptedMillis != 0 ? spoolChunkAcceptedMillis
                    : spoolBuffer.isEmpty() ? 0 : spoolBufferAcceptedMillis;
        } finally {
            lock.unlock();
        }
        return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }

    /** Bytes on disk waiting to be written. */
    public long spoolBytes() {
        return spool.bytes();
    }

    public int queuedEvents() {
        lock.lock();
        try {
            return queuedEvents;
        } finally {
            lock.unlock();
        }
    }

    public long acceptedEvents() {
        return accepted.get();
    }

    public long writtenEvents() {
        return written.get();
    }

    public long spooledEvents() {
        return spooled.get();
    }

    /** Events the store refused for their content, or spool records that could not be read back. */
    public long rejectedEvents() {
        return rejected.get();
    }

    /** Events lost because the spool was full (the sessions are closed for the routers to resend). */
    public long droppedEvents() {
        return dropped.get();
    }

    public boolean storeAvailable() {
        return storeAvailable;
    }

    /**
     * False once writes to the store have been failing for more than 10 s: events are spooled,
     * not lost, but history is not being written (the database is away, or fails every write).
     */
    public boolean makingProgress() {
        long since = failingSince;
        return since == 0 || System.nanoTime() - since < STUCK_NANOS;
    }
}
