package net.rampart.mitigation.lifecycle;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.guardrail.ActiveMitigationCounts;
import net.rampart.mitigation.policy.SafelistEntry;

/**
 * Where mitigations, events and the API's safelist entries are kept. The mitigation module owns
 * this interface; the store module implements it on PostgreSQL, shared by every POP.
 */
public interface MitigationRepository extends ActiveMitigationCounts {

    /**
     * Records a received event and saves the mitigations it created or changed, atomically: when
     * the event is a duplicate nothing is saved.
     *
     * @throws DuplicateEventException when an event with the same id was recorded before
     */
    void recordEvent(AttackEvent event, String pop, List<Mitigation> changed) throws DuplicateEventException;

    /** Inserts or replaces a mitigation by id. */
    void save(Mitigation mitigation);

    Optional<Mitigation> find(String id);

    /** The active mitigation of this POP for this victim and vector, if any. */
    Optional<Mitigation> findActive(String pop, InetAddress victim, AttackVector vector);

    /** Every active mitigation of this POP for this victim. */
    List<Mitigation> findActive(String pop, InetAddress victim);

    /** Every active mitigation of one POP, or of all POPs when {@code pop} is null. */
    List<Mitigation> active(String pop);

    /**
     * A page of mitigations, newest first.
     *
     * @param pop    one POP, or null for all
     * @param status one status, or null for all
     * @param before only those created before this cursor (id of the last row seen), or null
     */
    List<Mitigation> list(String pop, MitigationStatus status, String before, int limit);

    /** How many mitigations {@link #list} would page through. */
    int count(String pop, MitigationStatus status);

    List<SafelistEntry> safelist();

    void addSafelistEntry(SafelistEntry entry);

    /** @return true when an entry for that prefix was removed */
    boolean removeSafelistEntry(net.rampart.mitigation.IpPrefix prefix);

    /**
     * The rules this POP's routers should carry at {@code now}: those of active, unexpired,
     * non-dry-run mitigations. Reconciliation reads only this, every pass.
     */
    default List<net.rampart.mitigation.rule.FlowSpecRule> desiredRules(String pop, Instant now) {
        return active(pop).stream().filter(m -> m.shouldBeAnnounced(now)).map(Mitigation::rule).toList();
    }

    /** Active mitigations of this POP whose TTL is at or before {@code now}. */
    default List<Mitigation> expired(String pop, Instant now) {
        return active(pop).stream().filter(m -> !m.expiresAt().isAfter(now)).toList();
    }
}
