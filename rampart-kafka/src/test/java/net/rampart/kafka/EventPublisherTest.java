package net.rampart.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.rampart.wire.testing.Daemon;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    @Test
    void eventsAreSentInOrderWithTheirTopicAndKeyAndCounted() throws Exception {
        var producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (EventPublisher publisher = new EventPublisher(producer, 10)) {
            assertThat(publisher.publish("rampart.alerts", "7", "{\"change\":\"opened\"}".getBytes(StandardCharsets.UTF_8)))
                    .isTrue();
            assertThat(publisher.publish("rampart.alerts", "7", "{\"change\":\"resolved\"}".getBytes(StandardCharsets.UTF_8)))
                    .isTrue();
            Daemon.await("both events acknowledged", Duration.ofSeconds(10), () -> publisher.acknowledged() == 2);
        }
        assertThat(producer.history()).extracting(r -> r.topic()).containsExactly("rampart.alerts", "rampart.alerts");
        assertThat(producer.history()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("7", "7");
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("{\"change\":\"opened\"}", "{\"change\":\"resolved\"}");
    }

    @Test
    void aFailedSendIsCountedAndAFullQueueRefusesWithoutWaiting() throws Exception {
        // Sends complete only when the test says so: the sender thread holds one, the queue the rest.
        var producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(producer, 2);
        byte[] event = "{}".getBytes(StandardCharsets.UTF_8);
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            accepted += publisher.publish("rampart.rpki", "1", event) ? 1 : 0;
        }
        assertThat(accepted).isBetween(2, 10);
        assertThat(publisher.overflowed()).isEqualTo(10 - accepted);

        Daemon.await("a send waiting for its answer", Duration.ofSeconds(10), () -> !producer.history().isEmpty());
        assertThat(producer.errorNext(new RuntimeException("broker refused"))).isTrue();
        Daemon.await("the failure counted", Duration.ofSeconds(10), () -> publisher.failed() == 1);
        while (producer.completeNext()) {
            // the others succeed
        }
        publisher.close(Duration.ofSeconds(5));
        assertThat(publisher.acknowledged() + publisher.failed()).isLessThanOrEqualTo(accepted);
        assertThat(publisher.publish("rampart.rpki", "1", event)).as("closed").isFalse();
    }
}
