package net.rampart.mitigation.lifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.wire.ip.IpPrefix;

/**
 * Keeps everything in memory, for the tests of the engine and the reconciler; the service
 * keeps mitigations in PostgreSQL.
 */
public final class InMemoryMitigationRepository implements MitigationRepository {

    private static final Comparator<Mitigation> NEWEST_FIRST =
            Comparator.comparing(Mitigation::createdAt).thenComparing(Mitigation::id).reversed();

    private final Map<String, Mitigation> mitigations = new ConcurrentHashMap<>();
    /** Event ids, newest last. */
    private final List<String> eventIds = new CopyOnWriteArrayList<>();
    private final List<SafelistEntry> safelist = new CopyOnWriteArrayList<>();

    @Override
    public void recordEvent(AttackEvent event, String pop, List<Mitigation> changed) {
        eventIds.add(event.eventId());
        changed.forEach(this::save);
    }

    @Override
    public void save(Mitigation mitigation) {
        mitigations.put(mitigation.id(), mitigation);
    }

    @Override
    public Optional<Mitigation> find(String id) {
        return Optional.ofNullable(mitigations.get(id));
    }

    @Override
    public List<Mitigation> active(String pop) {
        return activeStream(pop).toList();
    }

    @Override
    public int activeCount(String pop) {
        return (int) activeStream(pop).count();
    }

    @Override
    public ActiveElsewhere activeElsewhere(String pop) {
        List<Mitigation> others = activeStream(null).filter(m -> !m.pop().equals(pop)).toList();
        return new ActiveElsewhere(others.size(), others.stream().filter(m -> m.customerId() != null)
                .collect(Collectors.groupingBy(Mitigation::customerId, Collectors.summingInt(m -> 1))));
    }

    @Override
    public List<String> recentEventIds(int limit) {
        List<String> newestFirst = new ArrayList<>(eventIds);
        Collections.reverse(newestFirst);
        return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
    }

    private Stream<Mitigation> activeStream(String pop) {
        return mitigations.values().stream()
                .filter(m -> m.status().isActive() && (pop == null || m.pop().equals(pop)));
    }

    /**
     * As PostgreSQL pages: after the cursor's place in the order, whether or not the cursor still
     * matches the filter (it may have ended since), and nothing after a cursor it does not hold.
     */
    @Override
    public List<Mitigation> list(String pop, MitigationStatus status, String before, int limit) {
        Mitigation cursor = before == null ? null : mitigations.get(before);
        if (before != null && cursor == null) {
            return List.of();
        }
        return matching(pop, status).filter(m -> cursor == null || NEWEST_FIRST.compare(m, cursor) > 0)
                .sorted(NEWEST_FIRST).limit(limit).toList();
    }

    @Override
    public int count(String pop, MitigationStatus status) {
        return (int) matching(pop, status).count();
    }

    private Stream<Mitigation> matching(String pop, MitigationStatus status) {
        return mitigations.values().stream()
                .filter(m -> (pop == null || m.pop().equals(pop)) && (status == null || m.status() == status));
    }

    @Override
    public List<SafelistEntry> safelist() {
        return List.copyOf(safelist);
    }

    @Override
    public void addSafelistEntry(SafelistEntry entry) {
        safelist.removeIf(e -> e.prefix().equals(entry.prefix()));
        safelist.add(entry);
    }

    @Override
    public boolean removeSafelistEntry(IpPrefix prefix) {
        return safelist.removeIf(e -> e.prefix().equals(prefix));
    }
}
