package net.rampart.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the service's own events (alerts, mitigations, RPKI serials) as JSON documents,
 * keyed by what they are about, so that the changes of one alert or mitigation stay in order.
 * The thread that raises an event only offers it to a bounded queue and never waits for Kafka;
 * an event that does not fit is counted as overflowed. Events are not spooled: each is kept in
 * PostgreSQL and answered by the API, and the topics are their notification.
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final ProducerRecord<byte[], byte[]> STOP = new ProducerRecord<>("", new byte[0]);

    private final Producer<byte[], byte[]> producer;
    private final BlockingQueue<ProducerRecord<byte[], byte[]>> queue;
    private final Thread sender;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param producer the producer events are sent with; the publisher closes it
     * @param capacity how many events may wait for the producer
     */
    public EventPublisher(Producer<byte[], byte[]> producer, int capacity) {
        this.producer = producer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = Thread.ofPlatform().name("kafka-events").daemon().start(this::send);
    }

    /** A producer's settings for events: idempotent, acknowledged by every in-sync replica. */
    public static Map<String, Object> producerSettings(String bootstrapServers) {
        Map<String, Object> settings = ProducerSettings.idempotent(bootstrapServers);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return settings;
    }

    /**
     * Offers one event; never blocks.
     *
     * @return whether it was accepted; false when the queue is full or the publisher closed
     */
    public boolean publish(String topic, String key, byte[] json) {
        if (closed) {
            return false;
        }
        if (queue.offer(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), json))) {
            return true;
        }
        overflowed.incrementAndGet();
        log.atWarn().addKeyValue("event", "kafka_event_overflowed").addKeyValue("topic", topic).addKeyValue("key", key)
                .log("the Kafka event queue is full; the event is not published");
        return false;
    }

    private void send() {
        try {
            ProducerRecord<byte[], byte[]> record;
            while ((record = queue.take()) != STOP) {
                ProducerRecord<byte[], byte[]> sent = record;
                producer.send(sent, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        log.atWarn().addKeyValue("event", "kafka_event_failed").addKeyValue("topic", sent.topic())
                                .addKeyValue("error", error.toString()).log("a Kafka event could not be published");
                    }
                });
            }
        } catch (InterruptedException | InterruptException e) {
            // close() gave up waiting: what is still queued is not published.
            Thread.currentThread().interrupt();
        }
    }

    /** Events the brokers acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Events the producer gave up on (its delivery timeout, two minutes by default). */
    public long failed() {
        return failed.get();
    }

    /** Events not published because the queue was full. */
    public long overflowed() {
        return overflowed.get();
    }

    /** Stops taking events and sends what is queued, up to {@code timeout}. Only the first call does anything. */
    public void close(Duration timeout) throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!queue.offer(STOP, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            sender.interrupt();
        }
        sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(10));
    }
}
