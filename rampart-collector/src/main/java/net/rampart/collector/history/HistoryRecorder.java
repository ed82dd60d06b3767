package net.rampart.collector.history;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the RIB's route events to the history store without ever making a router wait on
 * the database. Accepted events wait in a {@link RouteBacklog}, in memory or, when the database
 * is slow or down, in the on-disk spool, and one writer thread takes them in order, in batches,
 * and gets each into the store through a {@link BatchWriter}, which retries with backoff and
 * skips only the events the store refuses. A spool thread encodes and appends the events bound
 * for the spool, so that a router's intake thread only hands them over (and waits only when the
 * spool thread is that far behind). When the spool's disk budget runs out, events are dropped
 * and the exhaustion callback asks the owner to close the BMP sessions, so routers resend
 * everything when they reconnect.
 */
public final class HistoryRecorder implements RouteEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    private final HistoryCounts counts = new HistoryCounts();
    private final StoreAvailability availability = new StoreAvailability(System::nanoTime);
    private final SpoolOverflow overflow;
    private final RouteBacklog backlog;
    private final BatchWriter batchWriter;
    private final Thread thread;
    private final Thread spoolThread;
    private volatile SourcePositions positions = SourcePositions.NONE;

    private HistoryRecorder(RouteHistoryWriter writer, HistorySettings settings, BatchSpool spool,
                            Consumer<String> askResend) {
        StopDeadline stop = new StopDeadline();
        this.overflow = new SpoolOverflow(spool, settings.batchSize(), counts);
        this.backlog = new RouteBacklog(settings, overflow, stop, counts, askResend);
        this.batchWriter = new BatchWriter(writer, settings, availability, stop, counts);
        this.thread = Thread.ofPlatform().name("route-history-writer").daemon(false).unstarted(this::run);
        this.spoolThread = Thread.ofPlatform().name("route-history-spool").daemon(false).unstarted(this::spool);
    }

    /**
     * Opens the spool (resuming what a previous run left in it) and starts the writer and spool
     * threads.
     *
     * @param askResend called, with why, when routers must send their routes again because
     *                  events were dropped: once when the spool's budget is used up (on the spool
     *                  thread), and once when that overflow's spool is read out (on a thread of
     *                  its own), so that what they resent meanwhile, dropped as well, comes again;
     *                  it must not wait for the routers' threads, which may wait for these threads
     */
    public static HistoryRecorder start(RouteHistoryWriter writer, HistorySettings settings,
                                        Consumer<String> askResend) throws IOException {
        BatchSpool spool = BatchSpool.open(settings.spoolDirectory(), settings.spoolBudgetBytes(),
                settings.spoolSegmentBytes());
        HistoryRecorder recorder = new HistoryRecorder(writer, settings, spool, askResend);
        recorder.thread.start();
        recorder.spoolThread.start();
        return recorder;
    }

    /**
     * Stores, with each batch, where the source of the events had been read by then; for a
     * recorder without {@linkplain HistorySettings#spoolWhenBehind spooling}, whose events of
     * this run are all written from the queue, in the order accepted.
     */
    public void followPositions(SourcePositions positions) {
        this.positions = positions;
    }

    @Override
    public void onRouteEvents(List<RouteEvent> events) {
        backlog.add(events);
    }

    /**
     * Accepts the events as {@link #onRouteEvents} does, and says what number the first got:
     * events are numbered from 0 in the order accepted, and {@link #settledEvents} of them
     * settled means every event numbered below it is stored or refused.
     *
     * @param numbered told the first event's number before the writer can take any of the events,
     *                 so that what it notes is there when their batch is written; not called when
     *                 the recorder is closed and drops them
     */
    public void record(List<RouteEvent> events, LongConsumer numbered) {
        backlog.add(events, numbered);
    }

    private void run() {
        try {
            RouteBacklog.Batch batch;
            while ((batch = backlog.next()) != null) {
                // A spool chunk holds events of an earlier run, or spooled ones, which no position follows.
                List<SourcePosition> reached = batch.chunk() != null ? List.of()
                        : positions.settledBy(counts.settled() + batch.events().size());
                if (!batchWriter.write(batch.events(), reached)) {
                    break;
                }
                backlog.commit(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.atError().addKeyValue("event", "history_spool_failed").setCause(e)
                    .log("route history writer stopped: the spool could not be read");
        }
    }

    private void spool() {
        try {
            while (backlog.spoolNext()) {
                // each call appends one record
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops gracefully: writes what it can within the drain timeout, then puts whatever is
     * still in memory on disk (what was bound for the spool after it, the queue ahead of it),
     * so the next start writes it first.
     */
    @Override
    public void close() throws IOException {
        log.atInfo().addKeyValue("event", "history_flush_started").addKeyValue("queued_events", queuedEvents())
                .addKeyValue("spool_bytes", overflow.bytes()).log("flushing route history");
        if (!backlog.stopWriter()) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backlog.close();
        try {
            // It stops at the close, having appended nothing after it; joined so that none outlives the recorder.
            spoolThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Age of the oldest accepted event not yet stored, in milliseconds; 0 when all are stored. */
    public long lagMillis() {
        return backlog.lagMillis();
    }

    /** Bytes on disk waiting to be written. */
    public long spoolBytes() {
        return overflow.bytes();
    }

    public int queuedEvents() {
        return backlog.queuedEvents();
    }

    /** Events handed over to the spool thread and not yet on disk. */
    public int handedOverEvents() {
        return backlog.handedOverEvents();
    }

    /** Threads (a router's, for BMP) waiting for room in the spool hand-over: their sockets are not read. */
    public int producersWaiting() {
        return backlog.producersWaiting();
    }

    public long acceptedEvents() {
        return counts.accepted();
    }

    /**
     * Events accepted since start and now stored or refused, counted when the batch that held them
     * is done; those that went through the spool are not counted. Without spooling, it is the
     * number below which every event (see {@link #record}) is settled.
     */
    public long settledEvents() {
        return counts.settled();
    }

    public long writtenEvents() {
        return counts.written();
    }

    public long spooledEvents() {
        return counts.spooled();
    }

    /** Events the store refused for their content, or spool records that could not be read back. */
    public long rejectedEvents() {
        return counts.rejected();
    }

    /** Events lost because the spool was full (the sessions are closed for the routers to resend). */
    public long droppedEvents() {
        return counts.dropped();
    }

    public boolean storeAvailable() {
        return availability.available();
    }

    /**
     * False once writes to the store have been failing for more than 10 s: events are spooled,
     * not lost, but history is not being written (the database is away, or fails every write).
     */
    public boolean makingProgress() {
        return availability.makingProgress();
    }
}
