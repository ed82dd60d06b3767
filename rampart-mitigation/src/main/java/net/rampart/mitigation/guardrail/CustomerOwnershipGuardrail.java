package net.rampart.mitigation.guardrail;

import java.util.Optional;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;

/** Rampart only filters traffic to addresses its customers own, and only within the owner's prefixes. */
public final class CustomerOwnershipGuardrail implements Guardrail {

    @Override
    public String name() {
        return "victim_not_in_inventory";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        if (p.customer().isEmpty()) {
            return Optional.of(AddressText.of(p.victim()) + " is not inside any customer's prefixes");
        }
        IpPrefix dst = p.rule().match().destination();
        boolean covered = p.customer().get().prefixes().stream().anyMatch(prefix -> prefix.covers(dst));
        if (!covered) {
            return Optional.of("destination " + dst + " is not inside customer '" + p.customer().get().id()
                    + "' prefixes");
        }
        return Optional.empty();
    }
}
