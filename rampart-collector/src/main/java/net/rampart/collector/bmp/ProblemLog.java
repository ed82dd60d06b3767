package net.rampart.collector.bmp;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How much one session may log about the bad messages it receives: the first few in full (with
 * their bytes), then at most one line a minute saying how many were left out since. A broken or
 * hostile router therefore costs a counter per message, not a log line (or an error report)
 * per message. Used from the session's event loop only.
 */
final class ProblemLog {
    /** Bad messages logged in full before lines are rationed. */
    static final int IN_FULL = 5;
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier nanoTime;
    private long seen;
    private long suppressed;
    private long lastLineNanos;

    ProblemLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Counts one bad message and says whether to log it: the first {@value #IN_FULL}, then one a
     * minute. When it says yes after messages were left out, {@link #suppressed()} tells how many.
     */
    boolean shouldLog() {
        seen++;
        long now = nanoTime.getAsLong();
        if (seen <= IN_FULL || now - lastLineNanos >= INTERVAL_NANOS) {
            lastLineNanos = now;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Bad messages not logged since the last line that was; reset by reading it. */
    long suppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }
}
