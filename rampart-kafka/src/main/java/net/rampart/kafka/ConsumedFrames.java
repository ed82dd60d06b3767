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
     * A frame history has some events of.
     *
     * @param offset   the frame's offset
     * @param before   its events history held before this run (where a crash left it)
     * @param recorded the numbers of the events recorded since, as pairs of first and count
     */
    private record Frame(long offset, long before, long[][] recorded) {

        /** How many of the frame's events are in history once {@code settled} events are settled. */
        long settled(long settled) {
            long done = before;
            for (long[] run : recorded) {
                done += Math.clamp(settled - run[0], 0, run[1]);
            }
            return done;
        }

        long events() {
            long events = before;
            for (long[] run : recorded) {
                events += run[1];
            }
            return events;
        }

        /** The number after the frame's last event; 0 for a frame with none recorded. */
        long end() {
            return recorded.length == 0 ? 0 : recorded[recorded.length - 1][0] + recorded[recorded.length - 1][1];
        }
    }

    private final String source;
    private final Map<TopicPartition, ArrayDeque<Frame>> frames = new HashMap<>();
    /** The offset after the last frame let go of in each partition. */
    private final Map<TopicPartition, Long> settledBefore = new HashMap<>();

    /** @param source the source's name in the positions ({@code kafka:<group>/<topic>}) */
    ConsumedFrames(String source) {
        this.source = source;
    }

    /**
     * Notes a frame applied after those before it in its partition.
     *
     * @param before   events of it history held already (of the frame where history ended)
     * @param recorded the numbers of the events recorded now, as {@link ReplayFilter#takeRecorded} gives them
     */
    synchronized void add(TopicPartition partition, long offset, long before, long[][] recorded) {
        frames.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(new Frame(offset, before, recorded));
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
            long done = frame.settled(settled);
            if (done < frame.events()) {
                return new SourcePosition(source, partition.partition(), frame.offset(), done);
            }
            next = frame.offset() + 1;
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
            while (!noted.isEmpty() && noted.getFirst().settled(settled) == noted.getFirst().events()) {
                long next = noted.removeFirst().offset() + 1;
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
