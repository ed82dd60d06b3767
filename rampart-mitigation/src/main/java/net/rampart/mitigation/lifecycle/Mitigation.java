package net.rampart.mitigation.lifecycle;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.rule.FlowSpecRule;

/**
 * The response to one attack on one victim: the rule in force, the playbook step it came from,
 * and its timeline. Immutable; every change produces a new value that is saved.
 *
 * @param stepIndex     the playbook step whose action {@link #rule()} carries
 * @param eventCount    events correlated into this mitigation
 * @param lastConfidence the confidence of the latest event that had one
 * @param dryRun        created in dry-run mode: recorded but never announced
 * @param endedBy       who ended it (a detector, an operator, {@code system} for TTL expiry), or null
 * @param endReason     why it ended, or null while active
 */
public record Mitigation(
        String id,
        String pop,
        String customerId,
        InetAddress victim,
        AttackVector vector,
        String playbook,
        int stepIndex,
        FlowSpecRule rule,
        MitigationStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant firstEventAt,
        Instant lastEventAt,
        int eventCount,
        OptionalDouble lastConfidence,
        boolean dryRun,
        Instant endedAt,
        String endedBy,
        String endReason) {

    public Mitigation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pop, "pop");
        Objects.requireNonNull(victim, "victim");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastConfidence, "lastConfidence");
    }

    /** Active, not yet past its TTL, and not a dry run: what the routers should carry. */
    public boolean shouldBeAnnounced(Instant now) {
        return status.isActive() && !dryRun && expiresAt.isAfter(now);
    }

    Mitigation withEvent(Instant at, Instant attackStart, OptionalDouble confidence, Instant newExpiry) {
        return new Mitigation(id, pop, customerId, victim, vector, playbook, stepIndex, rule, status, createdAt, at,
                newExpiry, attackStart, at, eventCount + 1, confidence.isPresent() ? confidence : lastConfidence,
                dryRun, endedAt, endedBy, endReason);
    }

    Mitigation withRule(int newStep, FlowSpecRule newRule) {
        return new Mitigation(id, pop, customerId, victim, vector, playbook, newStep, newRule, status, createdAt,
                updatedAt, expiresAt, firstEventAt, lastEventAt, eventCount, lastConfidence, dryRun, endedAt,
                endedBy, endReason);
    }

    Mitigation ended(MitigationStatus newStatus, Instant at, String by, String reason) {
        return new Mitigation(id, pop, customerId, victim, vector, playbook, stepIndex, rule, newStatus, createdAt,
                at, expiresAt, firstEventAt, lastEventAt, eventCount, lastConfidence, dryRun, at, by, reason);
    }
}
