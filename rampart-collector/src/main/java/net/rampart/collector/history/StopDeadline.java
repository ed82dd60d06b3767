package net.rampart.collector.history;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A graceful stop of the writer: once asked, it stops waiting for batches to fill and for the
 * store to come back, and keeps writing only until the drain timeout has passed; what is then
 * unwritten goes to the spool.
 */
final class StopDeadline {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition asked = lock.newCondition();
    // Volatile: the backlog reads them under its own lock, not this one.
    private volatile boolean stopping;
    private volatile long deadlineNanos;

    /** Asks for the stop, to be done within {@code drainTimeout}, and cuts short a retry's backoff. */
    void ask(Duration drainTimeout) {
        lock.lock();
        try {
            // Set before the flag, so whoever sees the flag sees this deadline.
            deadlineNanos = System.nanoTime() + drainTimeout.toNanos();
            stopping = true;
            asked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean stopping() {
        return stopping;
    }

    boolean passed() {
        return stopping && System.nanoTime() - deadlineNanos > 0;
    }

    /**
     * Waits out a retry's backoff, no longer than the deadline once stopping; returns false, at
     * once, when the deadline has passed and the write is to be given up.
     */
    boolean pause(long backoffMillis) throws InterruptedException {
        lock.lock();
        try {
            if (passed()) {
                return false;
            }
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            if (stopping) {
                waitNanos = Math.min(waitNanos, deadlineNanos - System.nanoTime());
            }
            if (waitNanos > 0) {
                asked.awaitNanos(waitNanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
