package net.rampart.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.collector.bmp.CollectorStatistics;
import net.rampart.collector.bmp.MonitoredRouter;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.collector.history.SourcePosition;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibRoute;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteQuery;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.openbmp.OpenBmpRawEncoder;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.TestData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer's bookkeeping against Kafka's MockConsumer: which session each frame goes to,
 * which frames are kept out of the store, and when offsets are committed. The real broker is in
 * the service's {@code KafkaSourceIT}.
 */
class RawBmpConsumerTest {

    private static final String TOPIC = "openbmp.bmp_raw";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final String SOURCE = "kafka:stores/" + TOPIC;
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** What the sessions saw: one line per message or close, in order. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final ReplayFilter filter = new ReplayFilter();
    /** Route history behind the filter: numbers what reaches it, as history does. */
    private final RouteEventListener history = filter.routeEvents(
            (events, numbered) -> numbered.accept(accepted.getAndAdd(events.size())));
    /** The one route event each message of the sessions below causes. */
    private static final List<RouteEvent> ONE_EVENT = List.of(new RouteEvent(0, new RouterId("192.0.2.1"), 0, null,
            null, null, null, null));
    private final MockConsumer<byte[], byte[]> kafka = new MockConsumer<>("earliest");
    /** Where history ends, by partition, as the store says. */
    private Map<Integer, SourcePosition> stored = Map.of();
    private int sessions;

    /** A session that notes each message's type, whether its event reached history, and the frame's time. */
    private RouterSession open(InetAddress router, Clock clock) {
        int id = ++sessions;
        return new RouterSession() {
            private boolean established;

            @Override
            public void onMessage(byte[] message) {
                established = true;
                long before = accepted.get();
                history.onRouteEvents(ONE_EVENT);
                if (message[5] == BmpMessage.PEER_DOWN) {
                    // A peer's routes withdrawn in two lists: history may hold the first and not the second.
                    history.onRouteEvents(ONE_EVENT);
                }
                long stored = accepted.get() - before;
                seen.add(id + " " + router.getHostAddress() + " type " + message[5] + " at "
                        + (clock.instant().getEpochSecond() - T0.getEpochSecond())
                        + (stored == 0 ? " quiet" : " stored" + (stored == 1 ? "" : " " + stored)));
            }

            @Override
            public boolean established() {
                return established;
            }

            @Override
            public void onClose(String reason) {
                long before = accepted.get();
                history.onRouteEvents(ONE_EVENT);
                seen.add(id + " closed: " + reason + (accepted.get() > before ? " stored" : " quiet"));
            }
        };
    }

    private RawBmpConsumer consumer() {
        return consumer(this::open);
    }

    /** A consumer of the mock whose history is {@link #settled} and {@link #stored}, its routers' sessions from {@code routers}. */
    private RawBmpConsumer consumer(RawBmpConsumer.Routers routers) {
        return new RawBmpConsumer(kafka, "stores", TOPIC, routers, filter, new RawBmpConsumer.History() {
            @Override
            public long settled() {
                return settled.get();
            }

            @Override
            public Map<Integer, SourcePosition> storedPositions(String source) {
                assertThat(source).isEqualTo(SOURCE);
                return stored;
            }
        });
    }

    /** A BMP message of {@code type} with nothing after the common header: the consumer reads only the type. */
    private static byte[] bmp(int type) {
        return ByteBuffer.allocate(6).put((byte) 3).putInt(6).put((byte) type).array();
    }

    private static ConsumerRecord<byte[], byte[]> frame(long offset, String router, int type) throws Exception {
        OpenBmpRawEncoder encoder = new OpenBmpRawEncoder("edge-1", InetAddress.getByName(router), "");
        byte[] message = bmp(type);
        long micros = (T0.getEpochSecond() + offset) * 1_000_000;
        return new ConsumerRecord<>(TOPIC, 0, offset, encoder.routerHash(),
                encoder.frame(micros, message, 0, message.length));
    }

