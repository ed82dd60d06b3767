package net.rampart.mitigation.lifecycle;

/**
 * Told of every change after it is saved: the announcer pushes the rule at once (reconciliation
 * repairs anything missed), notifiers send webhooks. Called on the event's thread, so a
 * listener hands slow work to its own executor.
 */
public interface MitigationListener {

    enum Change {
        CREATED,
        EXTENDED,
        ESCALATED,
        WITHDRAWN,
        EXPIRED
    }

    /**
     * @param before the mitigation before the change, or null when it was just created
     */
    void changed(Change change, Mitigation before, Mitigation after);
}
