package net.rampart.kafka;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.wire.openbmp.OpenBmpRawEncoder;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes routers' BMP messages on a Kafka topic as OpenBMP v1.7 raw frames, keyed by the
 * router's hash as the OpenBMP collector keys them, so that one router's frames stay in one
 * partition, in order.
 *
 * <p>The thread that reads a router only wraps its message and offers the frame to a bounded
 * hand-over; a thread of the publisher's own passes frames to the Kafka producer, whose sends
 * may block while the brokers are unreachable. When the hand-over is full, the frame is not
 * published and is counted as overflowed: a Kafka outage never slows the intake.
 */
public final class RawBmpPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawBmpPublisher.class);
    private static final ProducerRecord<byte[], byte[]> STOP = new ProducerRecord<>("", new byte[0]);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String adminId;
    private final BlockingQueue<ProducerRecord<byte[], byte[]>> handOver;
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private volatile boolean closed;
    /** When (epoch milliseconds) the brokers last acknowledged a frame, 0 for never. */
    private volatile long lastAcknowledged;
    /** When a frame last failed or overflowed, 0 for never. */
    private volatile long lastTrouble;

    /**
     * @param producer the producer frames are sent with; the publisher closes it
     * @param topic    the raw topic, {@code openbmp.bmp_raw} unless a prefix or another name is configured
     * @param adminId  the collector's name in every frame's header
     * @param capacity how many frames may wait for the producer
     */
    public RawBmpPublisher(Producer<byte[], byte[]> producer, String topic, String adminId, int capacity) {
        this.producer = producer;
        this.topic = topic;
        this.adminId = adminId;
        this.handOver = new ArrayBlockingQueue<>(capacity);
        this.sender = Thread.ofPlatform().name("kafka-bmp-raw").daemon().start(this::send);
    }

    /**
     * The settings of a producer for the raw topic: idempotent (a retried send is written once),
     * every in-sync replica acknowledging, frames batched for 5 ms and compressed.
     */
    public static Map<String, Object> producerSettings(String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return settings;
    }

    /** The feed of one router's messages; to be used by the one thread that reads that router. */
    public RouterFeed router(InetAddress router, String group) {
        return new RouterFeed(new OpenBmpRawEncoder(adminId, router, group));
    }

    /** One router's messages into the publisher. */
    public final class RouterFeed {
        private final OpenBmpRawEncoder encoder;
        private final byte[] key;

        private RouterFeed(OpenBmpRawEncoder encoder) {
            this.encoder = encoder;
            this.key = encoder.routerHash();
        }

        /**
         * Offers one BMP message, common header included, received at {@code receivedMicros}
         * (microseconds since the epoch). Never blocks.
         *
         * @return whether it was accepted; false when the hand-over is full or the publisher closed
         */
        public boolean publish(long receivedMicros, byte[] bmp) {
            if (closed) {
                return false;
            }
            byte[] frame = encoder.frame(receivedMicros, bmp, 0, bmp.length);
            var record = new ProducerRecord<>(topic, null, receivedMicros / 1_000, key, frame);
            if (handOver.offer(record)) {
                published.incrementAndGet();
                return true;
            }
            overflowed.incrementAndGet();
            lastTrouble = System.currentTimeMillis();
            return false;
        }
    }

    private void send() {
        try {
            ProducerRecord<byte[], byte[]> record;
            while ((record = handOver.take()) != STOP) {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                        lastAcknowledged = System.currentTimeMillis();
                    } else {
                        failed.incrementAndGet();
                        lastTrouble = System.currentTimeMillis();
                        log.atWarn().setMessage("kafka_publish_failed").addKeyValue("topic", topic)
                                .addKeyValue("error", error.toString()).log();
                    }
                });
            }
        } catch (InterruptedException | InterruptException e) {
            // close() gave up waiting for the brokers: what is still waiting is not sent.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A producer closed under the sender, or one that refuses its records: nothing more is sent.
            log.atError().setMessage("kafka_publisher_stopped").addKeyValue("topic", topic)
                    .addKeyValue("error", e.toString()).log();
        }
    }

    /** Frames accepted into the hand-over. */
    public long published() {
        return published.get();
    }

    /** Frames the brokers acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Frames the producer gave up on (its delivery timeout passed, or the brokers refused them). */
    public long failed() {
        return failed.get();
    }

    /** Frames not published because the hand-over was full. */
    public long overflowed() {
        return overflowed.get();
    }

    /**
     * What is wrong while frames have failed or overflowed since the brokers last acknowledged
     * one; empty once they acknowledge again.
     */
    public Optional<String> trouble() {
        long trouble = lastTrouble;
        long acknowledgedAt = lastAcknowledged;
        if (trouble == 0 || acknowledgedAt > trouble) {
            return Optional.empty();
        }
        return Optional.of(overflowed.get() + " frames overflowed and " + failed.get() + " failed so far; "
                + (acknowledgedAt == 0 ? "no frame acknowledged yet"
                        : "last acknowledgement " + (System.currentTimeMillis() - acknowledgedAt) / 1000 + " s ago"));
    }

    /** Frames waiting in the hand-over. */
    public int waiting() {
        return handOver.size();
    }

    /**
     * Stops taking frames, sends what is waiting and waits for its acknowledgement up to
     * {@code timeout}; what is not sent by then is not. Only the first call does anything.
     */
    public void close(Duration timeout) throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!handOver.offer(STOP, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
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
