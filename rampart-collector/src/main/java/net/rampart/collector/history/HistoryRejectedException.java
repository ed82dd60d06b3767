package net.rampart.collector.history;

/**
 * The route history store refused a batch for its content, not its own state: retrying the
 * same batch would fail the same way.
 */
public class HistoryRejectedException extends Exception {
    public HistoryRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
