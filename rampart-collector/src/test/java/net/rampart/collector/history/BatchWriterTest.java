package net.rampart.collector.history;

import static net.rampart.collector.history.HistoryRecorderTest.events;
import static net.rampart.collector.history.HistoryRecorderTest.numbers;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.RouteEvent;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
    /** A store down for its first writes, then up; it refuses events with a negative time. */
    private static final class FlakyStore implements RouteHistoryWriter {
        final List<Long> stored = new ArrayList<>();
        final List<Long> kept = new ArrayList<>();
        int downFor;
        int failures;

        FlakyStore(int downFor) {
            this.downFor = downFor;
        }

        @Override
        public void write(List<RouteEvent> events) throws HistoryUnavailableException, HistoryRejectedException {
            if (downFor-- > 0) {
                failures++;
                throw new HistoryUnavailableException("down", null);
            }
            if (events.stream().anyMatch(e -> e.timeMillis() < 0)) {
                throw new HistoryRejectedException("poison", null);
            }
            for (RouteEvent e : events) {
                stored.add(e.timeMillis());
            }
        }

        @Override
        public void keepRefused(RouteEvent event, HistoryRejectedException refusal) {
            kept.add(event.timeMillis());
        }
    }

    private final HistoryCounts counts = new HistoryCounts();
    private final StoreAvailability availability = new StoreAvailability(System::nanoTime);
    private final StopDeadline stop = new StopDeadline();

    private BatchWriter writer(RouteHistoryWriter store) {
        HistorySettings settings = HistorySettings.defaults(Path.of("unused"))
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO);
        return new BatchWriter(store, settings, availability, stop, counts);
    }

    @Test
    void aFailedWriteIsRetriedUntilTheStoreTakesIt() throws Exception {
        FlakyStore store = new FlakyStore(3);
        assertThat(writer(store).write(events(0, 10), List.of())).isTrue();
        assertThat(store.failures).isEqualTo(3);
        assertThat(store.stored).isEqualTo(numbers(0, 10));
        assertThat(counts.written()).isEqualTo(10);
        assertThat(availability.available()).isTrue();
    }

    @Test
    void aRefusalIsAnAnswerSoItEndsAnOutage() throws Exception {
        FlakyStore store = new FlakyStore(1);
        RouteEvent event = events(0, 1).get(0);
        RouteEvent poisoned = new RouteEvent(-1, event.router(), event.session(), event.peer(), event.view(),
                event.family(), event.key(), event.attributes());
        assertThat(writer(store).write(List.of(poisoned), List.of())).isTrue();
        assertThat(store.kept).containsExactly(-1L);
        assertThat(counts.rejected()).isEqualTo(1);
        assertThat(availability.available()).isTrue();
        assertThat(availability.makingProgress()).isTrue();
    }

    @Test
    void pastTheStopDeadlineAFailingWriteIsGivenUp() throws Exception {
        FlakyStore store = new FlakyStore(Integer.MAX_VALUE);
        stop.ask(Duration.ZERO);
        assertThat(writer(store).write(events(0, 10), List.of())).isFalse();
        assertThat(store.failures).isPositive();
        assertThat(store.stored).isEmpty();
        assertThat(counts.written()).isZero();
        assertThat(availability.available()).isFalse();
    }
}
