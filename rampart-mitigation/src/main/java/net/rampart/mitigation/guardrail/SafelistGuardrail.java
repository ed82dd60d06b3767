package net.rampart.mitigation.guardrail;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.wire.ip.IpPrefix;

/**
 * Never filter a safelisted address: a rule is refused when its destination and a safelist
 * entry overlap in either direction (the entry covers the destination, or the destination
 * covers the entry), for IPv4 and IPv6 alike.
 */
public final class SafelistGuardrail implements Guardrail {

    private final Supplier<List<SafelistEntry>> safelist;

    public SafelistGuardrail(Supplier<List<SafelistEntry>> safelist) {
        this.safelist = safelist;
    }

    @Override
    public String name() {
        return "safelist";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        IpPrefix dst = p.rule().match().destination();
        for (SafelistEntry e : safelist.get()) {
            if (e.prefix().covers(dst) || dst.covers(e.prefix())) {
                return Optional.of(dst + " overlaps safelisted " + e.prefix()
                        + (e.reason().isEmpty() ? "" : " (" + e.reason() + ")"));
            }
        }
        return Optional.empty();
    }
}
