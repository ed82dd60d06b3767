package net.rampart.mitigation.policy;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.rampart.mitigation.rule.FlowAction;

/**
 * One step of a playbook.
 *
 * @param rateBps     for {@link StepAction#POLICE}: the rate in bits per second
 * @param routeTarget for {@link StepAction#REDIRECT}
 * @param dscp        for {@link StepAction#MARK}
 * @param escalation  empty for the first step, required for every later one
 */
public record PlaybookStep(StepAction action, OptionalLong rateBps, Optional<String> routeTarget, OptionalInt dscp,
                           Duration ttl, Optional<Escalation> escalation) {

    public FlowAction flowAction() {
        return switch (action) {
            case POLICE -> FlowAction.TrafficRate.bitsPerSecond(rateBps.orElseThrow());
            case DISCARD -> new FlowAction.Discard();
            case REDIRECT -> new FlowAction.Redirect(routeTarget.orElseThrow());
            case MARK -> new FlowAction.MarkDscp(dscp.orElseThrow());
        };
    }
}
