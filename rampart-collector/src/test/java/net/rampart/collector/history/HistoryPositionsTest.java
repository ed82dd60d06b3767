package net.rampart.collector.history;

import static net.rampart.collector.history.HistoryRecorderTest.await;
import static net.rampart.collector.history.HistoryRecorderTest.events;
import static net.rampart.collector.history.HistoryRecorderTest.numbers;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import net.rampart.collector.rib.RouteEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route history fed by a source that can be read again: nothing spooled, the source held back
 * instead, and each write carrying the position its events complete.
 */
class HistoryPositionsTest {
    @TempDir
    Path dir;

    /** One write the store took: how many events it had stored after it, and the positions that came with it. */
    private record Write(int storedAfter, List<SourcePosition> positions) {
    }

    /** A store that can be switched off, refuses events with a negative time, and notes every write. */
    private static final class PositionStore implements RouteHistoryWriter {
        final AtomicBoolean up = new AtomicBoolean(true);
        final List<Long> stored = new CopyOnWriteArrayList<>();
        final List<Write> writes = new CopyOnWriteArrayList<>();

        @Override
        public void write(List<RouteEvent> events) {
            throw new AssertionError("a recorder that follows positions writes them with the events");
        }

        @Override
        public void write(List<RouteEvent> events, List<SourcePosition> positions)
                throws HistoryUnavailableException, HistoryRejectedException {
            if (!up.get()) {
                throw new HistoryUnavailableException("switched off", null);
            }
            if (events.stream().anyMatch(e -> e.timeMillis() < 0)) {
                throw new HistoryRejectedException("poison", null);
            }
            events.forEach(e -> stored.add(e.timeMillis()));
            writes.add(new Write(stored.size(), positions));
        }
    }

    private HistorySettings settings() {
        return HistorySettings.defaults(dir.resolve("spool")).withBatch(100, Duration.ofMillis(20))
                .withQueueCapacity(300).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(200))
                .withoutSpooling();
    }

    /** The position after {@code settled} events: the count itself, so that a test can check it exactly. */
    private static List<SourcePosition> position(long settled) {
        return List.of(new SourcePosition("kafka:stores/openbmp.bmp_raw", 0, settled, 0));
    }

    @Test
    void aFullQueueHoldsTheSourceBackAndEachWriteCarriesThePositionItsEventsComplete() throws Exception {
        PositionStore store = new PositionStore();
        store.up.set(false);
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            recorder.followPositions(HistoryPositionsTest::position);
            Thread source = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    recorder.onRouteEvents(events(i * 50L, i * 50L + 50));
                }
            });
            await(() -> recorder.producersWaiting() == 1);
            assertThat(recorder.queuedEvents()).isEqualTo(300);
            assertThat(recorder.spooledEvents()).isZero();
            assertThat(recorder.spoolBytes()).isZero();

            store.up.set(true);
            source.join();
            await(() -> store.stored.size() == 500);
            assertThat(recorder.settledEvents()).isEqualTo(500);
        }
        assertThat(store.stored).isEqualTo(numbers(0, 500));
        assertThat(store.writes).allSatisfy(write -> assertThat(write.positions()).isEqualTo(position(write.storedAfter())));
    }

    @Test
    void aRefusedEventsPositionGoesWithTheLastHalfOfItsBatch() throws Exception {
        PositionStore store = new PositionStore();
        List<RouteEvent> batch = new ArrayList<>(events(0, 100));
        RouteEvent poisoned = batch.get(10);
        batch.set(10, new RouteEvent(-1, poisoned.router(), poisoned.session(), poisoned.peer(), poisoned.view(),
                poisoned.family(), poisoned.key(), poisoned.attributes()));
        try (HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { })) {
            recorder.followPositions(HistoryPositionsTest::position);
            recorder.onRouteEvents(batch);
            await(() -> recorder.settledEvents() == 100);
        }
        assertThat(store.stored).hasSize(99).doesNotContain(-1L);
        // Only the write that ends the batch says the source may resume after it.
        assertThat(store.writes.stream().filter(w -> !w.positions().isEmpty()).toList())
                .singleElement().satisfies(w -> {
                    assertThat(w.storedAfter()).isEqualTo(99);
                    assertThat(w.positions()).isEqualTo(position(100));
                });
        assertThat(store.writes.getLast().positions()).isNotEmpty();
    }

    @Test
    void eventsAreNumberedInTheOrderAcceptedAndSettledUpToANumber() throws Exception {
        PositionStore store = new PositionStore();
        HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { });
        List<Long> numbers = new CopyOnWriteArrayList<>();
        recorder.record(events(0, 3), numbers::add);
        recorder.record(events(3, 5), numbers::add);
        assertThat(numbers).containsExactly(0L, 3L);
        await(() -> recorder.settledEvents() == 5);
        recorder.close();
        recorder.record(events(5, 6), numbers::add);
        assertThat(numbers).as("closed: not accepted, not numbered").containsExactly(0L, 3L);
        assertThat(store.stored).isEqualTo(numbers(0, 5));
    }

    @Test
    void aStopLeavesWhatIsNotWrittenToTheSourceAndNothingToTheSpool() throws Exception {
        PositionStore store = new PositionStore();
        store.up.set(false);
        HistoryRecorder recorder = HistoryRecorder.start(store, settings(), reason -> { });
        recorder.onRouteEvents(events(0, 200));
        recorder.close();
        assertThat(recorder.spoolBytes()).isZero();
        assertThat(recorder.settledEvents()).isZero();

        PositionStore next = new PositionStore();
        try (HistoryRecorder reopened = HistoryRecorder.start(next, settings(), reason -> { })) {
            assertThat(reopened.spoolBytes()).as("nothing left on disk for the next start").isZero();
        }
        assertThat(next.stored).isEmpty();
    }
}
