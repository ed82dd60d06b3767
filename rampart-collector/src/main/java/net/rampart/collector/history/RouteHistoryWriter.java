package net.rampart.collector.history;

import java.util.List;
import net.rampart.collector.rib.RouteEvent;

/**
 * Durable storage of route history, implemented by the store. A call either makes the whole
 * batch durable (history rows and current-route state) or fails and changes nothing, so the
 * caller can retry the same batch.
 */
public interface RouteHistoryWriter {
    /**
     * Writes the events, in order, in one transaction.
     *
     * @throws HistoryUnavailableException when the store cannot take the batch now (down, slow, full)
     * @throws HistoryRejectedException     when the store will never take this batch
     */
    void write(List<RouteEvent> events) throws HistoryUnavailableException, HistoryRejectedException;

    /**
     * Writes the events and, in the same transaction, where their sources had been read; a
     * source resumes from the positions stored last. Stores that keep no positions take none.
     */
    default void write(List<RouteEvent> events, List<SourcePosition> positions)
            throws HistoryUnavailableException, HistoryRejectedException {
        if (!positions.isEmpty()) {
            throw new IllegalStateException("this history store keeps no source positions");
        }
        write(events);
    }

    /**
     * Keeps an event the store refused, once the batch that held it has been split down to it,
     * where an operator can find it with the reason (the store's {@code refused_row} table); the
     * event is not written to history. Must not throw: a failure to keep it is the store's to log.
     * Nothing is kept by default, for stores with nowhere to put it.
     *
     * @param refusal what {@link #write} threw for this event alone
     */
    default void keepRefused(RouteEvent event, HistoryRejectedException refusal) {
    }
}