    /** Gives the consumer the partition, starting at offset 0, and then the records. */
    private void assignWith(List<ConsumerRecord<byte[], byte[]>> records) {
        assignWith(records, -1);
    }

    /** The same, with the group's offset {@code committed} when not negative (MockConsumer keeps it only once subscribed). */
    private void assignWith(List<ConsumerRecord<byte[], byte[]>> records, long committed) {
        kafka.schedulePollTask(() -> {
            if (committed >= 0) {
                kafka.commitSync(Map.of(PARTITION, new OffsetAndMetadata(committed)));
            }
            kafka.updateBeginningOffsets(Map.of(PARTITION, 0L));
            kafka.rebalance(List.of(PARTITION));
        });
        kafka.schedulePollTask(() -> records.forEach(kafka::addRecord));
    }

    @Test
    void eachRoutersFramesGoToItsSessionWhichANewInitiationOrATerminationEnds() throws Exception {
        assignWith(List.of(
                frame(0, "192.0.2.1", BmpMessage.INITIATION),
                frame(1, "192.0.2.2", BmpMessage.INITIATION),
                frame(2, "192.0.2.1", BmpMessage.ROUTE_MONITORING),
                frame(3, "192.0.2.1", BmpMessage.INITIATION),
                frame(4, "192.0.2.2", BmpMessage.TERMINATION),
                frame(5, "192.0.2.2", BmpMessage.PEER_UP)));
        settled.set(Long.MAX_VALUE);
        try (RawBmpConsumer consumer = consumer()) {
            consumer.start();
            Daemon.await("all six frames applied", Duration.ofSeconds(10), () -> consumer.applied() == 6);
            assertThat(seen).containsExactly(
                    "1 192.0.2.1 type 4 at 0 stored",
                    "2 192.0.2.2 type 4 at 1 stored",
                    "1 192.0.2.1 type 0 at 2 stored",
                    "1 closed: the router began a new session (Initiation) stored",
                    "3 192.0.2.1 type 4 at 3 stored",
                    "2 192.0.2.2 type 5 at 4 stored",
                    "2 closed: Termination stored",
                    "4 192.0.2.2 type 3 at 5 stored");
            assertThat(consumer.routers()).isEqualTo(2);
        }
        // Stopping lets the routers go without a trace in the store: they are not gone from the network.
        assertThat(seen.subList(8, seen.size())).containsExactlyInAnyOrder(
                "3 closed: the service is stopping quiet", "4 closed: the service is stopping quiet");
    }

    @Test
    void offsetsAreCommittedOnlyOnceHistoryHasSettledTheirEvents() throws Exception {
        assignWith(List.of(frame(0, "192.0.2.1", BmpMessage.INITIATION),
                frame(1, "192.0.2.1", BmpMessage.ROUTE_MONITORING)));
        kafka.updateEndOffsets(Map.of(PARTITION, 5L));
        RawBmpConsumer consumer = consumer();
        consumer.start();
        Daemon.await("both frames applied", Duration.ofSeconds(10), () -> consumer.applied() == 2);
        Daemon.await("three frames still to read", Duration.ofSeconds(10), () -> consumer.lag() == 3);
        // Polls go on; with nothing settled, nothing may be committed.
        awaitTwoPolls();
        assertThat(committed()).isNull();

        settled.set(1);
        Daemon.await("the offset after the first frame committed", Duration.ofSeconds(10),
                () -> committed() != null && committed().offset() == 1);

        settled.set(2);
        Daemon.await("the offset after both frames committed", Duration.ofSeconds(10),
                () -> committed() != null && committed().offset() == 2);
        consumer.close(Duration.ofSeconds(5));
    }

