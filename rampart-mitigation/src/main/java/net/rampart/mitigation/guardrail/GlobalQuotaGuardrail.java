package net.rampart.mitigation.guardrail;

import java.util.Optional;

/** At most N active mitigations across every POP sharing the database. */
public final class GlobalQuotaGuardrail implements Guardrail {

    private final ActiveMitigationCounts counts;
    private final int max;

    public GlobalQuotaGuardrail(ActiveMitigationCounts counts, int max) {
        this.counts = counts;
        this.max = max;
    }

    @Override
    public String name() {
        return "global_quota";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        if (!p.newRule()) {
            return Optional.empty();
        }
        int active = counts.global();
        return active >= max ? Optional.of(active + " active mitigations, at most " + max) : Optional.empty();
    }
}
