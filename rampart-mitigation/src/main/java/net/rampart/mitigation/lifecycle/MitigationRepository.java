package net.rampart.mitigation.lifecycle;

import java.util.List;
import java.util.Optional;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.wire.ip.IpPrefix;

/**
 * Where mitigations, events and the API's safelist entries are kept. The mitigation module owns
 * this interface; the store module implements it on PostgreSQL, shared by every POP.
 *
 * <p>Writes may be applied after the call returns, in the order they were made; every read sees
 * every write made before it. The engine keeps its POP's active mitigations in memory
 * ({@link ActiveMitigations}), so it reads from here only at start and for other POPs.
 */
public interface MitigationRepository {

    /**
     * Records a received event and saves the mitigations it created or changed, together. The
     * engine has already refused a duplicate event id it remembers; an implementation that still
     * finds one keeps the first event and says so in the log.
     */
    void recordEvent(AttackEvent event, String pop, List<Mitigation> changed);

    /** Inserts or replaces a mitigation by id. */
    void save(Mitigation mitigation);

    Optional<Mitigation> find(String id);

    /** Every active mitigation of one POP, or of all POPs when {@code pop} is null. */
    List<Mitigation> active(String pop);

    /** How many mitigations of one POP are active. */
    int activeCount(String pop);

    /** The active mitigations of every POP but this one, counted. */
    ActiveElsewhere activeElsewhere(String pop);

    /** The ids of the latest events received, newest first, at most {@code limit}. */
    List<String> recentEventIds(int limit);

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
    boolean removeSafelistEntry(IpPrefix prefix);
}
