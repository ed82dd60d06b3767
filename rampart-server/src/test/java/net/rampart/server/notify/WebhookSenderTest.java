package net.rampart.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.rampart.server.notify.WebhookSender.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared sender against a real receiver: retries, gives up, and drops what does not fit. */
class WebhookSenderTest {

    private static final String METRIC = "test_notifications_total";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Receiver receiver;
    private WebhookSender sender;

    WebhookSenderTest() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close(WAIT);
        }
        receiver.close();
    }

    private WebhookSender sender(int capacity, int attempts) {
        return new WebhookSender("test-webhooks", METRIC, "test", capacity, attempts, Duration.ofMillis(1), metrics);
    }

    private Delivery delivery(String channel, String body) {
        return new Delivery(channel, receiver.url("/" + channel), Map.of("authorization", "Bearer t"), body, "test");
    }

    private double count(String channel, String result) {
        Counter counter = metrics.find(METRIC).tags("channel", channel, "result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void postsTheBodyWithItsHeaders() throws Exception {
        sender = sender(10, 3);

        assertThat(sender.send(delivery("a", "{\"x\":1}"))).isTrue();

        Receiver.Post post = receiver.next(WAIT);
        assertThat(post.body()).isEqualTo("{\"x\":1}");
        assertThat(post.headers()).containsEntry("authorization", "Bearer t")
                .containsEntry("content-type", "application/json");
        sender.close(WAIT);
        assertThat(count("a", "sent")).isEqualTo(1);
    }

    @Test
    void givesUpAfterItsAttemptsAndCountsTheFailure() throws Exception {
        sender = sender(10, 2);
        receiver.answer("/a", 500, 503);

        sender.send(delivery("a", "{}"));
        sender.close(WAIT);

        assertThat(receiver.rest()).hasSize(2);
        assertThat(count("a", "retried")).isEqualTo(1);
        assertThat(count("a", "failed")).isEqualTo(1);
        assertThat(count("a", "sent")).isZero();
    }

    @Test
    void dropsWhatDoesNotFitWhileTheReceiverHangs() throws Exception {
        sender = sender(1, 1);
        receiver.hold();
        sender.send(delivery("a", "1"));
        // The first is taken by the sender thread and hangs at the receiver: the queue is empty again.
        assertThat(receiver.awaitHeld(WAIT)).isTrue();

        assertThat(sender.send(delivery("a", "2"))).isTrue();
        assertThat(sender.send(delivery("a", "3"))).as("the queue holds one").isFalse();
        receiver.release();
        sender.close(WAIT);

        assertThat(receiver.rest()).extracting(Receiver.Post::body).containsExactly("1", "2");
        assertThat(count("a", "sent")).isEqualTo(2);
        assertThat(count("a", "dropped")).isEqualTo(1);
    }

    @Test
    void anotherKindOfAttemptIsRetriedAndCountedAsAPostIs() throws Exception {
        sender = sender(10, 3);
        AtomicInteger tries = new AtomicInteger();

        sender.send("syslog", "test", () -> {
            if (tries.incrementAndGet() < 3) {
                throw new IOException("connection refused");
            }
        });
        sender.close(WAIT);

        assertThat(tries).hasValue(3);
        assertThat(count("syslog", "retried")).isEqualTo(2);
        assertThat(count("syslog", "sent")).isEqualTo(1);
    }

    @Test
    void anAttemptThatBreaksFailsAloneAndTheNextOneIsStillDelivered() throws Exception {
        sender = sender(10, 1);

        sender.send("broken", "test", () -> {
            throw new IllegalStateException("a bug");
        });
        sender.send(delivery("a", "{}"));
        sender.close(WAIT);

        assertThat(count("broken", "failed")).isEqualTo(1);
        assertThat(receiver.rest()).hasSize(1);
        assertThat(count("a", "sent")).isEqualTo(1);
    }
}
