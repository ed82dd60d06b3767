package net.rampart.server.http;

/**
 * A token bucket: up to {@code perSecond} a second on average, with bursts up to {@code burst}.
 * Used for attack events (a detector gone wild gets 429 with a retry time instead of filling
 * the database) and for each API token's requests.
 */
public final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(int perSecond, int burst) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes {@code n} tokens; returns 0 when allowed, else the whole seconds to wait before retrying. */
    public synchronized long tryAcquire(int n) {
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
