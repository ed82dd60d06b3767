package net.rampart.collector.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How route events flow to the history store.
 *
 * @param batchSize         events per database write
 * @param maxDelay          longest an accepted event waits for its batch to fill
 * @param queueCapacity     events held in memory before new ones go to the spool
 * @param spoolDirectory    where the on-disk spool lives
 * @param spoolBudgetBytes  disk the spool may use; beyond it, sessions must be closed
 * @param spoolSegmentBytes size at which the spool starts a new segment file
 * @param minBackoff        first wait after a failed write
 * @param maxBackoff        longest wait between retries
 * @param drainTimeout      how long a graceful stop keeps writing before spooling the rest
 * @param spoolWhenBehind   whether events that do not fit the queue go to the spool; when not, the
 *                          thread that hands them over waits for room, and a stop leaves what is
 *                          unwritten to the source: for a source that can be read again (Kafka),
 *                          which keeps the events meanwhile and is read again from the positions
 *                          stored with history
 */
public record HistorySettings(int batchSize, Duration maxDelay, int queueCapacity, Path spoolDirectory,
                              long spoolBudgetBytes, long spoolSegmentBytes, Duration minBackoff, Duration maxBackoff,
                              Duration drainTimeout, boolean spoolWhenBehind) {
    public HistorySettings {
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        if (batchSize < 1 || queueCapacity < batchSize) {
            throw new IllegalArgumentException("need 1 <= batchSize <= queueCapacity");
        }
        if (spoolSegmentBytes < 1024 || spoolBudgetBytes < spoolSegmentBytes) {
            throw new IllegalArgumentException("need 1 KiB <= spoolSegmentBytes <= spoolBudgetBytes");
        }
    }

    /**
     * Events the intake may hand to the spool thread ahead of it, beyond which it waits: four
     * spool records (a record is a batch), so that one is encoded while the next gather and a
     * pause of the spool thread does not stop the intake at once; no more than the queue holds,
     * as the hand-over joins the queue when the spool is read out.
     */
    public int spoolHandOverEvents() {
        return (int) Math.min(queueCapacity, 4L * batchSize);
    }

    /** Defaults for a spool under the given directory. */
    public static HistorySettings defaults(Path spoolDirectory) {
        return new HistorySettings(10_000, Duration.ofMillis(500), 200_000, spoolDirectory, 2L << 30, 64L << 20,
                Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(20), true);
    }

    public HistorySettings withBatch(int size, Duration delay) {
        return new HistorySettings(size, delay, Math.max(queueCapacity, size), spoolDirectory, spoolBudgetBytes,
                spoolSegmentBytes, minBackoff, maxBackoff, drainTimeout, spoolWhenBehind);
    }

    public HistorySettings withQueueCapacity(int capacity) {
        return new HistorySettings(batchSize, maxDelay, capacity, spoolDirectory, spoolBudgetBytes, spoolSegmentBytes,
                minBackoff, maxBackoff, drainTimeout, spoolWhenBehind);
    }

    public HistorySettings withSpool(long budgetBytes, long segmentBytes) {
        return new HistorySettings(batchSize, maxDelay, queueCapacity, spoolDirectory, budgetBytes, segmentBytes,
                minBackoff, maxBackoff, drainTimeout, spoolWhenBehind);
    }

    public HistorySettings withSpoolDirectory(java.nio.file.Path directory) {
        return new HistorySettings(batchSize, maxDelay, queueCapacity, directory, spoolBudgetBytes, spoolSegmentBytes,
                minBackoff, maxBackoff, drainTimeout, spoolWhenBehind);
    }

    public HistorySettings withBackoff(Duration min, Duration max, Duration drain) {
        return new HistorySettings(batchSize, maxDelay, queueCapacity, spoolDirectory, spoolBudgetBytes,
                spoolSegmentBytes, min, max, drain, spoolWhenBehind);
    }

    /** The same, with events waiting for room in the queue rather than spooled; see {@link #spoolWhenBehind}. */
    public HistorySettings withoutSpooling() {
        return new HistorySettings(batchSize, maxDelay, queueCapacity, spoolDirectory, spoolBudgetBytes,
                spoolSegmentBytes, minBackoff, maxBackoff, drainTimeout, false);
    }
}
