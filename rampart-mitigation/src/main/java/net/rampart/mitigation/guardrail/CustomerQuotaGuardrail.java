package net.rampart.mitigation.guardrail;

import java.util.Optional;
import net.rampart.mitigation.policy.Customer;

/** One customer cannot use up the routers' filter space: at most N active mitigations each. */
public final class CustomerQuotaGuardrail implements Guardrail {

    private final ActiveMitigationCounts counts;
    private final int defaultMax;

    public CustomerQuotaGuardrail(ActiveMitigationCounts counts, int defaultMax) {
        this.counts = counts;
        this.defaultMax = defaultMax;
    }

    @Override
    public String name() {
        return "customer_quota";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        if (!p.newRule() || p.customer().isEmpty()) {
            return Optional.empty();
        }
        Customer c = p.customer().get();
        int max = c.maxMitigations().orElse(defaultMax);
        int active = counts.forCustomer(c.id());
        return active >= max
                ? Optional.of("customer '" + c.id() + "' has " + active + " active mitigations, at most " + max)
                : Optional.empty();
    }
}
