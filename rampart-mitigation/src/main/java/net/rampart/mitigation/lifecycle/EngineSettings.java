package net.rampart.mitigation.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * @param pop               this instance's POP name; mitigations it creates carry it
 * @param dryRun            record and decide everything, announce nothing
 * @param correlationWindow an event more than this long after the previous one for the same
 *                          victim and vector starts the attack's persistence clock again
 */
public record EngineSettings(String pop, boolean dryRun, Duration correlationWindow) {

    public EngineSettings {
        Objects.requireNonNull(pop, "pop");
        if (correlationWindow.isNegative() || correlationWindow.isZero()) {
            throw new IllegalArgumentException("correlation window must be positive");
        }
    }
}
