package net.rampart.mitigation.guardrail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * At most N new rules in any 60 seconds: a detector gone wrong must not flood the routers.
 * Counts rules accepted by this instance (a sliding window over their creation times).
 */
public final class NewRuleRateGuardrail implements Guardrail {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final int maxPerMinute;
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();

    public NewRuleRateGuardrail(Clock clock, int maxPerMinute) {
        this.clock = clock;
        this.maxPerMinute = maxPerMinute;
    }

    @Override
    public String name() {
        return "new_rule_rate";
    }

    @Override
    public synchronized Optional<String> refuse(RuleProposal p) {
        if (!p.newRule()) {
            return Optional.empty();
        }
        forgetOlderThan(clock.instant().minus(WINDOW));
        return recent.size() >= maxPerMinute
                ? Optional.of(recent.size() + " new rules in the last minute, at most " + maxPerMinute)
                : Optional.empty();
    }

    @Override
    public synchronized void accepted(RuleProposal p) {
        if (p.newRule()) {
            recent.addLast(clock.instant());
        }
    }

    private void forgetOlderThan(Instant cutoff) {
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
            recent.removeFirst();
        }
    }
}
