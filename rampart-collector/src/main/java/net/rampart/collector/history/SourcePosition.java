package net.rampart.collector.history;

/**
 * How far a source that can be read again (a Kafka topic read in a consumer group) had been read
 * when route history had all the events of what was read before: stored with those events, in
 * the same transaction, so that the source resumes exactly where history ends.
 *
 * @param source    the source's name, the same on every read of it ({@code kafka:<group>/<topic>})
 * @param partition the part of the source the position is in (a topic's partition)
 * @param next      the first offset of the part whose events history does not all hold
 * @param stored    how many of the events of the message at {@code next} history holds: the first
 *                  ones, in the order the RIB reports them
 */
public record SourcePosition(String source, int partition, long next, long stored) {
}
