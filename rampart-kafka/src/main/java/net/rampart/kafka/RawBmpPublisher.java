package net.rampart.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.rampart.collector.history.BatchSpool;
import net.rampart.wire.openbmp.OpenBmpParsedEncoder;
import net.rampart.wire.openbmp.OpenBmpParsedMessage;
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
 * Publishes routers' BMP messages on Kafka in OpenBMP v1.7's forms: each message as a raw frame
 * on the raw topic, keyed by the router's hash as the OpenBMP collector keys them, and, when
 * asked, as the rows of the parsed topics ({@code <prefix>.parsed.router}, {@code .peer},
 * {@code .unicast_prefix} and the others, keyed as {@link OpenBmpParsedEncoder} says), with the
 * collector topic's {@code started}, {@code change}, {@code heartbeat} and {@code stopped} rows.
 * One router's records of one topic stay in one partition, in order.
 *
 * <p>The thread that reads a router only offers its message, with the time it was received, to a
 * bounded hand-over; it never waits, and a message that does not fit is counted as overflowed and
 * not published. A thread of the publisher's own turns the messages into their records (the raw
 * frame, then the parsed rows, with one parsed encoder per router session fed every message in
 * order) and passes them to the Kafka producer, which never gives up on a record it holds (it
 * retries until the brokers are back). A message the parsed encoder cannot decode is counted and
 * logged once per session; its raw frame is still published. When the brokers are away long
 * enough for the producer's buffer to fill, its send waits {@code max.block.ms} and the records
 * go to a spool on disk, and every record after them too, whatever their topic, so that they keep
 * their order. The spool is sent a chunk at a time once the brokers are back, each chunk let go
 * when they acknowledged all of it, before records are sent directly again; a chunk cut short is
 * sent again whole, so a record may be published twice. At shutdown, what the producer still
 * holds goes to the front of the spool, for the next start. Records are lost only when the
 * hand-over overflows or the spool's budget is used up (counted as dropped).
 */
