package net.rampart.mitigation.guardrail;

import java.util.Optional;
import java.util.function.ToIntFunction;

/** At most N active mitigations announced from one POP. */
public final class PopQuotaGuardrail implements Guardrail {

    private final ActiveMitigationCounts counts;
    private final ToIntFunction<String> maxForPop;

    /** @param maxForPop the quota of a POP by name (a POP's own quota, else the default) */
    public PopQuotaGuardrail(ActiveMitigationCounts counts, ToIntFunction<String> maxForPop) {
        this.counts = counts;
        this.maxForPop = maxForPop;
    }

    @Override
    public String name() {
        return "pop_quota";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        if (!p.newRule()) {
            return Optional.empty();
        }
        int max = maxForPop.applyAsInt(p.pop());
        int active = counts.forPop(p.pop());
        return active >= max
                ? Optional.of("POP '" + p.pop() + "' has " + active + " active mitigations, at most " + max)
                : Optional.empty();
    }
}
