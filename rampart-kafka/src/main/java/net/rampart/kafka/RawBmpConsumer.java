package net.rampart.kafka;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
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
 * <p>Offsets are committed only once route history has stored (or refused) every event the
 * committed frames caused: a consumer that dies re-reads at most what history does not hold.
 * A partition this member is given is read from its beginning, to rebuild its routers' RIBs;
 * the frames before the group's committed offset are applied {@linkplain ReplayFilter quietly},
 * their history being stored already. A partition taken away has its routers' sessions closed
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
        /** Route events history has accepted since start. */
        long accepted();

        /** Of those, how many it has stored or refused for good; never ahead of {@link #accepted}. */
        long settled();
    }

    /** The consumed offsets as they were when history had accepted {@code accepted} events. */
    private record Mark(long accepted, Map<TopicPartition, OffsetAndMetadata> offsets) {
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
    /** The first offset of each partition that was not applied before this member was given it. */
    private final Map<TopicPartition, Long> replayUntil = new HashMap<>();
    /** The next offset to read of each partition read so far. */
    private final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean subscribed;
    private Duration drain = Duration.ZERO;

    /**
     * @param consumer the consumer to read with, made with {@link #consumerSettings}; closed with this
     * @param topic    the raw topic
     * @param filter   the filter in front of route history and the inventory's store
     */
    public RawBmpConsumer(Consumer<byte[], byte[]> consumer, String topic, Routers routers, ReplayFilter filter,
                          History history) {
        this.consumer = consumer;
        this.topic = topic;
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
            consumer.subscribe(List.of(topic), new Rebalance());
            subscribed = true;
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    apply(record);
                }
                if (!records.isEmpty()) {
                    marks.addLast(new Mark(history.accepted(), Map.copyOf(consumed)));
                }
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
        boolean replay = record.offset() < replayUntil.getOrDefault(partition, 0L);
        if (!replay) {
            // A replayed frame's offset is behind the group's: committing it would move the group back.
            consumed.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
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
            return;
        }
        (replay ? replayed : applied).incrementAndGet();
        filter.quiet(replay);
        try {
            apply(frame, partition);
        } finally {
            filter.quiet(false);
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
     * Commits the offsets of the last mark whose events history has settled; with
     * {@code waiting}, first waits up to the drain time for history to settle all of them.
     */
    private void commitSettled(boolean waiting) {
        if (marks.isEmpty()) {
            return;
        }
        if (waiting) {
            long deadline = System.nanoTime() + drain.toNanos();
            long last = marks.getLast().accepted();
            while (history.settled() < last && System.nanoTime() < deadline) {
                // Route history's writer settles the events on its own thread; this one only waits.
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long settled = history.settled();
        Mark reached = null;
        while (!marks.isEmpty() && marks.getFirst().accepted() <= settled) {
            reached = marks.removeFirst();
        }
        if (reached == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = reached.offsets();
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
            Map<TopicPartition, OffsetAndMetadata> committedOffsets = consumer.committed(new HashSet<>(partitions));
            List<TopicPartition> rebuilt = partitions.stream().filter(p -> committedOffsets.get(p) != null).toList();
            for (TopicPartition partition : rebuilt) {
                replayUntil.put(partition, committedOffsets.get(partition).offset());
            }
            // Rebuild the routers' RIBs from the beginning; the group's offset is where history resumes.
            consumer.seekToBeginning(rebuilt);
            log.atInfo().addKeyValue("event", "kafka_partitions_assigned").addKeyValue("topic", topic)
                    .addKeyValue("partitions", partitions.stream().map(TopicPartition::partition).sorted().toList())
                    .addKeyValue("rebuilt", rebuilt.size())
                    .log("reading routers' BMP from Kafka partitions; those with a committed offset are read"
                            + " from the beginning, history resuming at that offset");
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
        consumed.keySet().removeAll(gone);
        replayUntil.keySet().removeAll(gone);
        ArrayDeque<Mark> kept = new ArrayDeque<>();
        for (Mark mark : marks) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(mark.offsets());
            offsets.keySet().removeAll(gone);
            kept.addLast(new Mark(mark.accepted(), Map.copyOf(offsets)));
        }
        marks.clear();
        marks.addAll(kept);
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

    /** The routers this member reads now. */
    public int routers() {
        return routers.size();
    }

    @Override
    public String toString() {
        return "RawBmpConsumer[" + topic + "]";
    }
}
