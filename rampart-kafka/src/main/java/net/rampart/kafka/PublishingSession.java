package net.rampart.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.TerminationMessage;

/**
 * A router's BMP session whose every message is also published (as a raw frame, as parsed rows
 * or both), stamped with when it was received, before the collector takes it. Publishing never
 * blocks the session (see {@link RawBmpPublisher}). A session that ends without the router's
 * Termination ends on the raw topic with one written for it (reason "unspecified", the
 * collector's reason as text), so that consumers withdraw the session's routes as this collector
 * does, and on the router topic with OpenBMP's {@code term} row for a closed connection.
 */
public final class PublishingSession implements RouterSession {

    private final RawBmpPublisher.RouterFeed feed;
    private final Clock clock;
    /** What the collector's session reads as now: the time the frame of its message carries. */
    private final FrameClock receivedAt = new FrameClock();
    private final RouterSession collector;
    private boolean terminated;

    /**
     * @param collector makes the collector's session, given the clock it is to read the time of each message from
     */
    public PublishingSession(Function<Clock, RouterSession> collector, RawBmpPublisher.RouterFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
        this.collector = collector.apply(receivedAt);
    }

    @Override
    public void onMessage(byte[] message) {
        feed.publish(received(), message);
        terminated = message.length > 5 && (message[5] & 0xFF) == BmpMessage.TERMINATION;
        collector.onMessage(message);
    }

    /** Now, in microseconds since the epoch, for the frame and, to the microsecond, for the collector. */
    private long received() {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        receivedAt.set(Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000));
        return micros;
    }

    @Override
    public boolean established() {
        return collector.established();
    }

    @Override
    public void onClose(String reason) {
        long micros = received();
        if (!terminated && collector.established()) {
            feed.publishConnectionEnd(micros, TerminationMessage.encode(BmpMessage.Termination.UNSPECIFIED,
                    "connection to the collector ended: " + reason));
        }
        feed.close();
        collector.onClose(reason);
    }
}
