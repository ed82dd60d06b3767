package net.rampart.mitigation.bgp;

import java.time.Duration;

/**
 * How long an active session waits before connecting again (RFC 4271's ConnectRetryTimer, with
 * exponential backoff): the first wait is the minimum, each further one twice the last up to the
 * maximum, and an established session starts over from the minimum. Not thread-safe: the
 * session's event loop is its only user.
 */
final class ConnectRetry {

    private final Duration min;
    private final Duration max;
    private Duration next;

    ConnectRetry(Duration min, Duration max) {
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The wait before this attempt; the one after it is twice as long, up to the maximum. */
    Duration next() {
        Duration delay = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return delay;
    }

    /** The session came up: the next loss is retried after the minimum again. */
    void reset() {
        next = min;
    }
}
