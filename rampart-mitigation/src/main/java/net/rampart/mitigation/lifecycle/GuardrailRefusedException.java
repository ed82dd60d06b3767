package net.rampart.mitigation.lifecycle;

import net.rampart.mitigation.guardrail.Refusal;

/** A guardrail refused the rule an event asked for; the API answers 422 naming it. */
public final class GuardrailRefusedException extends Exception {

    private final Refusal refusal;

    public GuardrailRefusedException(Refusal refusal) {
        super(refusal.guardrail() + ": " + refusal.detail());
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
