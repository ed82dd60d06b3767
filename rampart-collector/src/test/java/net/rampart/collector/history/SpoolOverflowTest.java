package net.rampart.collector.history;

import static net.rampart.collector.history.HistoryRecorderTest.events;
import static net.rampart.collector.history.HistoryRecorderTest.numbers;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.RouteEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolOverflowTest {
    @TempDir
    Path dir;

    private final HistoryCounts counts = new HistoryCounts();

    @Test
    void aFullSpoolIsReportedOncePerOverflow() throws Exception {
        // A budget no record fits in: every record is dropped.
        try (BatchSpool spool = BatchSpool.open(dir, 1, 1024)) {
            SpoolOverflow overflow = new SpoolOverflow(spool, 10, counts);
            assertThat(overflow.append(events(0, 10), 1)).as("the first drop").isTrue();
            assertThat(overflow.append(events(10, 20), 3)).as("the same overflow").isFalse();
            assertThat(counts.dropped()).isEqualTo(20);

            overflow.readOut();
            assertThat(overflow.append(events(20, 30), 4)).as("the first drop of the next overflow").isTrue();
            assertThat(counts.dropped()).isEqualTo(30);
            assertThat(counts.spooled()).isZero();
        }
    }

    @Test
    void anUnreadableRecordIsSkippedAndCountedAndTheRestReadInOrder() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            SpoolOverflow overflow = new SpoolOverflow(spool, 10, counts);
            overflow.append(events(0, 10), 100);
            spool.append(new byte[] {(byte) 0xFF}, 10, 200);
            overflow.append(events(10, 15), 300);
            assertThat(overflow.oldestAcceptedMillis()).as("no chunk being written").isZero();
            assertThat(counts.spooled()).isEqualTo(15);

            List<Long> read = new ArrayList<>();
            List<Long> acceptedWhileWriting = new ArrayList<>();
            BatchSpool.Chunk chunk;
            while ((chunk = overflow.read()) != null) {
                acceptedWhileWriting.add(overflow.oldestAcceptedMillis());
                for (RouteEvent e : overflow.events(chunk)) {
                    read.add(e.timeMillis());
                }
                overflow.commit(chunk);
            }
            assertThat(read).isEqualTo(numbers(0, 15));
            assertThat(acceptedWhileWriting).containsExactly(100L, 200L, 300L);
            assertThat(counts.rejected()).isEqualTo(1);
            assertThat(overflow.onDisk()).isFalse();
            assertThat(overflow.oldestAcceptedMillis()).as("all written").isZero();
        }
    }
}
