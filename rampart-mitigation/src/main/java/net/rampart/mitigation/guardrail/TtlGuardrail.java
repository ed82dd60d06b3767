package net.rampart.mitigation.guardrail;

import java.util.Optional;
import net.rampart.mitigation.policy.TtlBounds;
import net.rampart.wire.DurationText;

/** Every rule has a TTL, and it lies within the configured bounds, so nothing stays forever by mistake. */
public final class TtlGuardrail implements Guardrail {

    private final TtlBounds bounds;

    public TtlGuardrail(TtlBounds bounds) {
        this.bounds = bounds;
    }

    @Override
    public String name() {
        return "ttl_bounds";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        if (p.ttl() == null) {
            return Optional.of("a TTL is required");
        }
        if (!bounds.allows(p.ttl())) {
            return Optional.of("TTL " + DurationText.format(p.ttl()) + " is outside "
                    + DurationText.format(bounds.min()) + " to " + DurationText.format(bounds.max()));
        }
        return Optional.empty();
    }
}