    @Test
    void aGivenPartitionIsReadFromItsBeginningAndOnlyWhatFollowsTheCommittedOffsetIsStored() throws Exception {
        assignWith(List.of(frame(0, "192.0.2.1", BmpMessage.INITIATION),
                frame(1, "192.0.2.1", BmpMessage.ROUTE_MONITORING),
                frame(2, "192.0.2.1", BmpMessage.ROUTE_MONITORING)), 2);
        settled.set(Long.MAX_VALUE);
        try (RawBmpConsumer consumer = consumer()) {
            consumer.start();
            Daemon.await("three frames read", Duration.ofSeconds(10),
                    () -> consumer.applied() + consumer.replayed() == 3);
            assertThat(consumer.replayed()).isEqualTo(2);
            assertThat(seen).containsExactly(
                    "1 192.0.2.1 type 4 at 0 quiet",
                    "1 192.0.2.1 type 0 at 1 quiet",
                    "1 192.0.2.1 type 0 at 2 stored");
            assertThat(consumer.rebuilding()).as("read up to where history ends").isZero();
            Daemon.await("the offset after the stored frame committed", Duration.ofSeconds(10),
                    () -> committed() != null && committed().offset() == 3);
        }
    }

    @Test
    void wherePositionsStoredWithHistorySayItEndsComesBeforeTheGroupsOffset() throws Exception {
        // History stored the position after frame 0; the group's commit after frame 1 is one history never got.
        stored = Map.of(0, new SourcePosition(SOURCE, 0, 1, 0));
        assignWith(List.of(frame(0, "192.0.2.1", BmpMessage.INITIATION),
                frame(1, "192.0.2.1", BmpMessage.ROUTE_MONITORING)), 2);
        settled.set(Long.MAX_VALUE);
        try (RawBmpConsumer consumer = consumer()) {
            consumer.start();
            // The counters move before the frame's session has told the test's sink about it.
            Daemon.await("both frames read", Duration.ofSeconds(10),
                    () -> consumer.applied() + consumer.replayed() == 2 && seen.size() == 2);
            assertThat(seen).containsExactly("1 192.0.2.1 type 4 at 0 quiet", "1 192.0.2.1 type 0 at 1 stored");
        }
    }

    @Test
    void theHistoryWriterIsToldThePositionEachCountOfSettledEventsReaches() throws Exception {
        assignWith(List.of(frame(0, "192.0.2.1", BmpMessage.INITIATION),
                frame(1, "192.0.2.1", BmpMessage.ROUTE_MONITORING)));
        RawBmpConsumer consumer = consumer();
        consumer.start();
        Daemon.await("both frames applied", Duration.ofSeconds(10), () -> consumer.applied() == 2);
        awaitTwoPolls();
        // One poll brought both frames, each causing one event: a position only once both are settled.
        assertThat(consumer.positionsSettledBy(0)).containsExactly(new SourcePosition(SOURCE, 0, 0, 0));
        assertThat(consumer.positionsSettledBy(1)).containsExactly(new SourcePosition(SOURCE, 0, 1, 0));
        assertThat(consumer.positionsSettledBy(2)).containsExactly(new SourcePosition(SOURCE, 0, 2, 0));
        settled.set(2);
        consumer.close(Duration.ofSeconds(5));
    }

    @Test
    void ofTheFrameWhereHistoryEndsOnlyTheEventsItDoesNotHoldAreRecorded() throws Exception {
        // A crash came between the two lists of the Peer Down's withdrawals: history holds the first.
        stored = Map.of(0, new SourcePosition(SOURCE, 0, 1, 1));
        assignWith(List.of(frame(0, "192.0.2.1", BmpMessage.INITIATION), frame(1, "192.0.2.1", BmpMessage.PEER_DOWN),
                frame(2, "192.0.2.1", BmpMessage.PEER_DOWN)), 1);
        RawBmpConsumer consumer = consumer();
        consumer.start();
        Daemon.await("three frames read", Duration.ofSeconds(10),
                () -> consumer.applied() + consumer.replayed() == 3 && seen.size() == 3);
        assertThat(seen).containsExactly("1 192.0.2.1 type 4 at 0 quiet", "1 192.0.2.1 type 2 at 1 stored",
                "1 192.0.2.1 type 2 at 2 stored 2");
        awaitTwoPolls();
        // Numbered 0 (frame 1's second list) and 1, 2 (frame 2): where history ends as they settle.
        assertThat(consumer.positionsSettledBy(0)).containsExactly(new SourcePosition(SOURCE, 0, 1, 1));
        assertThat(consumer.positionsSettledBy(1)).containsExactly(new SourcePosition(SOURCE, 0, 2, 0));
        assertThat(consumer.positionsSettledBy(2)).containsExactly(new SourcePosition(SOURCE, 0, 2, 1));
        assertThat(consumer.positionsSettledBy(3)).containsExactly(new SourcePosition(SOURCE, 0, 3, 0));
        settled.set(3);
        consumer.close(Duration.ofSeconds(5));
    }

