package net.rampart.kafka;

import java.time.Clock;
import java.time.Instant;
import net.rampart.collector.bmp.RouterSession;

/**
 * A router's BMP session whose every message is also published as a raw frame, stamped with
 * when it was received, before the collector takes it. Publishing never blocks the session
 * (see {@link RawBmpPublisher}).
 */
public final class PublishingSession implements RouterSession {

    private final RouterSession collector;
    private final RawBmpPublisher.RouterFeed feed;
    private final Clock clock;

    public PublishingSession(RouterSession collector, RawBmpPublisher.RouterFeed feed, Clock clock) {
        this.collector = collector;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public void onMessage(byte[] message) {
        Instant now = clock.instant();
        feed.publish(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, message);
        collector.onMessage(message);
    }

    @Override
    public boolean established() {
        return collector.established();
    }

    @Override
    public void onClose(String reason) {
        collector.onClose(reason);
    }
}
