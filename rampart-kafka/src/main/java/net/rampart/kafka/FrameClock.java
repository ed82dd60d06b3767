package net.rampart.kafka;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time of the frame being applied: a consumed router's session reads it as "now", so the
 * RIB, the inventory and route history carry the time the edge collector received each message,
 * as a directly connected router's would, and a replay stamps the same times again.
 */
final class FrameClock extends Clock {

    private volatile Instant now = Instant.EPOCH;

    void set(Instant frameTime) {
        now = frameTime;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a frame clock is in UTC");
    }
}
