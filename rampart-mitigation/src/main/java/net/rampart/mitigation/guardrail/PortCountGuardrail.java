package net.rampart.mitigation.guardrail;

import java.util.Optional;

/** Routers compile each port into their filters; a rule lists at most this many. */
public final class PortCountGuardrail implements Guardrail {

    private final int maxPorts;

    public PortCountGuardrail(int maxPorts) {
        this.maxPorts = maxPorts;
    }

    @Override
    public String name() {
        return "port_count";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        int n = p.rule().match().destinationPorts().size();
        return n > maxPorts ? Optional.of(n + " destination ports, at most " + maxPorts) : Optional.empty();
    }
}
