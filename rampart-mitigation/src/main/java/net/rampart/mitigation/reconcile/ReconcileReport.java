package net.rampart.mitigation.reconcile;

import java.util.Map;

/**
 * What one reconciliation pass did.
 *
 * @param expired   mitigations whose TTL ran out in this pass
 * @param desired   rules this POP should carry
 * @param sessions  per established peer: rules re-announced and orphans withdrawn
 */
public record ReconcileReport(int expired, int desired, Map<String, SessionRepair> sessions) {

    public record SessionRepair(int announced, int withdrawn) {
    }

    public int totalAnnounced() {
        return sessions.values().stream().mapToInt(SessionRepair::announced).sum();
    }

    public int totalWithdrawn() {
        return sessions.values().stream().mapToInt(SessionRepair::withdrawn).sum();
    }

    static ReconcileReport of(int expired, int desired, Map<String, SessionRepair> sessions) {
        return new ReconcileReport(expired, desired, Map.copyOf(sessions));
    }
}
