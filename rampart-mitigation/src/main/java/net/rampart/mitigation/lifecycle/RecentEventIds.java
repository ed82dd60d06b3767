package net.rampart.mitigation.lifecycle;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The event ids seen lately, so that a duplicate is refused without asking the database. Two
 * generations of at most half the capacity each: when the newer one fills, the older one is
 * dropped, so memory stays bounded and an id is remembered for at least capacity / 2 events.
 * The database's unique event id is the safety net behind this window.
 */
final class RecentEventIds {

    private final int generationSize;
    private Set<String> current = new HashSet<>();
    private Set<String> previous = Set.of();

    RecentEventIds(int capacity, Collection<String> seed) {
        this.generationSize = Math.max(1, capacity / 2);
        seed.forEach(this::add);
    }

    boolean contains(String eventId) {
        return current.contains(eventId) || previous.contains(eventId);
    }

    void add(String eventId) {
        if (current.size() >= generationSize) {
            previous = current;
            current = new HashSet<>();
        }
        current.add(eventId);
    }
}
