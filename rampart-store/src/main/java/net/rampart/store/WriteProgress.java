package net.rampart.store;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Whether a writer's writes are getting through to the database: when the one it is retrying
 * first failed. It tells readiness a writer has stopped making progress, and lets an outage be
 * logged once with its cause and each retry as one short line. Written by the writer's thread,
 * read by anyone.
 */
public final class WriteProgress {
    /** Failing this long, a writer is not making progress: the database is away or fails every write. */
    public static final long STUCK_SECONDS = 10;

    /** When the write being retried first failed (System.nanoTime), or 0 while writes succeed. */
    private volatile long failingSince;

    /**
     * Marks a failed write and starts its log line: the outage's first failure at ERROR with its
     * cause, each later retry at WARN with the error text alone.
     */
    public LoggingEventBuilder failed(Logger log, Exception e) {
        if (failingSince == 0) {
            failingSince = System.nanoTime();
            return log.atError().setCause(e);
        }
        return log.atWarn().addKeyValue("error", e.getMessage());
    }

    /** Marks a stored write; true when it ends an outage, for the writer to say so. */
    public boolean succeeded() {
        if (failingSince == 0) {
            return false;
        }
        failingSince = 0;
        return true;
    }

    /** False once writes have been failing for longer than {@value #STUCK_SECONDS} s. */
    public boolean makingProgress() {
        long since = failingSince;
        return since == 0 || System.nanoTime() - since < TimeUnit.SECONDS.toNanos(STUCK_SECONDS);
    }
}
