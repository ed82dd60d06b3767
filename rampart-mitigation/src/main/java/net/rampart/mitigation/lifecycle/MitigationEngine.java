package net.rampart.mitigation.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.EventAction;
import net.rampart.mitigation.guardrail.Guardrails;
import net.rampart.mitigation.guardrail.Refusal;
import net.rampart.mitigation.guardrail.RuleProposal;
import net.rampart.mitigation.lifecycle.MitigationListener.Change;
import net.rampart.mitigation.policy.Customer;
import net.rampart.mitigation.policy.Playbook;
import net.rampart.mitigation.policy.PlaybookStep;
import net.rampart.mitigation.policy.Policy;
import net.rampart.mitigation.policy.PolicyProfile;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into mitigations: correlates an event with the victim's active mitigation,
 * creates, extends, escalates and withdraws, under the playbooks and guardrails in force.
 *
 * <p>Decisions are serialised by one lock: quotas and correlation must see every earlier
 * decision. A decision reads only memory (this POP's {@link ActiveMitigations} and the
 * {@link RecentEventIds}); the repository takes the result in order and may write it after the
 * answer, so no database round trip is made under the lock.
 */
public final class MitigationEngine {

    private static final Logger log = LoggerFactory.getLogger(MitigationEngine.class);
    /** Duplicates are refused from memory within the last 100 000 to 200 000 events. */
    private static final int REMEMBERED_EVENT_IDS = 200_000;

    private final EngineSettings settings;
    private final Supplier<Policy> policy;
    private final MitigationRepository repository;
    private final Guardrails guardrails;
    private final AuditLog audit;
    private final Clock clock;
    private final List<MitigationListener> listeners;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final ActiveMitigations active;
    private final RecentEventIds recentEventIds;

