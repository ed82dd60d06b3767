package net.rampart.mitigation.policy;

import java.time.Duration;

/**
 * When a mitigation may move on to a step: the attack has lasted at least
 * {@code minPersistence} since its first event, and the latest event's confidence is at
 * least {@code minConfidence} (an event without a confidence never escalates when
 * {@code minConfidence} is above zero).
 */
public record Escalation(Duration minPersistence, double minConfidence) {
}
