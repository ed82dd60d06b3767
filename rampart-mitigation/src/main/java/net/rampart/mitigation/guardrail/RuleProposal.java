package net.rampart.mitigation.guardrail;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import net.rampart.mitigation.policy.Customer;
import net.rampart.mitigation.rule.FlowSpecRule;

/**
 * A rule Rampart is about to announce, with what the guardrails need to judge it.
 *
 * @param customer   the customer owning the victim, if any
 * @param newRule    true for a new mitigation; false when an active one changes its rule
 *                   (escalation, wider ports), which does not count against quotas and rates again
 */
public record RuleProposal(FlowSpecRule rule, Duration ttl, InetAddress victim, Optional<Customer> customer,
                           String pop, boolean newRule) {
}
