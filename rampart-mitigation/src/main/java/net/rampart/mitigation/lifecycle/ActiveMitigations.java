package net.rampart.mitigation.lifecycle;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.guardrail.ActiveMitigationCounts;
import net.rampart.mitigation.rule.FlowSpecRule;

/**
 * This POP's active mitigations in memory. The engine is their only writer, so correlation,
 * quotas, expiry and the reconciler's desired state need no query; the repository is read once,
 * at start, to pick up what an earlier run left active.
 *
 * <p>Other POPs sharing the database count towards the customer and global quotas; their counts
 * are read from the repository at most once per {@link #ELSEWHERE_REFRESH}, so a quota can be
 * overshot across POPs by what the others created within that second.
 *
 * <p>Changes ({@link #apply}) come under the engine's lock; reads may come from any thread.
 */
public final class ActiveMitigations implements ActiveMitigationCounts {

    static final Duration ELSEWHERE_REFRESH = Duration.ofSeconds(1);

    private final String pop;
    private final MitigationRepository repository;
    private final Clock clock;
    private final Map<String, Mitigation> byId = new ConcurrentHashMap<>();
    /** A victim's mitigations, one per vector at most; each list is replaced, never changed. */
    private final Map<InetAddress, List<Mitigation>> byVictim = new ConcurrentHashMap<>();
    private final Map<String, Integer> perCustomer = new ConcurrentHashMap<>();
    private volatile ActiveElsewhere elsewhere;
    private volatile Instant elsewhereReadAt = Instant.MIN;

    public ActiveMitigations(String pop, MitigationRepository repository, Clock clock) {
        this.pop = pop;
        this.repository = repository;
        this.clock = clock;
        repository.active(pop).forEach(this::apply);
    }

    /** Takes a mitigation's new state: kept while active, dropped once it ended. */
    void apply(Mitigation m) {
        Mitigation previous = m.status().isActive() ? byId.put(m.id(), m) : byId.remove(m.id());
        List<Mitigation> victims = byVictim.getOrDefault(m.victim(), List.of());
        List<Mitigation> replaced = new ArrayList<>(victims.size() + 1);
        for (Mitigation v : victims) {
            if (!v.id().equals(m.id())) {
                replaced.add(v);
            }
        }
        if (m.status().isActive()) {
            replaced.add(m);
        }
        if (replaced.isEmpty()) {
            byVictim.remove(m.victim());
        } else {
            byVictim.put(m.victim(), List.copyOf(replaced));
        }
        int delta = (m.status().isActive() ? 1 : 0) - (previous != null && previous.status().isActive() ? 1 : 0);
        if (delta != 0 && m.customerId() != null) {
            perCustomer.merge(m.customerId(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    public Optional<Mitigation> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The active mitigation for this victim and vector, if any. */
    public Optional<Mitigation> find(InetAddress victim, AttackVector vector) {
        for (Mitigation m : byVictim.getOrDefault(victim, List.of())) {
            if (m.vector() == vector) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Every active mitigation for this victim, oldest first. */
    public List<Mitigation> forVictim(InetAddress victim) {
        return byVictim.getOrDefault(victim, List.of());
    }

    public List<Mitigation> all() {
        return List.copyOf(byId.values());
    }

    public int size() {
        return byId.size();
    }

    /** Those whose TTL is at or before {@code now}. */
    public List<Mitigation> expired(Instant now) {
        return byId.values().stream().filter(m -> !m.expiresAt().isAfter(now)).toList();
    }

    /** The rules the routers should carry at {@code now}: active, unexpired, not dry runs. */
    public List<FlowSpecRule> desiredRules(Instant now) {
        return byId.values().stream().filter(m -> m.shouldBeAnnounced(now)).map(Mitigation::rule).toList();
    }

    @Override
    public int global() {
        return byId.size() + elsewhere().total();
    }

    @Override
    public int forCustomer(String customerId) {
        return perCustomer.getOrDefault(customerId, 0) + elsewhere().byCustomer().getOrDefault(customerId, 0);
    }

    @Override
    public int forPop(String otherPop) {
        return pop.equals(otherPop) ? byId.size() : repository.activeCount(otherPop);
    }

    private ActiveElsewhere elsewhere() {
        Instant now = clock.instant();
        if (elsewhere == null || !now.isBefore(elsewhereReadAt.plus(ELSEWHERE_REFRESH))) {
            elsewhere = repository.activeElsewhere(pop);
            elsewhereReadAt = now;
        }
        return elsewhere;
    }
}
