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
}
