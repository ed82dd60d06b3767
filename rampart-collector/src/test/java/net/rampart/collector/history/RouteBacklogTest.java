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

    private RouteBacklog backlog(BatchSpool spool) {
        return new RouteBacklog(settings(), new SpoolOverflow(spool, 100, counts), new StopDeadline(), counts,
                reason -> { });
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

    /** Reads everything a spool holds, in order, as the next start would. */
    private List<Long> readSpool() throws Exception {
        List<Long> next = new ArrayList<>();
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            BatchSpool.Chunk chunk;
            while ((chunk = spool.read(100)) != null) {
                for (byte[] payload : chunk.payloads()) {
                    for (RouteEvent e : RouteEventCodec.decode(payload)) {
                        next.add(e.timeMillis());
                    }
                }
                spool.commit(chunk);
            }
        }
        return next;
    }

    /** A router's thread handing events over, which may have to wait for room. */
    private static Thread producer(RouteBacklog backlog, List<RouteEvent> events) {
        return Thread.ofPlatform().name("producer").start(() -> backlog.add(events));
    }

    /** Waits until the thread waits: here, for room in the hand-over, the only place add() waits. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        HistoryRecorderTest.await(() -> thread.getState() == Thread.State.WAITING);
    }

    @Test
    void whileAnythingIsSpooledNewEventsAreSpooledTooSoTheOrderIsKept() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            RouteBacklog backlog = backlog(spool);
            for (int i = 0; i < 3; i++) {
                backlog.add(events(i * 100L, i * 100L + 100));
            }
            backlog.add(events(300, 400));
            assertThat(backlog.queuedEvents()).as("the queue was full").isEqualTo(300);
            assertThat(counts.spooled()).as("handed over, not encoded by the accepting thread").isZero();
            assertThat(backlog.spoolNext()).isTrue();
            assertThat(counts.spooled()).isEqualTo(100);

            List<Long> written = new ArrayList<>(writeNext(backlog));
            backlog.add(events(400, 410));
            assertThat(backlog.queuedEvents()).as("room in the queue, but the spool comes first").isEqualTo(200);
            for (int i = 0; i < 4; i++) {
                written.addAll(writeNext(backlog));
            }
            assertThat(written).isEqualTo(numbers(0, 410));
            assertThat(counts.spooled()).as("the partial record went from the hand-over to the queue").isEqualTo(100);

            // So that the writer, with nothing left, is told to stop instead of waiting.
            backlog.stopWriter();
            assertThat(backlog.next()).isNull();
            backlog.add(events(410, 420));
            assertThat(backlog.queuedEvents()).as("caught up: the memory path again").isEqualTo(10);
            assertThat(counts.accepted()).isEqualTo(420);
        }
    }

    @Test
    void aFullHandOverMakesTheProducerWaitForTheSpoolThread() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            RouteBacklog backlog = backlog(spool);
            for (int i = 0; i < 3; i++) {
                backlog.add(events(i * 100L, i * 100L + 100));
            }
            // The hand-over holds settings().spoolHandOverEvents() = 300 events; the list after them waits.
            for (int i = 3; i < 6; i++) {
                backlog.add(events(i * 100L, i * 100L + 100));
            }
            Thread producer = producer(backlog, events(600, 650));
            awaitWaiting(producer);
            assertThat(counts.accepted()).as("not accepted while it waits").isEqualTo(600);
            assertThat(backlog.handedOverEvents()).isEqualTo(300);
            assertThat(backlog.producersWaiting()).as("what /metrics shows of the held-back router").isEqualTo(1);

            assertThat(backlog.spoolNext()).as("one record appended, room for the waiting list").isTrue();
            producer.join();
            assertThat(backlog.producersWaiting()).isZero();
            assertThat(backlog.handedOverEvents()).as("two records' worth left, and the list that waited")
                    .isEqualTo(250);
            assertThat(counts.accepted()).isEqualTo(650);
            assertThat(counts.spooled()).isEqualTo(100);

            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                written.addAll(writeNext(backlog));
            }
            assertThat(written).as("the queue, then the spool").isEqualTo(numbers(0, 400));
            for (int i = 0; i < 3; i++) {
                written.addAll(writeNext(backlog));
            }
            assertThat(written).as("then the hand-over, which joined the queue").isEqualTo(numbers(0, 650));
            assertThat(counts.spooled()).isEqualTo(100);
        }
    }

    @Test
    void aPartialRecordIsAppendedWhenAProducerWaitsForRoom() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            RouteBacklog backlog = backlog(spool);
            for (int i = 0; i < 3; i++) {
                backlog.add(events(i * 100L, i * 100L + 100));
            }
            backlog.add(events(300, 350));
            // Larger than the room left, and the hand-over holds less than a record.
            Thread producer = producer(backlog, events(350, 650));
            awaitWaiting(producer);
            assertThat(backlog.spoolNext()).isTrue();
            producer.join();
            assertThat(counts.spooled()).as("the partial record, to make room").isEqualTo(50);
            assertThat(counts.accepted()).isEqualTo(650);
        }
    }

    @Test
    void closingPutsTheQueueAheadOfTheSpoolForTheNextStart() throws Exception {
        RouteBacklog backlog = backlog(BatchSpool.open(dir, 1 << 20, 1 << 16));
        for (int i = 0; i < 3; i++) {
            backlog.add(events(i * 100L, i * 100L + 100));
        }
        backlog.add(events(300, 400));
        assertThat(backlog.spoolNext()).isTrue();
        // Handed over, not taken by the spool thread yet.
        backlog.add(events(400, 450));
        backlog.add(events(450, 460));
        backlog.close();
        backlog.add(events(460, 470));
        assertThat(counts.dropped()).as("after close").isEqualTo(10);
        assertThat(counts.spooled()).as("the hand-over too").isEqualTo(160);
        assertThat(backlog.spoolNext()).as("the spool thread stops").isFalse();

        assertThat(readSpool()).isEqualTo(numbers(0, 460));
    }

    @Test
    void closingRefusesAProducerWaitingForRoomAndSpoolsWhatWasAccepted() throws Exception {
        RouteBacklog backlog = backlog(BatchSpool.open(dir, 1 << 20, 1 << 16));
        for (int i = 0; i < 6; i++) {
            backlog.add(events(i * 100L, i * 100L + 100));
        }
        Thread producer = producer(backlog, events(600, 650));
        awaitWaiting(producer);
        backlog.close();
        producer.join();
        assertThat(counts.accepted()).isEqualTo(600);
        assertThat(counts.dropped()).as("arrived as the recorder closed").isEqualTo(50);

        assertThat(readSpool()).isEqualTo(numbers(0, 600));
    }
}
