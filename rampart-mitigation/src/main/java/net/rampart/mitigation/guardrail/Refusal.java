package net.rampart.mitigation.guardrail;

/** A guardrail's no: {@code guardrail} names it (as in the API's 422 answer), {@code detail} says why. */
public record Refusal(String guardrail, String detail) {
}