    @Test
    void framesOfOtherOpenBmpProducersReachTheCollectorsSessionsAndTheRib() throws Exception {
        // Recorded from OpenBMP collectors at RouteViews and LINX, via bgpkit-parser and go-openbmp.
        List<String> recorded = List.of("bgpkit-parser-route-views5-peer-down.bin",
                "bgpkit-parser-linx-route-monitoring.bin", "go-openbmp-route-views2-peer-down.bin");
        List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (String name : recorded) {
            records.add(new ConsumerRecord<>(TOPIC, 0, records.size(), new byte[0],
                    java.nio.file.Files.readAllBytes(TestData.folder("openbmp").resolve(name))));
        }
        assignWith(records);
        settled.set(Long.MAX_VALUE);
        Rib rib = new Rib(RouteEventListener.NONE);
        RouterInventory inventory = new RouterInventory();
        CollectorStatistics statistics = new CollectorStatistics();
        RawBmpConsumer consumer = consumer((router, clock) -> new MonitoredRouter(
                router, rib, inventory, statistics.register(router.getHostAddress()), clock));
        consumer.start();
        Daemon.await("the three frames applied", Duration.ofSeconds(10), () -> consumer.applied() == 3);
        Daemon.await("the LINX route in the RIB", Duration.ofSeconds(10), () -> rib.routeCount() == 1);
        RibRoute route = rib.query(RouteQuery.all(10)).routes().getFirst();
        assertThat(route.router().name()).isEqualTo("195.66.241.146");
        assertThat(route.key().text()).isEqualTo("2a0f:ca80:1::/48");
        // The frame's time, as the LINX collector received the message, not the reader's.
        assertThat(route.lastChange()).isBefore(Instant.parse("2023-01-01T00:00:00Z"));
        // Cut from the middle of their sessions, the frames carry no Initiation or Peer Up: the routers
        // are not listed (as a connection that never says either), their routes are applied all the same.
        assertThat(inventory.routers()).isEmpty();
        assertThat(consumer.malformed()).isZero();
        consumer.close(Duration.ofSeconds(5));
    }

    @Test
    void aValueThatIsNotARawFrameIsCountedAndSkipped() throws Exception {
        assignWith(List.of(new ConsumerRecord<>(TOPIC, 0, 0, new byte[0], "not a frame".getBytes()),
                frame(1, "192.0.2.1", BmpMessage.INITIATION)));
        settled.set(Long.MAX_VALUE);
        try (RawBmpConsumer consumer = consumer()) {
            consumer.start();
            Daemon.await("the frame after the bad value applied", Duration.ofSeconds(10), () -> consumer.applied() == 1);
            assertThat(consumer.malformed()).isEqualTo(1);
            assertThat(seen).containsExactly("1 192.0.2.1 type 4 at 1 stored");
        }
    }

    private OffsetAndMetadata committed() {
        return kafka.committed(Set.of(PARTITION)).get(PARTITION);
    }

    /**
     * Waits until the consumer has begun two more polls: the loop between them, with its commit
     * of what history settled, has run entirely after this call.
     */
    private void awaitTwoPolls() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        kafka.schedulePollTask(polls::incrementAndGet);
        kafka.schedulePollTask(polls::incrementAndGet);
        Daemon.await("two more polls", Duration.ofSeconds(10), () -> polls.get() == 2);
    }
}
