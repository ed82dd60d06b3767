package net.rampart.mitigation.lifecycle;

/** Where a mitigation is in its life. Only {@link #ACTIVE} ones are announced. */
public enum MitigationStatus {
    ACTIVE,
    /** Ended by an unban event or an operator. */
    WITHDRAWN,
    /** Ended because its TTL ran out. */
    EXPIRED;

    public boolean isActive() {
        return this == ACTIVE;
    }
}
