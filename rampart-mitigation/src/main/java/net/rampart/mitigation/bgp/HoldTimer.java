package net.rampart.mitigation.bgp;

import java.util.concurrent.TimeUnit;

/**
 * The hold timer of one connection and the keepalives it paces (RFC 4271 sections 4.4 and 10):
 * the router is gone when nothing arrived for the hold time, and a KEEPALIVE is due every third
 * of it. It reads no clock: the caller passes {@link System#nanoTime()} readings, so the session
 * ticks it and a test can step it. Not thread-safe: the connection's event loop is its only user.
 */
final class HoldTimer {

    /** Until OPEN arrives the large hold time of RFC 4271 (4 minutes) applies. */
    private static final long OPEN_HOLD_NANOS = TimeUnit.MINUTES.toNanos(4);

    private long holdNanos = OPEN_HOLD_NANOS;
    private long lastReceivedNanos;
    private long lastKeepaliveSentNanos;

    /** @param connectedNanos when the connection came up, which starts the hold time */
    HoldTimer(long connectedNanos) {
        this.lastReceivedNanos = connectedNanos;
    }

    /** Sets the hold time both OPENs agreed; 0 turns the hold timer and keepalives off. */
    void negotiated(long holdSeconds) {
        holdNanos = TimeUnit.SECONDS.toNanos(holdSeconds);
    }

    long holdSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(holdNanos);
    }

    /** A message arrived: the router is alive. */
    void received(long nowNanos) {
        lastReceivedNanos = nowNanos;
    }

    void keepaliveSent(long nowNanos) {
        lastKeepaliveSentNanos = nowNanos;
    }

    /** True when nothing arrived for longer than the hold time. */
    boolean expired(long nowNanos) {
        return holdNanos > 0 && nowNanos - lastReceivedNanos > holdNanos;
    }

    /**
     * True when a third of the hold time has passed since the last KEEPALIVE; the answer counts
     * as sending it, so the caller must send one.
     */
    boolean keepaliveDue(long nowNanos) {
        long interval = holdNanos / 3;
        if (interval > 0 && nowNanos - lastKeepaliveSentNanos >= interval) {
            lastKeepaliveSentNanos = nowNanos;
            return true;
        }
        return false;
    }
}
