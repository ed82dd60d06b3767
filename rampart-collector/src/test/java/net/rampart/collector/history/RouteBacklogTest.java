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
import org.junit.jupiter.api.io.TempDir;

class RouteBacklogTest {
    @TempDir
    Path dir;

    private final HistoryCounts counts = new HistoryCounts();

    private HistorySettings settings() {
        return HistorySettings.defaults(dir).withBatch(100, Duration.ofMillis(20)).withQueueCapacity(300);
    }

    private RouteBacklog backlog(RouteSpool spool) {
        return new RouteBacklog(settings(), new SpoolOverflow(spool, 100, counts), new StopDeadline(), counts,
                () -> { });
    }

    /** Takes the next batch as the writer does, and commits it as written. */
    private static List<Long> writeNext(RouteBacklog backlog) throws Exception {
        RouteBacklog.Batch batch = backlog.next();
        backlog.commit(batch);
        List<Long> numbers = new ArrayList<>();
        for (RouteEvent e : batch.events()) {
            numbers.add(e.timeMillis());
        }
        return numbers;
    }

    @Test
    void whileAnythingIsSpooledNewEventsAreSpooledTooSoTheOrderIsKept() throws Exception {
        try (RouteSpool spool = RouteSpool.open(dir, 1 << 20, 1 << 16)) {
            RouteBacklog backlog = backlog(spool);
            for (int i = 0; i < 3; i++) {
                backlog.add(events(i * 100L, i * 100L + 100));
            }
            backlog.add(events(300, 400));
            assertThat(backlog.queuedEvents()).as("the queue was full").isEqualTo(300);
            assertThat(counts.spooled()).isEqualTo(100);

            List<Long> written = new ArrayList<>(writeNext(backlog));
            backlog.add(events(400, 410));
            assertThat(backlog.queuedEvents()).as("room in the queue, but the spool comes first").isEqualTo(200);
            for (int i = 0; i < 4; i++) {
                written.addAll(writeNext(backlog));
            }
            assertThat(written).isEqualTo(numbers(0, 410));

            // So that the writer, with nothing left, is told to stop instead of waiting.
            backlog.stopWriter();
            assertThat(backlog.next()).isNull();
            backlog.add(events(410, 420));
            assertThat(backlog.queuedEvents()).as("caught up: the memory path again").isEqualTo(10);
            assertThat(counts.spooled()).isEqualTo(110);
        }
    }

    @Test
    void closingPutsTheQueueAheadOfTheSpoolForTheNextStart() throws Exception {
        RouteBacklog backlog = backlog(RouteSpool.open(dir, 1 << 20, 1 << 16));
        for (int i = 0; i < 3; i++) {
            backlog.add(events(i * 100L, i * 100L + 100));
        }
        backlog.add(events(300, 450));
        backlog.add(events(450, 460));
        backlog.close();
        backlog.add(events(460, 470));
        assertThat(counts.dropped()).as("after close").isEqualTo(10);

        List<Long> next = new ArrayList<>();
        try (RouteSpool spool = RouteSpool.open(dir, 1 << 20, 1 << 16)) {
            RouteSpool.Chunk chunk;
            while ((chunk = spool.read(100)) != null) {
                for (byte[] payload : chunk.payloads()) {
                    for (RouteEvent e : RouteEventCodec.decode(payload)) {
                        next.add(e.timeMillis());
                    }
                }
                spool.commit(chunk);
            }
        }
        assertThat(next).isEqualTo(numbers(0, 460));
    }
}
