package net.rampart.collector.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.RouteEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route events of a backlog that are on their way through the disk: appended as
 * batch-sized {@link BatchSpool} records (one encoding and one write each), read back for the
 * writer, and committed once written. When the spool's budget is used up the events are dropped,
 * and that is reported once per overflow: until the backlog has read the spool out.
 *
 * <p>Records are appended by one thread at a time: the backlog's spool thread, or its close
 * once that thread has stopped appending; the writer thread reads and commits records, which
 * the spool's own locking allows. {@link #readOut} comes from the writer under the backlog's
 * lock, once no record is being appended, and the lock orders it after the last append.
 */
final class SpoolOverflow {
    // The recorder's name, as operators know its log lines (logger_name) and may set its level.
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    private final BatchSpool spool;
    private final int recordEvents;
    private final HistoryCounts counts;
    private boolean exhausted;
    /** When the oldest event of the chunk being written was accepted, or 0 when none is. */
    private volatile long chunkAcceptedMillis;

    /** @param recordEvents events per chunk read back for the writer */
    SpoolOverflow(BatchSpool spool, int recordEvents, HistoryCounts counts) {
        this.spool = spool;
        this.recordEvents = recordEvents;
        this.counts = counts;
    }

    /**
     * Appends events accepted from {@code acceptedMillis} on as one record, after all the others.
     * Returns true when this call found the spool's budget used up for the first time in an
     * overflow. What cannot be spooled is dropped, counted and logged.
     */
    boolean append(List<RouteEvent> events, long acceptedMillis) {
        int n = events.size();
        try {
            if (spool.append(RouteEventCodec.encode(events), n, acceptedMillis)) {
                counts.countSpooled(n);
                return false;
            }
            counts.countDropped(n);
            if (exhausted) {
                return false;
            }
            exhausted = true;
            log.atError().addKeyValue("event", "history_spool_exhausted").addKeyValue("spool_bytes", spool.bytes())
                    .addKeyValue("budget_bytes", spool.budgetBytes())
                    .log("route history spool is full; dropping events and closing BMP sessions so "
                            + "routers resend on reconnect");
            return true;
        } catch (IOException | RuntimeException e) {
            // Caught whatever it is: the spool thread must go on, or the routers' threads would wait for it forever.
            counts.countDropped(n);
            log.atError().addKeyValue("event", "history_spool_failed").addKeyValue("events", n)
                    .setCause(e).log("could not spool route events");
            return false;
        }
    }

    /** Whether records on disk wait to be written. */
    boolean onDisk() {
        return !spool.isEmpty();
    }

    /**
     * The backlog read everything spooled: the overflow is over, and a next one reports anew.
     * Returns whether events were dropped in it, which routers must then send again.
     */
    boolean readOut() {
        boolean dropped = exhausted;
        exhausted = false;
        return dropped;
    }

    /** Reads records from the front, up to a batch; null when there are none. */
    BatchSpool.Chunk read() throws IOException {
        BatchSpool.Chunk chunk = spool.read(recordEvents);
        if (chunk != null) {
            chunkAcceptedMillis = chunk.oldestAcceptedMillis();
        }
        return chunk;
    }

    /** The chunk's events, in order, less those of records that cannot be decoded (counted, logged). */
    List<RouteEvent> events(BatchSpool.Chunk chunk) {
        List<RouteEvent> events = new ArrayList<>(chunk.events());
        for (byte[] payload : chunk.payloads()) {
            try {
                events.addAll(RouteEventCodec.decode(payload));
            } catch (IOException e) {
                counts.countRejected();
                log.atError().addKeyValue("event", "history_spool_corrupt").addKeyValue("segment", chunk.segment())
                        .setCause(e).log("skipped a spool record that could not be decoded");
            }
        }
        return events;
    }

    /** Frees a chunk from {@link #read} once its events are written. */
    void commit(BatchSpool.Chunk chunk) throws IOException {
        chunkAcceptedMillis = 0;
        spool.commit(chunk);
    }

    /**
     * Puts batches ahead of everything spooled, in order, ignoring the budget: at close, for
     * events accepted before the spooled ones that are still in memory.
     */
    void putAhead(List<List<RouteEvent>> batches, long acceptedMillis) throws IOException {
        List<byte[]> payloads = new ArrayList<>(batches.size());
        List<Integer> eventCounts = new ArrayList<>(batches.size());
        for (List<RouteEvent> batch : batches) {
            payloads.add(RouteEventCodec.encode(batch));
            eventCounts.add(batch.size());
        }
        spool.prepend(payloads, eventCounts, acceptedMillis);
    }

    /** When the oldest event of the chunk being written was accepted; 0 when none is. */
    long oldestAcceptedMillis() {
        return chunkAcceptedMillis;
    }

    /** Bytes on disk waiting to be written. */
    long bytes() {
        return spool.bytes();
    }

    void close() throws IOException {
        spool.close();
    }
}
