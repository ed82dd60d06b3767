package net.rampart.collector.history;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouterId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HistoryRecorderTest {
    @TempDir
    Path dir;

    /** A store that can be switched off and that remembers what it stored, in order, and what it kept aside. */
    static final class SwitchableStore implements RouteHistoryWriter {
        final AtomicBoolean up = new AtomicBoolean(true);
        final List<Long> stored = new CopyOnWriteArrayList<>();
        final List<Long> kept = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger largestBatch = new AtomicInteger();

        @Override
        public void write(List<RouteEvent> events) throws HistoryUnavailableException, HistoryRejectedException {
            if (!up.get()) {
                failures.incrementAndGet();
                throw new HistoryUnavailableException("switched off", null);
            }
            if (events.stream().anyMatch(e -> e.timeMillis() < 0)) {
                throw new HistoryRejectedException("poison", null);
            }
            largestBatch.accumulateAndGet(events.size(), Math::max);
            for (RouteEvent e : events) {
                stored.add(e.timeMillis());
            }
        }

        @Override
        public void keepRefused(RouteEvent event, HistoryRejectedException refusal) {
            kept.add(event.timeMillis());
        }
    }

    private static final PeerKey PEER;

    static {
        try {
            PEER = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final PathAttributes ATTRS = PathAttributes.builder().origin(0).build();

    /** Events numbered from..to-1; the number is the time, so order is easy to check. */
    static List<RouteEvent> events(long from, long to) {
        List<RouteEvent> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(new RouteEvent(i, new RouterId("r"), 1, PEER, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                    new Ipv4RouteKey((int) i << 8, 24, 0), i % 5 == 0 ? null : ATTRS));
        }
        return out;
    }

    static List<Long> numbers(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private HistorySettings settings() {
        return HistorySettings.defaults(dir.resolve("spool")).withBatch(100, Duration.ofMillis(20))
                .withQueueCapacity(300).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5));
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 30 s").isNegative();
            Thread.sleep(5);
        }
    }

    @Test
    void writesEverythingInOrderInBoundedBatches() throws Exception {
        SwitchableStore store = new SwitchableStore();
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            for (int i = 0; i < 20; i++) {
                recorder.onRouteEvents(events(i * 50L, i * 50L + 50));
            }
            await(() -> store.stored.size() == 1000);
            await(() -> recorder.queuedEvents() == 0 && recorder.spoolBytes() == 0 && recorder.lagMillis() == 0);
            assertThat(recorder.writtenEvents()).isEqualTo(1000);
        }
        assertThat(store.stored).isEqualTo(numbers(0, 1000));
        assertThat(store.largestBatch.get()).isLessThanOrEqualTo(100);
    }

    @Test
    void anOutageSpoolsAndTheBacklogDrainsInOrderWhenTheStoreReturns() throws Exception {
        SwitchableStore store = new SwitchableStore();
        store.up.set(false);
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            for (int i = 0; i < 40; i++) {
                recorder.onRouteEvents(events(i * 50L, i * 50L + 50));
            }
            await(() -> store.failures.get() >= 3);
            // Records of a batch each: all of them, from the spool thread.
            await(() -> recorder.spooledEvents() == 2000 - 300);
            assertThat(recorder.spoolBytes()).isPositive();
            assertThat(recorder.storeAvailable()).isFalse();
            assertThat(recorder.lagMillis()).isGreaterThanOrEqualTo(0);
            store.up.set(true);
            await(() -> store.stored.size() == 2000);
            // New events after the drain take the memory path again.
            await(() -> recorder.spoolBytes() == 0);
            recorder.onRouteEvents(events(2000, 2010));
            await(() -> store.stored.size() == 2010);
            assertThat(recorder.storeAvailable()).isTrue();
        }
        assertThat(store.stored).isEqualTo(numbers(0, 2010));
    }

    @Test
    void repeatedOutagesKeepTheOrderThroughTheSpoolThreadAndBack() throws Exception {
        SwitchableStore store = new SwitchableStore();
        long next = 0;
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            for (int outage = 0; outage < 3; outage++) {
                store.up.set(false);
                // Lists of 7, so records and the hand-over's bound (300) fall inside lists.
                for (int i = 0; i < 150; i++, next += 7) {
                    recorder.onRouteEvents(events(next, next + 7));
                }
                store.up.set(true);
                long written = next;
                await(() -> store.stored.size() == written && recorder.spoolBytes() == 0 && recorder.lagMillis() == 0);
            }
            assertThat(recorder.acceptedEvents()).isEqualTo(next);
            assertThat(recorder.writtenEvents()).isEqualTo(next);
            assertThat(recorder.spooledEvents()).as("each outage overflowed the queue").isPositive();
            assertThat(recorder.droppedEvents()).isZero();
        }
        assertThat(store.stored).isEqualTo(numbers(0, next));
    }

    @Test
    void aStopDuringAnOutageKeepsEverythingForTheNextStart() throws Exception {
        SwitchableStore down = new SwitchableStore();
        down.up.set(false);
        HistorySettings quickStop = settings().withBackoff(Duration.ofMillis(5), Duration.ofMillis(20),
                Duration.ofMillis(100));
        try (HistoryRecorder recorder = HistoryRecorder.start(down, quickStop, reason -> { })) {
            for (int i = 0; i < 10; i++) {
                recorder.onRouteEvents(events(i * 50L, i * 50L + 50));
            }
            await(() -> down.failures.get() >= 1);
        }
        assertThat(down.stored).isEmpty();

        SwitchableStore up = new SwitchableStore();
        try (HistoryRecorder recorder = HistoryRecorder.start(up, settings(), reason -> { })) {
            recorder.onRouteEvents(events(500, 520));
            await(() -> up.stored.size() == 520);
        }
        assertThat(up.stored).isEqualTo(numbers(0, 520));
    }

    @Test
    void anExhaustedSpoolDropsAndAsksForTheSessionsToCloseThenAgainOnceItIsReadOut() throws Exception {
        SwitchableStore store = new SwitchableStore();
        store.up.set(false);
        List<String> closeRequests = new CopyOnWriteArrayList<>();
        HistorySettings tiny = settings().withSpool(16 * 1024, 4 * 1024);
        try (HistoryRecorder recorder = HistoryRecorder.start(store, tiny, closeRequests::add)) {
            for (int i = 0; i < 100; i++) {
                recorder.onRouteEvents(events(i * 50L, i * 50L + 50));
            }
            // The spool thread finds the budget used up; all 100 batches of 50 are whole records.
            await(() -> recorder.spooledEvents() + recorder.droppedEvents() == 5000 - 300);
            assertThat(recorder.droppedEvents()).isPositive();
            assertThat(closeRequests).containsExactly(RouteBacklog.SPOOL_FULL);
            assertThat(recorder.spoolBytes()).isLessThanOrEqualTo(16 * 1024);
            store.up.set(true);
            long expected = recorder.acceptedEvents() - recorder.droppedEvents();
            await(() -> store.stored.size() == expected);
            // What routers resent while the spool was full was dropped as well: once it is read out,
            // they are asked once more, now that history can take what they send.
            await(() -> closeRequests.size() == 2);
            assertThat(closeRequests).containsExactly(RouteBacklog.SPOOL_FULL, RouteBacklog.CAUGHT_UP);
        }
    }

    @Test
    void onlyTheRefusedEventOfABatchIsSkipped() throws Exception {
        SwitchableStore store = new SwitchableStore();
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            List<RouteEvent> batch = new ArrayList<>(events(0, 100));
            batch.set(37, new RouteEvent(-1, new RouterId("r"), 1, PEER, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                    new Ipv4RouteKey(0, 0, 0), null));
            recorder.onRouteEvents(batch);
            await(() -> recorder.rejectedEvents() == 1 && store.stored.size() == 99);
            recorder.onRouteEvents(events(100, 200));
            await(() -> store.stored.size() == 199);
        }
        List<Long> expected = numbers(0, 200);
        expected.remove(Long.valueOf(37));
        assertThat(store.stored).isEqualTo(expected);
    }

    @Test
    void refusedEventsAreKeptAsideCountedAndLoggedOnceAtError() throws Exception {
        SwitchableStore store = new SwitchableStore();
        Logger logger = (Logger) LoggerFactory.getLogger(HistoryRecorder.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            List<RouteEvent> batch = new ArrayList<>(events(0, 100));
            // Negative times are what this store refuses: three poisoned events in one batch.
            for (int i : new int[] {10, 50, 90}) {
                batch.set(i, new RouteEvent(-i, new RouterId("r"), 1, PEER, RibView.ADJ_RIB_IN_PRE,
                        Family.IPV4_UNICAST, new Ipv4RouteKey(i << 8, 24, 0), null));
            }
            recorder.onRouteEvents(batch);
            await(() -> recorder.rejectedEvents() == 3 && store.stored.size() == 97);
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(store.kept).containsExactly(-10L, -50L, -90L);
        // A router sending many refused routes must not flood the log: the first at ERROR, the rest at DEBUG.
        assertThat(lines.list).filteredOn(e -> e.getLevel() == Level.ERROR)
                .filteredOn(e -> e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
                        .anyMatch(kv -> kv.key.equals("event") && "history_event_rejected".equals(kv.value)))
                .hasSize(1);
    }
}
