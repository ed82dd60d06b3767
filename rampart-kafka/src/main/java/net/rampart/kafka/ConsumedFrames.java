package net.rampart.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rampart.collector.history.SourcePosition;
import org.apache.kafka.common.TopicPartition;

/**
 * The frames read and applied, each with the numbers route history gave its events, until
 * history has settled them: from them, where history ends in each partition for any count of
 * settled events. The consumer thread adds frames and lets settled ones go; route history's
 * writer thread asks for the positions its batch completes, to store with the batch.
 */
final class ConsumedFrames {

    /**
     * A frame read and applied, or being applied.
     *
     * <p>Its runs are noted as history numbers them, before its writer can take them; a frame
     * still being applied may get more, so it counts as wholly stored only once complete.
     */
    private static final class Frame {
        final long offset;
        /** Its events history held before this run (where a crash left it). */
        final long before;
        /** The numbers of the events recorded since, as pairs of first and count. */
        final List<long[]> recorded = new ArrayList<>(1);
        boolean complete;

        Frame(long offset, long before) {
            this.offset = offset;
            this.before = before;
        }

        /** How many of the frame's events are in history once {@code settled} events are settled. */
        long settled(long settled) {
            long done = before;
            for (long[] run : recorded) {
                done += Math.clamp(settled - run[0], 0, run[1]);
            }
            return done;
        }

        /** Whether it is complete and all its events are in history. */
        boolean stored(long settled) {
            if (!complete) {
                return false;
            }
            for (long[] run : recorded) {
                if (settled < run[0] + run[1]) {
                    return false;
                }
            }
            return true;
        }

        /** The number after the frame's last event; 0 for a frame with none recorded. */
        long end() {
            return recorded.isEmpty() ? 0 : recorded.getLast()[0] + recorded.getLast()[1];
        }
    }

    private final String source;
    private final Map<TopicPartition, ArrayDeque<Frame>> frames = new HashMap<>();
    /** The frame being applied; null between frames. */
    private Frame current;
    /** The offset after the last frame let go of in each partition. */
    private final Map<TopicPartition, Long> settledBefore = new HashMap<>();

    /** @param source the source's name in the positions ({@code kafka:<group>/<topic>}) */
    ConsumedFrames(String source) {
        this.source = source;
    }

    /**
     * Notes a frame about to be applied, after those before it in its partition; its runs come
     * with {@link #recorded}, and {@link #complete} ends it.
     *
     * @param before events of it history held already (of the frame where history ended)
     */
    synchronized void begin(TopicPartition partition, long offset, long before) {
        current = new Frame(offset, before);
        frames.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(current);
    }

    /** Notes the numbers history gave a run of the current frame's events. */
    synchronized void recorded(long first, int count) {
        current.recorded.add(new long[] {first, count});
    }

    /** The current frame is applied: it has no more events to come. */
    synchronized void complete() {
        current.complete = true;
        current = null;
    }

    /** The number after the last event of every frame noted: all settled once history settles that many. */
    synchronized long end() {
        long end = 0;
        for (ArrayDeque<Frame> partition : frames.values()) {
            for (Frame frame : partition) {
                end = Math.max(end, frame.end());
            }
        }
        return end;
    }

    /**
     * Where history ends in each partition once {@code settled} events are settled: the first
     * frame not all in it and how many of its events are; empty when nothing was noted.
     */
    synchronized List<SourcePosition> positions(long settled) {
        List<SourcePosition> positions = new ArrayList<>();
        for (Map.Entry<TopicPartition, ArrayDeque<Frame>> partition : frames.entrySet()) {
            positions.add(position(partition.getKey(), partition.getValue(), settled));
        }
        return positions;
    }

    private SourcePosition position(TopicPartition partition, ArrayDeque<Frame> noted, long settled) {
        long next = settledBefore.getOrDefault(partition, -1L);
        for (Frame frame : noted) {
            if (!frame.stored(settled)) {
                return new SourcePosition(source, partition.partition(), frame.offset, frame.settled(settled));
            }
            next = frame.offset + 1;
        }
        return new SourcePosition(source, partition.partition(), next, 0);
    }

    /**
     * Lets go of the frames history has settled all events of, and says, for each partition
     * where that moved, the offset of the first frame it has not.
     */
    synchronized Map<TopicPartition, Long> letGoSettled(long settled) {
        Map<TopicPartition, Long> moved = new HashMap<>();
        for (Map.Entry<TopicPartition, ArrayDeque<Frame>> partition : frames.entrySet()) {
            ArrayDeque<Frame> noted = partition.getValue();
            while (!noted.isEmpty() && noted.getFirst().stored(settled)) {
                long next = noted.removeFirst().offset + 1;
                settledBefore.put(partition.getKey(), next);
                moved.put(partition.getKey(), next);
            }
        }
        return moved;
    }

    /** Forgets the partitions: they are another member's now. */
    synchronized void forget(Set<TopicPartition> partitions) {
        frames.keySet().removeAll(partitions);
        settledBefore.keySet().removeAll(partitions);
    }
}