    /**
     * @param active this POP's active mitigations, which the guardrails count as well; the engine
     *               is their only writer
     */
    public MitigationEngine(EngineSettings settings, Supplier<Policy> policy, MitigationRepository repository,
                            ActiveMitigations active, Guardrails guardrails, AuditLog audit, Clock clock,
                            MeterRegistry registry, List<MitigationListener> listeners) {
        this.settings = settings;
        this.active = active;
        this.recentEventIds = new RecentEventIds(REMEMBERED_EVENT_IDS,
                repository.recentEventIds(REMEMBERED_EVENT_IDS));
        this.policy = policy;
        this.repository = repository;
        this.guardrails = guardrails;
        this.audit = audit;
        this.clock = clock;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, Counter.builder("rampart.mitigation.events").description("Events by what they did")
                    .tag("outcome", o.wireName()).register(registry));
        }
    }

    /**
     * Adds a listener told of every change from now on, after those already there. For a listener
     * that can only be made once the engine exists: the reconciler reads the engine's active
     * mitigations.
     */
    public void addListener(MitigationListener listener) {
        listeners.add(listener);
    }

    public EngineSettings settings() {
        return settings;
    }

    /** This POP's active mitigations, as the engine decides with them. */
    public ActiveMitigations active() {
        return active;
    }

    /** Applies one event, audited as its detector's. */
    public EventResult handle(AttackEvent event) throws DuplicateEventException, GuardrailRefusedException {
        return handle(event, null);
    }

    /**
     * Applies one event.
     *
     * @param submittedBy who handed the event in (an API token), added to the detector in the
     *                    audit log; null when there is nobody to name
     * @throws DuplicateEventException   the event id was seen before; nothing changed
     * @throws GuardrailRefusedException a guardrail refused the rule; nothing changed
     */
    public EventResult handle(AttackEvent event, String submittedBy)
            throws DuplicateEventException, GuardrailRefusedException {
        String actor = "detector:" + event.source() + (submittedBy == null ? "" : " via " + submittedBy);
        List<Pending> changes = new ArrayList<>();
        Outcome outcome;
        lock.lock();
        try {
            if (recentEventIds.contains(event.eventId())) {
                throw new DuplicateEventException(event.eventId());
            }
            Instant now = clock.instant();
            outcome = event.action() == EventAction.UNBAN ? unban(event, actor, now, changes)
                    : ban(event, actor, now, changes);
            List<Mitigation> changed = changes.stream().map(Pending::after).toList();
            repository.recordEvent(event, settings.pop(), changed);
            recentEventIds.add(event.eventId());
            for (Pending p : changes) {
                active.apply(p.after());
                if (p.change() == Change.CREATED) {
                    guardrails.accepted(p.proposal());
                }
                audit.record(auditEntry(p, actor, event.eventId(), now));
            }
        } finally {
            lock.unlock();
        }
        outcomes.get(outcome).increment();
        notifyListeners(changes);
        log.atInfo().addKeyValue("event", "mitigation_event").addKeyValue("event_id", event.eventId())
                .addKeyValue("victim", AddressText.of(event.victimIp()))
                .addKeyValue("vector", event.vector().wireName()).addKeyValue("outcome", outcome.wireName())
                .log("Attack event handled");
        return new EventResult(event.eventId(), changes.stream().map(p -> p.after().id()).toList(), outcome,
                settings.dryRun());
    }

    private Outcome ban(AttackEvent event, String actor, Instant now, List<Pending> changes)
            throws GuardrailRefusedException {
        Policy current = policy.get();
        Optional<Customer> customer = current.inventory().customerOwning(event.victimIp());
        Optional<Mitigation> existing = active.find(event.victimIp(), event.vector());
        if (existing.isPresent()) {
            return join(existing.get(), event, actor, now, current, customer, changes);
        }
        PolicyProfile profile = customer.map(Customer::profile).orElse(PolicyProfile.NORMAL);
        Optional<Playbook> playbook = current.playbookFor(event, profile);
        if (playbook.isEmpty()) {
            return Outcome.NO_PLAYBOOK;
        }
        PlaybookStep first = playbook.get().steps().get(0);
        FlowSpecRule rule = new FlowSpecRule(matchFor(event, event.topDstPorts()), first.flowAction());
        RuleProposal proposal = new RuleProposal(rule, first.ttl(), event.victimIp(), customer, settings.pop(), true);
        refuseIfGuarded(proposal, event, actor);
        Mitigation created = new Mitigation(UUID.randomUUID().toString(), settings.pop(),
                customer.map(Customer::id).orElse(null), event.victimIp(), event.vector(), playbook.get().name(), 0,
                rule, MitigationStatus.ACTIVE, now, now, now.plus(first.ttl()), now, now, 1, event.confidence(),
                settings.dryRun(), null, null, null);
        changes.add(new Pending(Change.CREATED, null, created, proposal));
        return Outcome.CREATED;
    }

    private Outcome join(Mitigation m, AttackEvent event, String actor, Instant now, Policy current,
                         Optional<Customer> customer, List<Pending> changes) throws GuardrailRefusedException {
        boolean gap = Duration.between(m.lastEventAt(), now).compareTo(settings.correlationWindow()) > 0;
        Instant attackStart = gap ? now : m.firstEventAt();
        Optional<Playbook> playbook = current.playbook(m.playbook());
        int step = m.stepIndex();
        Duration ttl;
        FlowSpecRule rule;
        List<Integer> ports = mergePorts(m.rule().match().destinationPorts(), event.topDstPorts());
        if (playbook.isPresent() && step < playbook.get().steps().size()) {
            List<PlaybookStep> steps = playbook.get().steps();
            if (step + 1 < steps.size() && escalationMet(steps.get(step + 1), attackStart, now, event)) {
                step++;
            }
            ttl = steps.get(step).ttl();
            rule = new FlowSpecRule(withPorts(m.rule().match(), ports), steps.get(step).flowAction());
        } else {
            // The playbook was removed or shortened by a reload: keep the rule, renew its last TTL.
            ttl = Duration.between(m.updatedAt(), m.expiresAt());
            rule = new FlowSpecRule(withPorts(m.rule().match(), ports), m.rule().action());
        }
        RuleProposal proposal = new RuleProposal(rule, ttl, event.victimIp(), customer, settings.pop(), false);
        if (!rule.equals(m.rule())) {
            refuseIfGuarded(proposal, event, actor);
        }
        Mitigation after = m.withRule(step, rule).withEvent(now, attackStart, event.confidence(), now.plus(ttl));
        boolean escalated = step != m.stepIndex();
        changes.add(new Pending(escalated ? Change.ESCALATED : Change.EXTENDED, m, after, proposal));
        return escalated ? Outcome.ESCALATED : Outcome.EXTENDED;
    }

    private static boolean escalationMet(PlaybookStep next, Instant attackStart, Instant now, AttackEvent event) {
        if (next.escalation().isEmpty()) {
            return false;
        }
        var condition = next.escalation().get();
        boolean persisted = Duration.between(attackStart, now).compareTo(condition.minPersistence()) >= 0;
        OptionalDouble confidence = event.confidence();
        boolean confident = condition.minConfidence() <= 0
                || (confidence.isPresent() && confidence.getAsDouble() >= condition.minConfidence());
        return persisted && confident;
    }

    /**
     * Ports of an active rule and a new event together. An empty list means every port, so it
     * absorbs anything; a subset changes nothing; otherwise the union is matched.
     */
    static List<Integer> mergePorts(List<Integer> current, List<Integer> incoming) {
        if (current.isEmpty() || incoming.isEmpty()) {
            return List.of();
        }
        TreeSet<Integer> union = new TreeSet<>(current);
        union.addAll(incoming);
        return List.copyOf(union);
    }

    /** The match of an active rule with merged ports; a rule that had no ports (all of them) keeps none. */
    private static FlowMatch withPorts(FlowMatch match, List<Integer> ports) {
        if (match.destinationPorts().isEmpty()) {
            return match;
        }
        return new FlowMatch(match.destination(), match.ipProtocol(), ports, match.tcpFlagsSyn());
    }

    private static FlowMatch matchFor(AttackEvent event, List<Integer> ports) {
        var protocol = event.effectiveProtocol();
        // Ports only mean something for protocols that have them.
        boolean hasPorts = protocol.isPresent() && (protocol.getAsInt() == 6 || protocol.getAsInt() == 17
                || protocol.getAsInt() == 132);
        return new FlowMatch(IpPrefix.host(event.victimIp()), protocol, hasPorts ? ports : List.of(),
                event.vector() == AttackVector.SYN_FLOOD);
    }

    private void refuseIfGuarded(RuleProposal proposal, AttackEvent event, String actor)
            throws GuardrailRefusedException {
        Optional<Refusal> refusal = guardrails.check(proposal, actor, event.eventId());
        if (refusal.isPresent()) {
            throw new GuardrailRefusedException(refusal.get());
        }
    }

    private Outcome unban(AttackEvent event, String actor, Instant now, List<Pending> changes) {
        for (Mitigation m : active.forVictim(event.victimIp())) {
            if (event.vector() == AttackVector.UNKNOWN || m.vector() == event.vector()) {
                Mitigation ended = m.ended(MitigationStatus.WITHDRAWN, now, actor,
                        "unban event " + event.eventId());
                changes.add(new Pending(Change.WITHDRAWN, m, ended, null));
            }
        }
        return changes.isEmpty() ? Outcome.NOTHING_TO_WITHDRAW : Outcome.WITHDRAWN;
    }

    /**
     * An operator ends a mitigation. Ending one that already ended changes nothing and returns it.
     *
     * @throws MitigationNotFoundException no mitigation has that id
     */
    public Mitigation withdraw(String id, String operator, String reason) throws MitigationNotFoundException {
        Pending change;
        lock.lock();
        try {
            Mitigation m = active.get(id).or(() -> repository.find(id))
                    .orElseThrow(() -> new MitigationNotFoundException("no mitigation " + id));
            if (!m.status().isActive()) {
                return m;
            }
            Instant now = clock.instant();
            change = new Pending(Change.WITHDRAWN, m, m.ended(MitigationStatus.WITHDRAWN, now, operator, reason),
                    null);
            repository.save(change.after());
            active.apply(change.after());
            audit.record(auditEntry(change, operator, null, now));
        } finally {
            lock.unlock();
        }
        notifyListeners(List.of(change));
        return change.after();
    }

    /** Ends every active mitigation of this POP whose TTL has run out; returns them. */
    public List<Mitigation> expire() {
        List<Pending> changes = new ArrayList<>();
        lock.lock();
        try {
            Instant now = clock.instant();
            for (Mitigation m : active.expired(now)) {
                Pending p = new Pending(Change.EXPIRED, m,
                        m.ended(MitigationStatus.EXPIRED, now, "system", "ttl expired"), null);
                repository.save(p.after());
                active.apply(p.after());
                audit.record(auditEntry(p, "system", null, now));
                changes.add(p);
            }
        } finally {
            lock.unlock();
        }
        notifyListeners(changes);
        return changes.stream().map(Pending::after).toList();
    }

    private AuditEntry auditEntry(Pending p, String actor, String eventId, Instant now) {
        Mitigation m = p.after();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("victim", AddressText.of(m.victim()));
        details.put("vector", m.vector().wireName());
        details.put("rule", m.rule().match().toString());
        details.put("action", m.rule().action().kind());
        details.put("step", Integer.toString(m.stepIndex()));
        details.put("expires_at", m.expiresAt().toString());
        if (m.endReason() != null) {
            details.put("reason", m.endReason());
        }
        if (m.dryRun()) {
            details.put("dry_run", "true");
        }
        String action = "mitigation_" + p.change().name().toLowerCase(Locale.ROOT);
        return new AuditEntry(now, settings.pop(), actor, action, m.id(), eventId, details);
    }

    private void notifyListeners(List<Pending> changes) {
        for (Pending p : changes) {
            for (MitigationListener l : listeners) {
                try {
                    l.changed(p.change(), p.before(), p.after());
                } catch (RuntimeException e) {
                    // A failing listener must not undo a saved decision; reconciliation repairs announcements.
                    log.atWarn().addKeyValue("event", "mitigation_listener_failed")
                            .addKeyValue("mitigation_id", p.after().id()).setCause(e)
                            .log("Mitigation listener failed");
                }
            }
        }
    }

    private record Pending(Change change, Mitigation before, Mitigation after, RuleProposal proposal) {
    }
}
