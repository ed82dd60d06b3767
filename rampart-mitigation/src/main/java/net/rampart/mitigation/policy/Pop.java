package net.rampart.mitigation.policy;

import java.util.OptionalInt;

/**
 * A point of presence: one Rampart instance and the routers it speaks BGP to.
 *
 * @param maxMitigations this POP's quota of active mitigations, replacing the default
 */
public record Pop(String name, String description, OptionalInt maxMitigations) {
}
