package net.rampart.kafka;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.collector.history.SourcePosition;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.openbmp.OpenBmpRawFrame;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads routers' BMP from an OpenBMP v1.7 raw topic ({@code openbmp.bmp_raw}) as if the routers
 * were connected: each router's frames go, in order, to a collector session of its own, opened
 * at its first frame and again at each new Initiation, and closed at a Termination.
 *
 * <p>Route history numbers the events it accepts, and the consumer notes the numbers of each
 * frame's events. With each batch, and in its transaction, history stores where it ends in each
 * partition: the first frame it does not hold all events of, and how many of them it holds
 * ({@link #positionsSettledBy}). Offsets are committed to the group too once history holds every
 * event of the frames before them, for the tools that watch a group's lag. A partition this
 * member is given is read from its beginning, to rebuild its routers' RIBs: the frames before
 * where history ends are applied {@linkplain ReplayFilter quietly}, and of the frame where it
 * ends, the events it holds are skipped. A member killed at any point and started again so loses
 * no route event and writes none twice (the RIB applies a frame the same way every time, so its
 * events come in the same order); peer and router events of that one frame may come twice. A partition taken away has its routers' sessions closed
 * quietly too: their routes leave this member's RIB, not the history the next owner continues.
 *
 * <p>One thread, {@code kafka-bmp-consumer}, does all of it, the Kafka consumer being for one
 * thread only.
 */
public final class RawBmpConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawBmpConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final HexFormat HEX = HexFormat.of();

    /** Opens the collector's session for a router whose frames are read; called on the consumer thread. */
    public interface Routers {
        /**
         * @param clock the time of the frame being applied, for the session to read as now
         */
        RouterSession open(InetAddress router, Clock clock);
    }

    /** How far route history has got with the events the consumed frames caused. */
    public interface History {
        /**
         * The number below which every route event history accepted since start, numbered as
         * {@link ReplayFilter.NumberingHistory#record} numbers them, is stored or refused for good.
         */
        long settled();

        /**
         * Where history ends in each partition of the topic ({@link #source}), as stored with it;
         * partitions it holds nothing of are left out.
         *
         * @throws Exception when the store cannot say now
         */
        Map<Integer, SourcePosition> storedPositions(String source) throws Exception;
    }

    /** A router whose frames this member reads, and the partition they come from. */
    private record Router(RouterSession session, TopicPartition partition) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Routers routerSessions;
    private final ReplayFilter filter;
    private final History history;
    private final FrameClock clock = new FrameClock();
    private final Thread thread;
    /** By collector hash and router hash, in hex. */
    private final Map<String, Router> routers = new ConcurrentHashMap<>();
    /** Where history ended in each partition when this member was given it: frames before it are replayed. */
    private final Map<TopicPartition, SourcePosition> historyEnds = new HashMap<>();
    private final ConsumedFrames frames;
    private final String source;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    /** Partitions still being read up to where history ends: their routers' RIBs are being rebuilt. */
    private final Set<TopicPartition> rebuilding = ConcurrentHashMap.newKeySet();
    private volatile long lag;
    private volatile boolean stopping;
    private volatile boolean subscribed;
    private Duration drain = Duration.ZERO;

    /**
     * @param consumer the consumer to read with, made with {@link #consumerSettings}; closed with this
     * @param topic    the raw topic
     * @param filter   the filter in front of route history and the inventory's store
     */
    public RawBmpConsumer(Consumer<byte[], byte[]> consumer, String group, String topic, Routers routers,
                          ReplayFilter filter, History history) {
        this.consumer = consumer;
        this.topic = topic;
        this.source = source(group, topic);
        this.frames = new ConsumedFrames(source);
        this.routerSessions = routers;
        this.filter = filter;
        this.history = history;
        this.thread = Thread.ofPlatform().name("kafka-bmp-consumer").unstarted(this::run);
    }

    /**
     * A consumer of the group {@code group}: offsets committed by this class only, a new group
     * starting from the topic's beginning, and partitions moved between members only as far
     * as a member joining or leaving needs (cooperative sticky assignment), as every move
     * means a rebuild.
     */
    public static Map<String, Object> consumerSettings(String bootstrapServers, String group) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            filter.readOn(Thread.currentThread(), frames::recorded);
            consumer.subscribe(List.of(topic), new Rebalance());
            subscribed = true;
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    apply(record);
                }
                measureLag();
                commitSettled(false);
            }
        } catch (WakeupException stop) {
            // close() woke the poll up
        } catch (RuntimeException e) {
            log.atError().addKeyValue("event", "kafka_consumer_stopped").addKeyValue("topic", topic)
                    .addKeyValue("error", e.toString()).setCause(e).log("Kafka BMP consumer stopped");
        } finally {
            leave();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        SourcePosition end = historyEnds.get(partition);
        boolean replay = end != null && record.offset() < end.next();
        if (end != null && record.offset() + 1 >= end.next()) {
            rebuilding.remove(partition);
        }
        // Of the frame where history ended, the events it holds are not recorded again.
        long before = end != null && record.offset() == end.next() ? end.stored() : 0;
        OpenBmpRawFrame frame;
        try {
            frame = OpenBmpRawFrame.decode(record.value());
        } catch (DecodeException e) {
            if (malformed.getAndIncrement() % 10_000 == 0) {
                log.atError().addKeyValue("event", "kafka_frame_malformed").addKeyValue("topic", record.topic())
                        .addKeyValue("partition", record.partition()).addKeyValue("offset", record.offset())
                        .addKeyValue("error", e.getMessage()).addKeyValue("malformed_so_far", malformed.get())
                        .log("a frame on the raw topic is not an OpenBMP v1.7 raw frame; skipped");
            }
            if (!replay) {
                frames.begin(partition, record.offset(), 0);
                frames.complete();
            }
            return;
        }
        (replay ? replayed : applied).incrementAndGet();
        if (!replay) {
            frames.begin(partition, record.offset(), before);
        }
        filter.quiet(replay);
        filter.skip(before);
        try {
            apply(frame, partition);
        } catch (RuntimeException e) {
            // A session must not throw; if one does, the frame is lost, not the consumer.
            log.atError().addKeyValue("event", "kafka_frame_failed").addKeyValue("topic", record.topic())
                    .addKeyValue("partition", record.partition()).addKeyValue("offset", record.offset())
                    .addKeyValue("router", frame.router().getHostAddress()).setCause(e)
                    .log("applying a frame failed; skipped");
        } finally {
            filter.quiet(false);
            filter.skip(0);
            if (!replay) {
                frames.complete();
            }
        }
    }

    private void apply(OpenBmpRawFrame frame, TopicPartition partition) {
        clock.set(frame.collectedAt());
        String key = HEX.formatHex(frame.collectorHash()) + HEX.formatHex(frame.routerHash());
        int type = frame.bmpMessage()[5] & 0xFF;
        Router router = routers.get(key);
        if (router != null && type == BmpMessage.INITIATION && router.session().established()) {
            close(key, "the router began a new session (Initiation)");
            router = null;
        }
        if (router == null) {
            router = new Router(routerSessions.open(frame.router(), clock), partition);
            routers.put(key, router);
        }
        router.session().onMessage(frame.bmpMessage());
        if (type == BmpMessage.TERMINATION) {
            close(key, "Termination");
        }
    }

    private void close(String key, String reason) {
        routers.remove(key).session().onClose(reason);
    }

    /**
     * Commits, for the partitions where it moved, the offset of the first frame history has not
     * settled all events of; with {@code waiting}, first waits up to the drain time for history
     * to settle every frame read.
     */
    private void commitSettled(boolean waiting) {
        if (waiting) {
            long deadline = System.nanoTime() + drain.toNanos();
            long end = frames.end();
            while (history.settled() < end && System.nanoTime() < deadline) {
                // Route history's writer settles the events on its own thread; this one only waits.
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Map<TopicPartition, Long> moved = frames.letGoSettled(history.settled());
        if (moved.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        moved.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        if (waiting) {
            consumer.commitSync(offsets);
            committed.incrementAndGet();
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error == null) {
                    committed.incrementAndGet();
                } else {
                    // The next commit carries these offsets or later ones.
                    log.atWarn().addKeyValue("event", "kafka_commit_failed").addKeyValue("topic", topic)
                            .addKeyValue("error", error.toString()).log("committing consumed offsets failed");
                }
            });
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, SourcePosition> ends = historyEnds(partitions);
            historyEnds.putAll(ends);
            ends.forEach((partition, end) -> {
                if (end.next() > 0) {
                    rebuilding.add(partition);
                }
            });
            // Rebuild the routers' RIBs from the beginning; where history ends is where it resumes.
            consumer.seekToBeginning(ends.keySet());
            log.atInfo().addKeyValue("event", "kafka_partitions_assigned").addKeyValue("topic", topic)
                    .addKeyValue("partitions", partitions.stream().map(TopicPartition::partition).sorted().toList())
                    .addKeyValue("history_ends", ends.values().stream()
                            .map(e -> e.partition() + ":" + e.next() + "+" + e.stored()).sorted().toList())
                    .log("reading routers' BMP from Kafka partitions; those history holds some of are read from"
                            + " the beginning, history resuming where it ends");
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                commitSettled(true);
            } catch (RuntimeException e) {
                // The next owner re-reads from the last commit; what history holds past it comes again.
                log.atWarn().addKeyValue("event", "kafka_commit_failed").addKeyValue("topic", topic)
                        .addKeyValue("error", e.toString()).log("committing before giving partitions up failed");
            }
            letGo(partitions, "the partition was given to another member of the group");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            letGo(partitions, "the partition was lost to another member of the group");
        }
    }

    /**
     * Where history ends in each of {@code partitions} it holds some of: the position stored with
     * it, or else the group's committed offset (history kept no position yet, or could not be
     * asked: then a crash between a batch and its commit may have left events that come again).
     */
    private Map<TopicPartition, SourcePosition> historyEnds(Collection<TopicPartition> partitions) {
        Map<TopicPartition, SourcePosition> ends = new HashMap<>();
        Map<Integer, SourcePosition> stored;
        try {
            stored = history.storedPositions(source);
        } catch (Exception e) {
            log.atWarn().addKeyValue("event", "kafka_positions_unavailable").addKeyValue("topic", topic)
                    .addKeyValue("error", e.toString())
                    .log("where route history ends could not be read; resuming from the group's committed offsets");
            stored = Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committedOffsets = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition partition : partitions) {
            SourcePosition end = stored.get(partition.partition());
            if (end == null && committedOffsets.get(partition) != null) {
                end = new SourcePosition(source, partition.partition(), committedOffsets.get(partition).offset(), 0);
            }
            if (end != null) {
                ends.put(partition, end);
            }
        }
        return ends;
    }

    /** The name positions of {@code topic} read in {@code group} are stored under. */
    public static String source(String group, String topic) {
        return "kafka:" + group + "/" + topic;
    }

    /**
     * Where route history ends in each partition read once every event numbered below
     * {@code settled} is stored or refused: for the history writer to store with its batch.
     */
    public List<SourcePosition> positionsSettledBy(long settled) {
        return frames.positions(settled);
    }

    /** Closes, quietly, the sessions of the routers read from {@code partitions}, and forgets them. */
    private void letGo(Collection<TopicPartition> partitions, String reason) {
        Set<TopicPartition> gone = Set.copyOf(partitions);
        filter.quiet(true);
        try {
            for (Iterator<Map.Entry<String, Router>> it = routers.entrySet().iterator(); it.hasNext(); ) {
                Router router = it.next().getValue();
                if (gone.contains(router.partition())) {
                    it.remove();
                    router.session().onClose(reason);
                }
            }
        } finally {
            filter.quiet(false);
        }
        historyEnds.keySet().removeAll(gone);
        rebuilding.removeAll(gone);
        frames.forget(gone);
        log.atInfo().addKeyValue("event", "kafka_partitions_released").addKeyValue("topic", topic)
                .addKeyValue("partitions", gone.stream().map(TopicPartition::partition).sorted().toList())
                .addKeyValue("reason", reason).log("routers of released partitions left this member's RIB");
    }

    /** At stop: commits what history settles within the drain time, then lets every router go quietly. */
    private void leave() {
        try {
            commitSettled(true);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("event", "kafka_commit_failed").addKeyValue("topic", topic)
                    .addKeyValue("error", e.toString()).log("the last commit of consumed offsets failed");
        }
        filter.quiet(true);
        try {
            routers.values().forEach(router -> router.session().onClose("the service is stopping"));
            routers.clear();
        } finally {
            filter.quiet(false);
        }
        consumer.close();
    }

    /**
     * Stops reading, gives route history up to {@code drain} to settle what was read, commits
     * that, and leaves the group.
     */
    public void close(Duration drain) throws InterruptedException {
        this.drain = drain;
        stopping = true;
        consumer.wakeup();
        thread.join(drain.toMillis() + 10_000);
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(10));
    }

    /** Whether the consumer has subscribed and not stopped. */
    public boolean running() {
        return subscribed && thread.isAlive();
    }

    /** Frames applied and recorded in history. */
    public long applied() {
        return applied.get();
    }

    /** Frames applied again to rebuild a RIB, their history stored already. */
    public long replayed() {
        return replayed.get();
    }

    /** Values on the topic that are not OpenBMP v1.7 raw frames, skipped. */
    public long malformed() {
        return malformed.get();
    }

    /** Offset commits that succeeded. */
    public long commits() {
        return committed.get();
    }

    /** Frames behind the end of the partitions this member reads, as of the last fetch; on the consumer thread. */
    private void measureLag() {
        long behind = 0;
        for (TopicPartition partition : consumer.assignment()) {
            behind += consumer.currentLag(partition).orElse(0);
        }
        lag = behind;
    }

    /** Frames on the partitions this member reads that it has not read yet, as of its last fetch. */
    public long lag() {
        return lag;
    }

    /**
     * Partitions this member is reading again from their beginning up to where history ends:
     * until none, its RIB lacks routes of their routers.
     */
    public int rebuilding() {
        return rebuilding.size();
    }

    /** The routers this member reads now. */
    public int routers() {
        return routers.size();
    }

    @Override
    public String toString() {
        return "RawBmpConsumer[" + topic + "]";
    }
}
