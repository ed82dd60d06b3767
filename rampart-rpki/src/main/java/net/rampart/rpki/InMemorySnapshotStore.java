package net.rampart.rpki;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store that lives as long as the process: for tools and tests that run a cache without
 * a database. Restarting the process loses the history (a new session follows).
 */
public final class InMemorySnapshotStore implements SnapshotStore {

    private StoredHistory history;

    @Override
    public synchronized Optional<StoredHistory> load() {
        return Optional.ofNullable(history);
    }

    @Override
    public synchronized void startSession(int sessionId, int serial, Instant at, RpkiSnapshot snapshot) {
        history = new StoredHistory(sessionId, serial, at, snapshot, List.of());
    }

    @Override
    public synchronized void append(int sessionId, StoredDelta delta, RpkiSnapshot snapshot) {
        List<StoredDelta> deltas = new ArrayList<>(history.deltas());
        deltas.add(delta);
        history = new StoredHistory(sessionId, delta.serial(), delta.createdAt(), snapshot, deltas);
    }

    @Override
    public synchronized void prune(int sessionId, int oldestRetainedSerial) {
        List<StoredDelta> deltas = new ArrayList<>(history.deltas());
        deltas.removeIf(d -> Serial.compare(d.serial(), oldestRetainedSerial) < 0);
        history = new StoredHistory(sessionId, history.serial(), history.updatedAt(), history.snapshot(), deltas);
    }

    /** Drops everything, as a lost database would. */
    public synchronized void forget() {
        history = null;
    }
}
