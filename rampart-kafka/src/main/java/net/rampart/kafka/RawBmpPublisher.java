package net.rampart.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.collector.history.BatchSpool;
import net.rampart.wire.openbmp.OpenBmpRawEncoder;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes routers' BMP messages on a Kafka topic as OpenBMP v1.7 raw frames, keyed by the
 * router's hash as the OpenBMP collector keys them, so that one router's frames stay in one
 * partition, in order.
 *
 * <p>The thread that reads a router only offers its message, with the time it was received, to a
 * bounded hand-over; it never waits, and a message that does not fit is counted as overflowed and
 * not published. A thread of the publisher's own wraps the messages in their frames and passes
 * them to the Kafka producer, which never
 * gives up on a frame it holds (it retries until the brokers are back). When the brokers are
 * away long enough for the producer's buffer to fill, its send waits {@code max.block.ms} and
 * the frames go to a spool on disk, and every frame after them too, so that they keep their
 * order. The spool is sent a chunk at a time once the brokers are back, each chunk let go when
 * they acknowledged all of it, before frames are sent directly again; a chunk cut short is sent
 * again whole, so a frame may be published twice. At shutdown, what the producer still holds
 * goes to the front of the spool, for the next start. Frames are lost only when the hand-over
 * overflows or the spool's budget is used up (counted as dropped).
 */
