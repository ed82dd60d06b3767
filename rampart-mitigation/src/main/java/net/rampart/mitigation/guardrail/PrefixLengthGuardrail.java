package net.rampart.mitigation.guardrail;

import java.util.Optional;
import net.rampart.wire.ip.IpPrefix;

/** The destination is specific enough: a rule for a whole /8 would take down far more than the victim. */
public final class PrefixLengthGuardrail implements Guardrail {

    private final int minLengthV4;
    private final int minLengthV6;

    public PrefixLengthGuardrail(int minLengthV4, int minLengthV6) {
        this.minLengthV4 = minLengthV4;
        this.minLengthV6 = minLengthV6;
    }

    @Override
    public String name() {
        return "prefix_length";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        IpPrefix dst = p.rule().match().destination();
        int min = dst.isIpv4() ? minLengthV4 : minLengthV6;
        if (dst.length() < min) {
            return Optional.of("destination " + dst + " is wider than /" + min);
        }
        return Optional.empty();
    }
}
