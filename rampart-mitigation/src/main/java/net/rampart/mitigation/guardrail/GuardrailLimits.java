package net.rampart.mitigation.guardrail;

import java.time.Duration;
import net.rampart.mitigation.policy.TtlBounds;

/**
 * The numbers the guardrails enforce. Defaults suit a small network; every one is a setting.
 *
 * @param minPrefixLengthV4 the widest IPv4 destination a rule may have (e.g. 24: nothing wider than a /24)
 * @param minPrefixLengthV6 the widest IPv6 destination
 */
public record GuardrailLimits(TtlBounds ttl, int minPrefixLengthV4, int minPrefixLengthV6, int maxPorts,
                              int maxPerCustomer, int maxPerPop, int maxGlobal, int maxNewRulesPerMinute,
                              int maxAnnouncementsPerPeer) {

    public static GuardrailLimits defaults() {
        return new GuardrailLimits(new TtlBounds(Duration.ofMinutes(1), Duration.ofHours(24)), 24, 48, 8, 20, 200,
                1000, 60, 2000);
    }

    public GuardrailLimits {
        if (minPrefixLengthV4 < 0 || minPrefixLengthV4 > 32) {
            throw new IllegalArgumentException("IPv4 prefix length limit must be 0-32");
        }
        if (minPrefixLengthV6 < 0 || minPrefixLengthV6 > 128) {
            throw new IllegalArgumentException("IPv6 prefix length limit must be 0-128");
        }
        if (maxPorts < 1 || maxPerCustomer < 1 || maxPerPop < 1 || maxGlobal < 1 || maxNewRulesPerMinute < 1
                || maxAnnouncementsPerPeer < 1) {
            throw new IllegalArgumentException("every guardrail count must be at least 1");
        }
    }
}
