package net.rampart.mitigation.guardrail;

import java.util.Optional;

/** One safety check every rule must pass before it is announced. */
public interface Guardrail {

    /** The name reported when this guardrail refuses, e.g. {@code ttl_bounds}. */
    String name();

    /** Why the proposal is refused, or empty when it may go ahead. */
    Optional<String> refuse(RuleProposal proposal);

    /** Called once a proposal passed every guardrail and was applied. */
    default void accepted(RuleProposal proposal) {
    }
}
