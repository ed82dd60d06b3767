package net.rampart.collector.history;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the history store is answering: an outage is logged when it starts and when it ends,
 * not at each retry, and readiness is told once writes have been failing too long. Written by
 * the writer thread, read by anyone.
 */
final class StoreAvailability {
    // The recorder's name, as operators know its log lines (logger_name) and may set its level.
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** System.nanoTime, or a clock a test moves on. */
    private final LongSupplier nanoTime;
    private volatile boolean available = true;
    /** When writes started failing (on {@link #nanoTime}), or 0 while they succeed. */
    private volatile long failingSince;

    StoreAvailability(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A write of {@code events} failed for the store's state, not their content; retried after. */
    void failed(int events, Exception e) {
        if (available) {
            available = false;
            failingSince = nanoTime.getAsLong();
            log.atWarn().addKeyValue("event", "history_store_unavailable")
                    .addKeyValue("events", events).addKeyValue("error", e.getMessage())
                    .log("route history store unavailable; retrying with backoff");
        }
    }

    /** The store took or refused a write: it is there, whatever it said before. */
    void answered() {
        if (!available) {
            available = true;
            failingSince = 0;
            log.atInfo().addKeyValue("event", "history_store_recovered").log("route history store is back");
        }
    }

    boolean available() {
        return available;
    }

    /**
     * False once writes to the store have been failing for more than 10 s: events are spooled,
     * not lost, but history is not being written (the database is away, or fails every write).
     */
    boolean makingProgress() {
        long since = failingSince;
        return since == 0 || nanoTime.getAsLong() - since < STUCK_NANOS;
    }
}
