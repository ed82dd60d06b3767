package net.rampart.detect.alert;

/**
 * Hears of each alert's life; notification channels plug in here. Called on the detector's
 * thread, so an implementation hands the alert to its own queue and returns at once.
 */
public interface AlertListener {

    void opened(Alert alert);

    /** New evidence, an acknowledgement or an ignore. */
    void updated(Alert alert);

    /** The condition ended; the last timeline entry is the restoration notice. */
    void resolved(Alert alert);
}