public final class RawBmpPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawBmpPublisher.class);

    /**
     * A router's message as handed over: turned into records by the sender thread, not the
     * router's. {@code connectionEnd} marks the Termination written for a session that ended
     * without one: its raw frame is published, and the parsed side writes OpenBMP's row for a
     * closed connection instead of decoding it.
     */
    private record Received(RouterFeed feed, long micros, byte[] bmp, boolean connectionEnd) {
    }

    private static final Received STOP = new Received(null, 0, new byte[0], false);
    /** Messages taken from the hand-over at a time; their records are spooled as one spool record. */
    private static final int BATCH = 1_024;
    /** Records read back from the spool at a time. */
    private static final int SPOOL_READ = 16 * BATCH;
    /** How long the sender waits for messages before it tries the spool again. */
    private static final long RETRY_MILLIS = 1_000;
    /** How long after the last message the sender still counts messages as coming (see {@link #send()}). */
    private static final long BUSY_NANOS = 50_000_000;
    /** How long the sender pauses, messages coming, when it finds the hand-over empty: the latency it adds then. */
    private static final long BUSY_PAUSE_NANOS = 1_000_000;
    /** OpenBMP's default interval between the collector topic's heartbeats. */
    public static final Duration OPENBMP_HEARTBEAT = Duration.ofHours(4);

    /**
     * What is published.
     *
     * @param raw           the raw topic's name; also where records of spool files written before
     *                      the spool kept each record's topic go
     * @param publishRaw    whether each message goes to the raw topic as a frame
     * @param parsedPrefix  the first part of the parsed topics' names, such as {@code openbmp}
     * @param publishParsed whether each message goes to the parsed topics as rows
     * @param heartbeat     how long the collector topic stays quiet before a heartbeat
     */
    public record Topics(String raw, boolean publishRaw, String parsedPrefix, boolean publishParsed,
                         Duration heartbeat) {

        public Topics {
            if (!publishRaw && !publishParsed) {
                throw new IllegalArgumentException("nothing to publish");
            }
            if (heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("heartbeat interval " + heartbeat);
            }
        }

        /** Raw frames only, on {@code topic}. */
        public static Topics raw(String topic) {
            return new Topics(topic, true, "", false, OPENBMP_HEARTBEAT);
        }

        /** Under OpenBMP's names: {@code <prefix>.bmp_raw} and {@code <prefix>.parsed.*}. */
        public static Topics openBmp(String prefix, boolean raw, boolean parsed) {
            return new Topics(prefix + ".bmp_raw", raw, prefix, parsed, OPENBMP_HEARTBEAT);
        }

        /** The same with another heartbeat interval. */
        public Topics withHeartbeat(Duration interval) {
            return new Topics(raw, publishRaw, parsedPrefix, publishParsed, interval);
        }

        /** The full name of a parsed topic, given its name after the prefix ({@code parsed.peer}). */
        public String parsed(String name) {
            return parsedPrefix + "." + name;
        }

        /** Every topic records are published on, raw first. */
        public List<String> names() {
            List<String> names = new ArrayList<>();
            if (publishRaw) {
                names.add(raw);
            }
            if (publishParsed) {
                for (String name : PARSED) {
                    names.add(parsed(name));
                }
            }
            return names;
        }
    }

    private static final List<String> PARSED = List.of(OpenBmpParsedMessage.COLLECTOR, OpenBmpParsedMessage.ROUTER,
            OpenBmpParsedMessage.PEER, OpenBmpParsedMessage.BASE_ATTRIBUTE, OpenBmpParsedMessage.UNICAST_PREFIX,
            OpenBmpParsedMessage.L3VPN, OpenBmpParsedMessage.EVPN, OpenBmpParsedMessage.BMP_STAT);

    /** What became of a topic's records. */
    public enum Outcome {
        /** Made from a message on the sender thread, to be sent. */
        PUBLISHED,
        /** Acknowledged by the brokers. */
        ACKNOWLEDGED,
        /** Written to the spool while the brokers could not take them. */
        SPOOLED,
        /** Refused by the producer for themselves (too large, say): not published. */
        FAILED,
        /** Not published: the spool's budget was used up. */
        DROPPED
    }

    /** One topic's counts, one per {@link Outcome}. */
    private static final class TopicCounts {
        final AtomicLong[] counts = new AtomicLong[Outcome.values().length];

        TopicCounts() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new AtomicLong();
            }
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    /** The full names of the parsed topics, by their names after the prefix. */
    private final Map<String, String> parsedTopics = new HashMap<>();
    private final String adminId;
    private final BatchSpool spool;
    private final BlockingQueue<Received> handOver;
    /** Records sent directly that the producer's close aborted, oldest first: the spool's front at the next start. */
    private final ConcurrentLinkedQueue<ProducerRecord<byte[], byte[]>> aborted = new ConcurrentLinkedQueue<>();
    /** The chunk of the spool given to the producer and not yet let go; only the sender thread uses it. */
    private InFlight inFlight;
    private final Thread sender;
    private final Map<String, TopicCounts> counts = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    /** The routers' feeds not closed yet: the collector topic's router list. */
    private final Set<RouterFeed> routers = ConcurrentHashMap.newKeySet();
    /** Counts the changes of {@link #routers}; the sender thread writes a collector {@code change} row when it moved. */
    private final AtomicLong routerChanges = new AtomicLong();
    /** The collector topic's state; only the sender thread uses it. */
    private long collectorSequence;
    private long collectorChangesSeen;
    private long lastCollectorRowMillis;
    private volatile boolean closed;
    /** When (epoch milliseconds) the brokers last acknowledged a record, 0 for never. */
    private volatile long lastAcknowledged;
    /** When a record last overflowed, was dropped or failed, or went to the spool; 0 for never. */
    private volatile long lastTrouble;

    /**
     * @param producer the producer records are sent with; the publisher closes it
     * @param topics   what is published, and where
     * @param adminId  the collector's name in every frame's header and collector row
     * @param capacity how many BMP messages may wait for the sender thread
     * @param spool    where records wait while the brokers cannot take them; the publisher closes it
     */
    public RawBmpPublisher(Producer<byte[], byte[]> producer, Topics topics, String adminId, int capacity,
                           BatchSpool spool) {
        this.producer = producer;
        this.topics = topics;
        this.adminId = adminId;
        this.spool = spool;
        this.handOver = new ArrayBlockingQueue<>(capacity);
        for (String name : PARSED) {
            parsedTopics.put(name, topics.parsed(name));
        }
        for (String name : topics.names()) {
            counts.put(name, new TopicCounts());
        }
        this.sender = Thread.ofPlatform().name("kafka-bmp-raw").daemon().start(this::send);
    }

    /**
     * The settings of a producer for the raw topic: idempotent (a retried send is written once),
     * every in-sync replica acknowledging, frames batched for 5 ms or up to 256 KB and
     * compressed; a send waits at most a second for room or for the topic's metadata before its
     * frames go to the spool, and a frame the producer holds is retried until the brokers take it.
     */
    public static Map<String, Object> producerSettings(String bootstrapServers) {
        Map<String, Object> settings = ProducerSettings.idempotent(bootstrapServers);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A full table is a few hundred thousand small frames: in 16 KB batches (the producer's
        // default) the broker spends more CPU a route on its requests than the collector does
        // on the route (docs/benchmarks.md, "Kafka feed"). A batch that is not full still leaves
        // after 5 ms, so steady churn waits no longer.
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Twice the default: room for 256 batches being filled at once (the raw and the eight
        // parsed topics with up to 28 partitions each) before a send waits for room.
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        // Never given up while held: a frame given up would have to be sent after later ones.
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        return settings;
    }

    /** What this publisher publishes. */
    public Topics topics() {
        return topics;
    }

    /**
     * The feed of one router's messages, for one BMP session; to be used by the one thread that
     * reads that router, and closed when the session ends. The router is in the collector topic's
     * router list until then.
     */
    public RouterFeed router(InetAddress router, String group) {
        RouterFeed feed = new RouterFeed(router, new OpenBmpRawEncoder(adminId, router, group),
                topics.publishParsed() ? new OpenBmpParsedEncoder(adminId, router) : null);
        if (!closed) {
            routers.add(feed);
            routerChanges.incrementAndGet();
        }
        return feed;
    }

    /** One router's messages into the publisher. */
    public final class RouterFeed implements AutoCloseable {
        private final InetAddress address;
        private final OpenBmpRawEncoder encoder;
        private final byte[] key;
        /** Used by the sender thread only, which sees it through the hand-over. */
        private final OpenBmpParsedEncoder parsed;
        private boolean undecodableLogged;

        private RouterFeed(InetAddress address, OpenBmpRawEncoder encoder, OpenBmpParsedEncoder parsed) {
            this.address = address;
            this.encoder = encoder;
            this.key = encoder.routerHash();
            this.parsed = parsed;
        }

        private ProducerRecord<byte[], byte[]> rawRecord(long receivedMicros, byte[] bmp) {
            return new ProducerRecord<>(topics.raw(), null, receivedMicros / 1_000, key,
                    encoder.frame(receivedMicros, bmp, 0, bmp.length));
        }

        /**
         * Offers one BMP message, common header included, received at {@code receivedMicros}
         * (microseconds since the epoch). Never blocks; the array must not change afterwards.
         *
         * @return whether it was accepted; false when the hand-over is full or the publisher closed
         */
        public boolean publish(long receivedMicros, byte[] bmp) {
            return offer(new Received(this, receivedMicros, bmp, false));
        }

        /**
         * Offers the Termination written for a session that ended without the router's: published
         * as a raw frame like any message, and on the router topic as OpenBMP's {@code term} row
         * for a closed connection (code 65533), once. Never blocks.
         *
         * @return whether it was accepted
         */
        public boolean publishConnectionEnd(long receivedMicros, byte[] termination) {
            return offer(new Received(this, receivedMicros, termination, true));
        }

        private boolean offer(Received message) {
            if (closed) {
                return false;
            }
            if (handOver.offer(message)) {
                published.incrementAndGet();
                return true;
            }
            overflowed.incrementAndGet();
            lastTrouble = System.currentTimeMillis();
            return false;
        }

        /** The session ended: the router leaves the collector topic's router list. */
        @Override
        public void close() {
            if (routers.remove(this)) {
                routerChanges.incrementAndGet();
            }
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
            if (topics.publishParsed()) {
                collectorRow(batch, OpenBmpParsedEncoder.CollectorAction.STARTED);
            }
            long lastMessage = System.nanoTime() - BUSY_NANOS;
            while (!stopping) {
                // While messages keep coming, the sender does not wait on the hand-over: a waiting
                // sender has the router's thread wake it for every message it offers, which costs
                // that thread more than the offer itself. It pauses instead, and takes the messages
                // of a millisecond together. Once they stop, it waits: for a chunk of the spool
                // that is out a little, for messages long.
                boolean busy = System.nanoTime() - lastMessage < BUSY_NANOS;
                Received first = busy ? handOver.poll()
                        : handOver.poll(inFlight == null ? RETRY_MILLIS : 10, TimeUnit.MILLISECONDS);
                if (first != null) {
                    lastMessage = System.nanoTime();
                    received.add(first);
                    handOver.drainTo(received, BATCH - 1);
                } else if (busy) {
                    LockSupport.parkNanos(BUSY_PAUSE_NANOS);
                    if (Thread.interrupted()) {
                        // As a waiting poll would: close() gave up waiting.
                        throw new InterruptedException();
                    }
                }
                for (Received message : received) {
                    if (message == STOP) {
                        stopping = true;
                    } else {
                        records(message, batch);
                    }
                }
                received.clear();
                if (topics.publishParsed()) {
                    collectorRows(batch, stopping);
                }
                if (!spool.isEmpty()) {
                    toSpool(batch);
                    batch.clear();
                    sendSpool();
                    continue;
                }
                int sent = sendDirectly(batch);
                toSpool(batch.subList(sent, batch.size()));
                batch.clear();
            }
        } catch (InterruptedException | InterruptException e) {
            // close() gave up waiting: what is still in the hand-over is not published.
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.atError().addKeyValue("event", "kafka_publisher_stopped").addKeyValue("topic", topics.raw())
                    .addKeyValue("error", e.toString()).setCause(e)
                    .log("Kafka publisher stopped: nothing more is published until the service restarts");
        }
    }

    /** The records one handed-over message makes: its raw frame, then its parsed rows. */
    private void records(Received message, List<ProducerRecord<byte[], byte[]>> batch) {
        RouterFeed feed = message.feed();
        if (topics.publishRaw()) {
            add(batch, feed.rawRecord(message.micros(), message.bmp()));
        }
        if (feed.parsed == null) {
            return;
        }
        if (message.connectionEnd()) {
            add(batch, parsedRecord(feed.parsed.connectionClosed(message.micros()), message.micros()));
            return;
        }
        List<OpenBmpParsedMessage> rows;
        try {
            rows = feed.parsed.encode(message.bmp(), message.micros());
        } catch (RuntimeException e) {
            // A DecodeException, or any bug the input finds: the raw frame is published and the sender goes on.
            undecodable.incrementAndGet();
            if (!feed.undecodableLogged) {
                feed.undecodableLogged = true;
                byte[] bmp = message.bmp();
                log.atWarn().addKeyValue("event", "kafka_parsed_undecodable")
                        .addKeyValue("router", feed.address.getHostAddress())
                        .addKeyValue("bmp_type", bmp.length > 5 ? bmp[5] & 0xFF : -1)
                        .addKeyValue("bytes", bmp.length).addKeyValue("error", e.toString())
                        .addKeyValue("note", "raw frame published; later undecodable messages of this session"
                                + " are counted, not logged").log("a BMP message could not be encoded as parsed rows");
            }
            return;
        }
        for (OpenBmpParsedMessage row : rows) {
            add(batch, parsedRecord(row, message.micros()));
        }
    }

    private ProducerRecord<byte[], byte[]> parsedRecord(OpenBmpParsedMessage message, long micros) {
        return new ProducerRecord<>(parsedTopics.get(message.topic()), null, micros / 1_000,
                message.key().getBytes(StandardCharsets.US_ASCII), message.value());
    }

    private void add(List<ProducerRecord<byte[], byte[]>> batch, ProducerRecord<byte[], byte[]> record) {
        batch.add(record);
        count(record, Outcome.PUBLISHED, 1);
    }

    /**
     * The collector topic's rows due now: {@code change} when routers came or went since the
     * last row, a {@code heartbeat} when it has been quiet for the interval, {@code stopped} at
     * the end.
     */
    private void collectorRows(List<ProducerRecord<byte[], byte[]>> batch, boolean stopping) {
        if (routerChanges.get() != collectorChangesSeen) {
            collectorRow(batch, OpenBmpParsedEncoder.CollectorAction.CHANGE);
        } else if (System.currentTimeMillis() - lastCollectorRowMillis >= topics.heartbeat().toMillis()) {
            collectorRow(batch, OpenBmpParsedEncoder.CollectorAction.HEARTBEAT);
        }
        if (stopping) {
            collectorRow(batch, OpenBmpParsedEncoder.CollectorAction.STOPPED);
        }
    }

    private void collectorRow(List<ProducerRecord<byte[], byte[]>> batch, OpenBmpParsedEncoder.CollectorAction action) {
        collectorChangesSeen = routerChanges.get();
        List<InetAddress> addresses = new ArrayList<>();
        for (RouterFeed feed : routers) {
            addresses.add(feed.address);
        }
        long now = System.currentTimeMillis();
        lastCollectorRowMillis = now;
        add(batch, parsedRecord(OpenBmpParsedEncoder.collector(adminId, action, collectorSequence++, addresses,
                now * 1_000), now * 1_000));
    }

    private void count(ProducerRecord<byte[], byte[]> record, Outcome outcome, long n) {
        counts.computeIfAbsent(record.topic(), t -> new TopicCounts()).counts[outcome.ordinal()].addAndGet(n);
    }

    /**
     * Sends records while the producer takes them; returns how many it took. A record the
     * producer refuses for itself (too large, say) is counted as failed and skipped.
     */
    private int sendDirectly(List<ProducerRecord<byte[], byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<byte[], byte[]> record = records.get(i);
            Future<RecordMetadata> send = producer.send(record, (metadata, error) -> {
                if (error == null) {
                    countAcknowledged(record);
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

    private void countAcknowledged(ProducerRecord<byte[], byte[]> record) {
        acknowledged.incrementAndGet();
        count(record, Outcome.ACKNOWLEDGED, 1);
        lastAcknowledged = System.currentTimeMillis();
    }

    private void failed(ProducerRecord<byte[], byte[]> record, Exception error) {
        failed.incrementAndGet();
        count(record, Outcome.FAILED, 1);
        lastTrouble = System.currentTimeMillis();
        log.atWarn().addKeyValue("event", "kafka_frame_refused").addKeyValue("topic", record.topic())
                .addKeyValue("bytes", record.value().length).addKeyValue("error", error.toString())
                .log("the Kafka producer refused a record; it is not published");
    }

    private void toSpool(List<ProducerRecord<byte[], byte[]>> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        lastTrouble = System.currentTimeMillis();
        if (spool.append(SpooledFrames.encode(records), records.size(), System.currentTimeMillis())) {
            spooled.addAndGet(records.size());
            records.forEach(record -> count(record, Outcome.SPOOLED, 1));
        } else {
            dropped.addAndGet(records.size());
            records.forEach(record -> count(record, Outcome.DROPPED, 1));
            log.atError().addKeyValue("event", "kafka_spool_full").addKeyValue("topic", topics.raw())
                    .addKeyValue("dropped_frames", records.size()).addKeyValue("spool_bytes", spool.bytes())
                    .log("Kafka spool is full; records are dropped");
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
                for (ProducerRecord<byte[], byte[]> record : SpooledFrames.decode(payload, topics.raw())) {
                    Future<RecordMetadata> send = producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            countAcknowledged(record);
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

    /** BMP messages accepted into the hand-over. */
    public long published() {
        return published.get();
    }

    /** Records of every topic the brokers acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records of every topic that went to the spool while the brokers could not take them. */
    public long spooled() {
        return spooled.get();
    }

    /** Records the producer refused for themselves (too large for the brokers, say): not published. */
    public long failed() {
        return failed.get();
    }

    /** BMP messages not published, in any form, because the hand-over was full. */
    public long overflowed() {
        return overflowed.get();
    }

    /** Records not published because the spool's budget was used up. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * BMP messages the parsed encoder could not decode: no parsed rows for them, their raw
     * frames published as any other's.
     */
    public long undecodable() {
        return undecodable.get();
    }

    /** The records of one topic with one outcome so far; 0 for a topic nothing went to. */
    public long records(String topic, Outcome outcome) {
        TopicCounts topicCounts = counts.get(topic);
        return topicCounts == null ? 0 : topicCounts.counts[outcome.ordinal()].get();
    }

    /** Bytes of records in the spool. */
    public long spoolBytes() {
        return spool.bytes();
    }

    /**
     * What is wrong: the sender thread stopped on an error, or records wait in the spool, or
     * messages have overflowed or records been dropped or failed since the brokers last
     * acknowledged one; empty once they acknowledge again with nothing spooled.
     */
    public Optional<String> trouble() {
        if (!closed && !sender.isAlive()) {
            return Optional.of("the publisher stopped (kafka_publisher_stopped in the log); nothing is published"
                    + " until the service restarts");
        }
        long spoolBytes = spool.bytes();
        long trouble = lastTrouble;
        long acknowledgedAt = lastAcknowledged;
        if (spoolBytes == 0 && (trouble == 0 || acknowledgedAt > trouble)) {
            return Optional.empty();
        }
        return Optional.of(spoolBytes + " bytes of records spooled; " + overflowed.get() + " messages overflowed, "
                + dropped.get() + " records dropped and " + failed.get() + " failed so far; "
                + (acknowledgedAt == 0 ? "no record acknowledged yet"
                        : "last acknowledgement " + (System.currentTimeMillis() - acknowledgedAt) / 1000 + " s ago"));
    }

    /** BMP messages waiting in the hand-over. */
    public int waiting() {
        return handOver.size();
    }

    /**
     * Stops taking messages and sends what is waiting, up to {@code timeout}; what the brokers have
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
                held.forEach(record -> count(record, Outcome.SPOOLED, 1));
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        close(Duration.ofSeconds(10));
    }
}
