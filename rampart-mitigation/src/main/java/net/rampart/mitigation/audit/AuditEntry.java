package net.rampart.mitigation.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change or refusal, attributed to whoever caused it. The same entry goes to the database
 * and to the JSON Lines file.
 *
 * @param actor        who: a detector source ({@code detector:fastnetmon}), an operator token name,
 *                     or {@code system} for TTL expiry and reconciliation
 * @param action       what, such as {@code mitigation_created} or {@code guardrail_refused}
 * @param mitigationId the mitigation concerned, or null
 * @param eventId      the event that caused it, or null
 * @param details      further fields, flat strings, kept in insertion order
 */
public record AuditEntry(Instant time, String pop, String actor, String action, String mitigationId, String eventId,
                         Map<String, String> details) {

    /** Version of this entry's layout; readers of old entries look at it first. */
    public static final int SCHEMA_VERSION = 1;

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(details));
    }
}
