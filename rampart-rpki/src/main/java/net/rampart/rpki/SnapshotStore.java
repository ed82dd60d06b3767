package net.rampart.rpki;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the serial history survives restarts: the session id, the current serial and
 * snapshot, and the retained deltas. Implemented by the storage module (PostgreSQL).
 */
public interface SnapshotStore {

    /** A delta that took the payload from {@code serial - 1} to {@code serial}. */
    record StoredDelta(int serial, Instant createdAt, RpkiDelta delta) {
    }

    /** Everything needed to resume: deltas oldest first, the last one ending at {@code serial}. */
    record StoredHistory(int sessionId, int serial, Instant updatedAt, RpkiSnapshot snapshot,
            List<StoredDelta> deltas) {
    }

    /** The persisted history, or empty when there is none (first start, or history lost). */
    Optional<StoredHistory> load();

    /** Starts a new session: forgets any previous history and records this snapshot at this serial. */
    void startSession(int sessionId, int serial, Instant at, RpkiSnapshot snapshot);

    /** Records a new serial: its delta and the snapshot it produced, atomically. */
    void append(int sessionId, StoredDelta delta, RpkiSnapshot snapshot);

    /** Forgets deltas ending before {@code oldestRetainedSerial} (RFC 1982 order). */
    void prune(int sessionId, int oldestRetainedSerial);
}
