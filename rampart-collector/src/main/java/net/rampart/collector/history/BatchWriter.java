package net.rampart.collector.history;

import java.util.List;
import net.rampart.collector.rib.RouteEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets each batch into the history store, whatever it takes: a failed write is retried with
 * exponential backoff until it succeeds or a stop's deadline passes. An event the store refuses
 * for its content is isolated by writing its batch in halves, handed to the store to keep aside,
 * counted, and skipped; only the first is logged at ERROR, so a router sending many such routes
 * cannot flood the log. Used by the writer thread alone.
 */
final class BatchWriter {
    // The recorder's name, as operators know its log lines (logger_name) and may set its level.
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    private final RouteHistoryWriter store;
    private final HistorySettings settings;
    private final StoreAvailability availability;
    private final StopDeadline stop;
    private final HistoryCounts counts;
    /** Whether a refused event was logged at ERROR; later ones go to DEBUG. */
    private boolean refusalLogged;

    BatchWriter(RouteHistoryWriter store, HistorySettings settings, StoreAvailability availability,
                StopDeadline stop, HistoryCounts counts) {
        this.store = store;
        this.settings = settings;
        this.availability = availability;
        this.stop = stop;
        this.counts = counts;
    }

    /**
     * Writes the events with the source positions that hold once they are written; returns
     * false when stopping past the deadline with the events still unwritten.
     */
    boolean write(List<RouteEvent> events, List<SourcePosition> positions) throws InterruptedException {
        return events.isEmpty() || writeWithRetry(events, positions);
    }

    /**
     * Writes events, retrying while the store is unavailable. When the store refuses them
     * for their content, the events are written in halves until the refused ones are found,
     * so only those are skipped; the positions go with the last half, and when that is a
     * refused event, with the next batch. Returns false when stopping past the deadline unwritten.
     */
    private boolean writeWithRetry(List<RouteEvent> events, List<SourcePosition> positions)
            throws InterruptedException {
        long backoff = settings.minBackoff().toMillis();
        while (true) {
            try {
                store.write(events, positions);
                counts.countWritten(events.size());
                availability.answered();
                return true;
            } catch (HistoryRejectedException e) {
                if (events.size() > 1) {
                    int half = events.size() / 2;
                    return writeWithRetry(events.subList(0, half), List.of())
                            && writeWithRetry(events.subList(half, events.size()), positions);
                }
                availability.answered();
                counts.countRejected();
                RouteEvent event = events.get(0);
                var line = refusalLogged ? log.atDebug() : log.atError();
                line.addKeyValue("event", "history_event_rejected").addKeyValue("router", event.router())
                        .addKeyValue("peer", event.peer()).addKeyValue("view", event.view())
                        .addKeyValue("route", event.key()).addKeyValue("reason", e.getMessage())
                        .log("route history store refused an event; it is skipped, the rest written"
                                + (refusalLogged ? "" : " (further refusals are counted, logged at DEBUG)"));
                refusalLogged = true;
                store.keepRefused(event, e);
                return true;
            } catch (HistoryUnavailableException | RuntimeException e) {
                availability.failed(events.size(), e);
            }
            if (!stop.pause(backoff)) {
                return false;
            }
            backoff = Math.min(settings.maxBackoff().toMillis(), backoff * 2);
        }
    }
}
