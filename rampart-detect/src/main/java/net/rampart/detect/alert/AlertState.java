package net.rampart.detect.alert;

/** Where an alert is in its life: open, then acknowledged or ignored by someone, and in the end resolved. */
public enum AlertState {
    OPEN,
    ACKNOWLEDGED,
    /** Someone said it does not matter: it keeps its evidence quietly and resolves quietly. */
    IGNORED,
    /** The condition ended; final. If it returns, a new alert opens. */
    RESOLVED;

    public boolean active() {
        return this != RESOLVED;
    }
}
