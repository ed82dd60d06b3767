package net.rampart.mitigation.guardrail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.wire.ip.AddressText;

/**
 * Runs every guardrail in order; the first refusal wins, is counted in
 * {@code rampart_mitigation_guardrail_refusals_total{guardrail=...}} and is written to the audit log.
 */
public final class Guardrails {

    private final List<Guardrail> guardrails;
    private final Map<String, Counter> refusals = new LinkedHashMap<>();
    private final AuditLog audit;
    private final Clock clock;

    public Guardrails(List<Guardrail> guardrails, MeterRegistry registry, AuditLog audit, Clock clock) {
        this.guardrails = List.copyOf(guardrails);
        this.audit = audit;
        this.clock = clock;
        for (Guardrail g : this.guardrails) {
            refusals.put(g.name(), Counter.builder("rampart.mitigation.guardrail.refusals")
                    .description("Rules refused by a guardrail")
                    .tag("guardrail", g.name())
                    .register(registry));
        }
    }

    /** The standard set, in the order a refusal is most useful to the operator. */
    public static List<Guardrail> standard(GuardrailLimits limits, Clock clock, ActiveMitigationCounts counts,
                                           Supplier<List<SafelistEntry>> safelist, ToIntFunction<String> popQuota,
                                           IntSupplier busiestSessionAnnounced) {
        return List.of(
                new TtlGuardrail(limits.ttl()),
                new PrefixLengthGuardrail(limits.minPrefixLengthV4(), limits.minPrefixLengthV6()),
                new CustomerOwnershipGuardrail(),
                new SafelistGuardrail(safelist),
                new PortCountGuardrail(limits.maxPorts()),
                new CustomerQuotaGuardrail(counts, limits.maxPerCustomer()),
                new PopQuotaGuardrail(counts, popQuota),
                new GlobalQuotaGuardrail(counts, limits.maxGlobal()),
                new NewRuleRateGuardrail(clock, limits.maxNewRulesPerMinute()),
                new PeerAnnouncementGuardrail(counts, busiestSessionAnnounced, limits.maxAnnouncementsPerPeer()));
    }

    /**
     * Checks a proposal; on refusal counts and audits it.
     *
     * @param actor   who asked, for the audit log
     * @param eventId the event behind the proposal, or null
     */
    public Optional<Refusal> check(RuleProposal proposal, String actor, String eventId) {
        for (Guardrail g : guardrails) {
            Optional<String> why = g.refuse(proposal);
            if (why.isPresent()) {
                refusals.get(g.name()).increment();
                Map<String, String> details = new LinkedHashMap<>();
                details.put("guardrail", g.name());
                details.put("reason", why.get());
                details.put("victim", AddressText.of(proposal.victim()));
                details.put("rule", proposal.rule().match().toString());
                audit.record(new AuditEntry(clock.instant(), proposal.pop(), actor, "guardrail_refused", null,
                        eventId, details));
                return Optional.of(new Refusal(g.name(), why.get()));
            }
        }
        return Optional.empty();
    }

    /** Tells stateful guardrails (the rate window) that the proposal was applied. */
    public void accepted(RuleProposal proposal) {
        for (Guardrail g : guardrails) {
            g.accepted(proposal);
        }
    }
}
