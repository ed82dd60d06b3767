package net.rampart.collector.history;

import java.util.List;

/** Where a re-readable source had got when route history had accepted a given number of its events. */
@FunctionalInterface
public interface SourcePositions {

    /** For stores fed by no such source. */
    SourcePositions NONE = settled -> List.of();

    /**
     * The positions that history holds everything before once the first {@code settled} events
     * it accepted since start are stored or refused; empty when there is nothing to store. Called
     * by the writer thread for each batch, possibly again for the same batch after a failed write.
     */
    List<SourcePosition> settledBy(long settled);
}
