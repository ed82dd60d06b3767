package net.rampart.mitigation.lifecycle;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import net.rampart.mitigation.MutableClock;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.EventAction;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.guardrail.Guardrails;
import net.rampart.mitigation.policy.Policy;
import net.rampart.mitigation.policy.PolicyLoader;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.wire.ip.AddressText;

/** An engine over the in-memory repository with a hand-moved clock, for lifecycle tests. */
public final class EngineFixture {

    public static final String INVENTORY = """
            pops: [{name: ams1}]
            customers:
              - id: example-net
                prefixes: [192.0.2.0/24, 2001:db8::/32]
            safelist:
              - {prefix: 192.0.2.53/32, reason: resolver}
            """;
    public static final String PLAYBOOKS = """
            playbooks:
              - name: udp-flood
                match: {vectors: [udp_flood]}
                steps:
                  - {action: police, rate_bps: 100M, ttl: 10m}
                  - action: discard
                    ttl: 30m
                    escalate_when: {min_persistence: 2m, min_confidence: 0.8}
              - name: syn-flood
                match: {vectors: [syn_flood]}
                steps:
                  - {action: discard, ttl: 5m}
              - name: unclassified
                match: {vectors: [unknown]}
                steps:
                  - {action: mark, dscp: 8, ttl: 5m}
            """;

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final InMemoryMitigationRepository repository = new InMemoryMitigationRepository();
    public final List<AuditEntry> audit = Collections.synchronizedList(new ArrayList<>());
    public final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    public final MitigationEngine engine;
    private final AtomicInteger ids = new AtomicInteger();

    public EngineFixture(boolean dryRun, GuardrailLimits limits) throws Exception {
        PolicyLoader loader = new PolicyLoader(limits.ttl());
        Policy policy = new Policy(loader.parseInventory(INVENTORY, "inventory.yaml"),
                loader.parsePlaybooks(PLAYBOOKS, "playbooks.yaml"));
        ActiveMitigations active = new ActiveMitigations("ams1", repository, clock);
        Guardrails guardrails = new Guardrails(Guardrails.standard(limits, clock, active, () -> {
            List<SafelistEntry> all = new ArrayList<>(policy.inventory().safelist());
            all.addAll(repository.safelist());
            return all;
        }, pop -> limits.maxPerPop(), () -> 0), registry, audit::add, clock);
        List<MitigationListener> listeners = new ArrayList<>();
        listeners.add((change, before, after) -> changes.add(change + " " + after.id()));
        engine = new MitigationEngine(new EngineSettings("ams1", dryRun, Duration.ofMinutes(5)), () -> policy,
                repository, active, guardrails, audit::add, clock, registry, listeners);
    }

    public EngineFixture() throws Exception {
        this(false, GuardrailLimits.defaults());
    }

    public AttackEvent ban(String victim, AttackVector vector, double confidence, Integer... ports) {
        return event(victim, vector, EventAction.BAN, OptionalDouble.of(confidence), ports);
    }

    public AttackEvent unban(String victim, AttackVector vector) {
        return event(victim, vector, EventAction.UNBAN, OptionalDouble.empty());
    }

    public AttackEvent event(String victim, AttackVector vector, EventAction action, OptionalDouble confidence,
                             Integer... ports) {
        return new AttackEvent("ev-" + ids.incrementAndGet(), clock.instant(), "test",
                AddressText.parse(victim), vector, OptionalLong.of(1_000_000_000L), OptionalLong.empty(),
                confidence, OptionalInt.empty(), List.of(ports), action, null);
    }
}
