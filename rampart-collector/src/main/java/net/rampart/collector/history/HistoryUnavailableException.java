package net.rampart.collector.history;

/** The route history store could not take a batch now; the batch may be retried unchanged. */
public class HistoryUnavailableException extends Exception {
    public HistoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