public final class RawBmpPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawBmpPublisher.class);
    /** A router's message as handed over: wrapped in its frame by the sender thread, not the router's. */
    private record Received(RouterFeed feed, long micros, byte[] bmp) {
    }

    private static final Received STOP = new Received(null, 0, new byte[0]);
    /** Frames taken from the hand-over at a time, and spooled as one record. */
    private static final int BATCH = 1_024;
    /** Frames read back from the spool at a time. */
    private static final int SPOOL_READ = 16 * BATCH;
    /** How long the sender waits for frames before it tries the spool again. */
    private static final long RETRY_MILLIS = 1_000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String adminId;
    private final BatchSpool spool;
    private final BlockingQueue<Received> handOver;
    /** Frames sent directly that the producer's close aborted, oldest first: the spool's front at the next start. */
    private final ConcurrentLinkedQueue<ProducerRecord<byte[], byte[]>> aborted = new ConcurrentLinkedQueue<>();
    /** The chunk of the spool given to the producer and not yet let go; only the sender thread uses it. */
    private InFlight inFlight;
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    /** When (epoch milliseconds) the brokers last acknowledged a frame, 0 for never. */
    private volatile long lastAcknowledged;
    /** When a frame last overflowed, was dropped or failed, or went to the spool; 0 for never. */
    private volatile long lastTrouble;

    /**
     * @param producer the producer frames are sent with; the publisher closes it
     * @param topic    the raw topic, {@code openbmp.bmp_raw} unless a prefix or another name is configured
     * @param adminId  the collector's name in every frame's header
     * @param capacity how many BMP messages may wait for the sender thread
     * @param spool    where frames wait while the brokers cannot take them; the publisher closes it
     */
    public RawBmpPublisher(Producer<byte[], byte[]> producer, String topic, String adminId, int capacity,
                           BatchSpool spool) {
        this.producer = producer;
        this.topic = topic;
        this.adminId = adminId;
        this.spool = spool;
        this.handOver = new ArrayBlockingQueue<>(capacity);
        this.sender = Thread.ofPlatform().name("kafka-bmp-raw").daemon().start(this::send);
    }

    /**
     * The settings of a producer for the raw topic: idempotent (a retried send is written once),
     * every in-sync replica acknowledging, frames batched for 5 ms and compressed; a send waits at
     * most a second for room or for the topic's metadata before its frames go to the spool, and a
     * frame the producer holds is retried until the brokers take it.
     */
    public static Map<String, Object> producerSettings(String bootstrapServers) {
        Map<String, Object> settings = ProducerSettings.idempotent(bootstrapServers);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        // Never given up while held: a frame given up would have to be sent after later ones.
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
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

        private ProducerRecord<byte[], byte[]> record(long receivedMicros, byte[] bmp) {
            return new ProducerRecord<>(topic, null, receivedMicros / 1_000, key,
                    encoder.frame(receivedMicros, bmp, 0, bmp.length));
        }

        /**
         * Offers one BMP message, common header included, received at {@code receivedMicros}
         * (microseconds since the epoch). Never blocks; the array must not change afterwards.
         *
         * @return whether it was accepted; false when the hand-over is full or the publisher closed
         */
        public boolean publish(long receivedMicros, byte[] bmp) {
            if (closed) {
                return false;
            }
            if (handOver.offer(new Received(this, receivedMicros, bmp))) {
                published.incrementAndGet();
                return true;
            }
            overflowed.incrementAndGet();
            lastTrouble = System.currentTimeMillis();
            return false;
        }
    }

    /** A chunk of the spool the producer was given, let go once every frame of it is acknowledged. */
    private record InFlight(BatchSpool.Chunk chunk, List<Future<RecordMetadata>> sends, boolean whole) {
    }

    private void send() {
        List<Received> received = new ArrayList<>(BATCH);
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
        boolean stopping = false;
        try {
            while (!stopping) {
                received.clear();
                batch.clear();
                // While a chunk of the spool is out, look at it often; otherwise wait for frames.
                Received first = handOver.poll(inFlight == null ? RETRY_MILLIS : 10, TimeUnit.MILLISECONDS);
                if (first != null) {
                    received.add(first);
                    handOver.drainTo(received, BATCH - 1);
                }
                for (Received message : received) {
                    if (message == STOP) {
                        stopping = true;
                    } else {
                        batch.add(message.feed().record(message.micros(), message.bmp()));
                    }
                }
                if (!spool.isEmpty()) {
                    toSpool(batch);
                    sendSpool();
                    continue;
                }
                int sent = sendDirectly(batch);
                toSpool(batch.subList(sent, batch.size()));
            }
        } catch (InterruptedException | InterruptException e) {
            // close() gave up waiting: what is still in the hand-over is not published.
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.atError().setMessage("kafka_publisher_stopped").addKeyValue("topic", topic)
                    .addKeyValue("error", e.toString()).log();
        }
    }

    /**
     * Sends frames while the producer takes them; returns how many it took. A frame the
     * producer refuses for itself (too large, say) is counted as failed and skipped.
     */
    private int sendDirectly(List<ProducerRecord<byte[], byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<byte[], byte[]> record = records.get(i);
            Future<RecordMetadata> send = producer.send(record, (metadata, error) -> {
                if (error == null) {
                    countAcknowledged();
                } else if (refusedForNow(error)) {
                    return; // spooled by the caller, with the frames after it
                } else if (closed) {
                    // Aborted by the producer's close: spooled for the next start.
                    aborted.add(record);
                } else {
                    failed(record, error);
                }
            });
            if (send.isDone() && refusedForNow(send)) {
                return i;
            }
        }
        return records.size();
    }

    /**
     * Whether a send failed at once (on the sender thread, before the producer held the frame)
     * because the producer's buffer stayed full or the topic's metadata did not come within
     * {@code max.block.ms}: the frame is to be sent again later, not counted as failed. The
     * producer reports that through the callback and the returned future, not by throwing.
     */
    private boolean refusedForNow(Throwable error) {
        return Thread.currentThread() == sender && error instanceof RetriableException;
    }

    private boolean refusedForNow(Future<RecordMetadata> send) {
        try {
            send.get();
            return false;
        } catch (ExecutionException e) {
            return refusedForNow(e.getCause());
        } catch (InterruptedException | CancellationException e) {
            return false;
        }
    }

    private void countAcknowledged() {
        acknowledged.incrementAndGet();
        lastAcknowledged = System.currentTimeMillis();
    }

    private void failed(ProducerRecord<byte[], byte[]> record, Exception error) {
        failed.incrementAndGet();
        lastTrouble = System.currentTimeMillis();
        log.atWarn().setMessage("kafka_frame_refused").addKeyValue("topic", topic)
                .addKeyValue("bytes", record.value().length).addKeyValue("error", error.toString()).log();
    }

    private void toSpool(List<ProducerRecord<byte[], byte[]>> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        lastTrouble = System.currentTimeMillis();
        if (spool.append(SpooledFrames.encode(records), records.size(), System.currentTimeMillis())) {
            spooled.addAndGet(records.size());
        } else {
            dropped.addAndGet(records.size());
            log.atError().setMessage("kafka_spool_full").addKeyValue("topic", topic)
                    .addKeyValue("dropped_frames", records.size()).addKeyValue("spool_bytes", spool.bytes()).log();
        }
    }

    /**
     * Moves the spool on without waiting: lets the chunk that is out go once all of it is
     * acknowledged (or has it sent again when a frame of it failed or did not fit), then gives
     * the producer the next chunk.
     */
    private void sendSpool() throws IOException {
        while (true) {
            if (inFlight != null) {
                if (!inFlight.sends().stream().allMatch(Future::isDone)) {
                    return;
                }
                boolean acknowledgedAll = inFlight.whole() && inFlight.sends().stream().allMatch(RawBmpPublisher::succeeded);
                if (acknowledgedAll) {
                    spool.commit(inFlight.chunk());
                }
                inFlight = null;
                if (!acknowledgedAll) {
                    // Sent again on the next turn, once the brokers have had a moment.
                    return;
                }
            }
            BatchSpool.Chunk chunk = spool.read(SPOOL_READ);
            if (chunk == null) {
                return;
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            boolean whole = true;
            for (byte[] payload : chunk.payloads()) {
                for (ProducerRecord<byte[], byte[]> record : SpooledFrames.decode(payload, topic)) {
                    Future<RecordMetadata> send = producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            countAcknowledged();
                        }
                    });
                    if (send.isDone() && refusedForNow(send)) {
                        whole = false;
                        break;
                    }
                    sends.add(send);
                }
                if (!whole) {
                    break;
                }
            }
            inFlight = new InFlight(chunk, sends, whole);
        }
    }

    private static boolean succeeded(Future<RecordMetadata> send) {
        try {
            send.get();
            return true;
        } catch (ExecutionException | InterruptedException | CancellationException e) {
            return false;
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

    /** Frames that went to the spool while the brokers could not take them. */
    public long spooled() {
        return spooled.get();
    }

    /** Frames the producer refused for themselves (too large for the brokers, say): not published. */
    public long failed() {
        return failed.get();
    }

    /** Frames not published because the hand-over was full. */
    public long overflowed() {
        return overflowed.get();
    }

    /** Frames not published because the spool's budget was used up. */
    public long dropped() {
        return dropped.get();
    }

    /** Bytes of frames in the spool. */
    public long spoolBytes() {
        return spool.bytes();
    }

    /**
     * What is wrong while frames wait in the spool, or have overflowed, been dropped or failed
     * since the brokers last acknowledged one; empty once they acknowledge again with nothing
     * spooled.
     */
    public Optional<String> trouble() {
        long spoolBytes = spool.bytes();
        long trouble = lastTrouble;
        long acknowledgedAt = lastAcknowledged;
        if (spoolBytes == 0 && (trouble == 0 || acknowledgedAt > trouble)) {
            return Optional.empty();
        }
        return Optional.of(spoolBytes + " bytes of frames spooled; " + overflowed.get() + " frames overflowed, "
                + dropped.get() + " dropped and " + failed.get() + " failed so far; "
                + (acknowledgedAt == 0 ? "no frame acknowledged yet"
                        : "last acknowledgement " + (System.currentTimeMillis() - acknowledgedAt) / 1000 + " s ago"));
    }

    /** Frames waiting in the hand-over. */
    public int waiting() {
        return handOver.size();
    }

    /**
     * Stops taking frames and sends what is waiting, up to {@code timeout}; what the brokers have
     * not acknowledged by then stays in or goes to the spool for the next start, unless it was
     * still in the hand-over. Only the first call does anything.
     */
    public void close(Duration timeout) throws InterruptedException, IOException {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!handOver.offer(STOP, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            sender.interrupt();
        }
        sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (sender.isAlive()) {
            sender.interrupt();
            sender.join();
        }
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        try (spool) {
            List<ProducerRecord<byte[], byte[]>> held = new ArrayList<>(aborted);
            if (!held.isEmpty()) {
                // Older than anything spooled: they were sent directly, so the spool was empty then.
                spool.prepend(List.of(SpooledFrames.encode(held)), List.of(held.size()), System.currentTimeMillis());
                spooled.addAndGet(held.size());
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        close(Duration.ofSeconds(10));
    }
}
