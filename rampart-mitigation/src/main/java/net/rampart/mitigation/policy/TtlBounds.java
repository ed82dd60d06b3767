package net.rampart.mitigation.policy;

import java.time.Duration;

/** The shortest and longest time a rule may be announced for. */
public record TtlBounds(Duration min, Duration max) {

    public TtlBounds {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("TTL bounds need 0 < min <= max, got " + min + " and " + max);
        }
    }

    public boolean allows(Duration ttl) {
        return ttl != null && ttl.compareTo(min) >= 0 && ttl.compareTo(max) <= 0;
    }
}
