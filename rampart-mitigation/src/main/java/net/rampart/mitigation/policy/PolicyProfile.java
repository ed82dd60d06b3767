package net.rampart.mitigation.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * How hard a customer wants to be defended. Playbooks may be limited to some profiles, so an
 * operator can give strict customers a faster path to discard than relaxed ones.
 */
public enum PolicyProfile {
    STRICT,
    NORMAL,
    RELAXED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PolicyProfile> fromWireName(String s) {
        for (PolicyProfile p : values()) {
            if (p.wireName().equals(s)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
