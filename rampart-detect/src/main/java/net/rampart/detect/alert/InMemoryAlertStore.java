package net.rampart.detect.alert;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alerts in memory: alone in tests, and as the readable copy of a persistent store, which loads
 * what it stored into one at start and writes each change behind it, so that neither the
 * detector nor the API waits for a database. Concurrent maps, so that readers never wait for the
 * detector. Resolved alerts stay as long as the store.
 */
public final class InMemoryAlertStore implements AlertStore {

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Alert> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> activeByKey = new ConcurrentHashMap<>();

    public InMemoryAlertStore() {
    }

    /** Holds {@code stored} as they stand; new ids follow the highest of theirs. */
    public InMemoryAlertStore(Collection<Alert> stored) {
        for (Alert alert : stored) {
            put(alert);
            ids.accumulateAndGet(alert.id(), Math::max);
        }
    }

    @Override
    public long nextId() {
        return ids.incrementAndGet();
    }

    @Override
    public void put(Alert alert) {
        byId.put(alert.id(), alert);
        if (alert.state().active()) {
            activeByKey.put(alert.key(), alert.id());
        } else {
            activeByKey.remove(alert.key(), alert.id());
        }
    }

    @Override
    public Optional<Alert> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<Alert> active(String key) {
        Long id = activeByKey.get(key);
        return id == null ? Optional.empty() : byId(id);
    }

    @Override
    public List<Alert> all() {
        return byId.values().stream().sorted(Comparator.comparingLong(Alert::id)).toList();
    }
}
