package net.rampart.server.http;

/**
 * A token bucket over events: up to {@code perSecond} a second on average, with a burst of one
 * second's worth. A detector gone wild gets 429 with a retry time instead of filling the database.
 */
final class EventRateLimiter {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    EventRateLimiter(int perSecond) {
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.last = System.nanoTime();
    }

    /** Takes {@code n} tokens; returns 0 when allowed, else the seconds to wait before retrying. */
    synchronized long tryAcquire(int n) {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= n) {
            tokens -= n;
            return 0;
        }
        double missing = n - tokens;
        return Math.max(1, (long) Math.ceil(missing / (perNano * 1e9)));
    }
}
