package net.rampart.rpki;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.rampart.rpki.SnapshotStore.StoredDelta;
import net.rampart.rpki.SnapshotStore.StoredHistory;

/**
 * The serial-numbered history of the payload. The serial increases by one (RFC 1982,
 * wrapping) only when the content changes; each change's delta is persisted before it is
 * published, so a restart resumes at the same session and serial. The session id changes
 * only when the persisted history is gone.
 */
public final class SnapshotHistory {

    private static final Logger log = LoggerFactory.getLogger(SnapshotHistory.class);

    /** One published state. Immutable; readers take it without locking. */
    public record Version(int sessionId, int serial, RpkiSnapshot snapshot, Instant updatedAt) {
    }

    private final SnapshotStore store;
    private final int maxDeltas;
    private final Clock clock;
    private final ArrayDeque<StoredDelta> deltas = new ArrayDeque<>();
    private final List<Consumer<Version>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Version>> expiryListeners = new CopyOnWriteArrayList<>();
    private volatile Version current;

    private SnapshotHistory(SnapshotStore store, int maxDeltas, Clock clock, Version current, List<StoredDelta> kept) {
        this.store = store;
        this.maxDeltas = maxDeltas;
        this.clock = clock;
        this.current = current;
        this.deltas.addAll(kept);
    }

    /** Resumes the persisted history, or starts a new session with an empty payload at serial 0. */
    public static SnapshotHistory open(SnapshotStore store, int maxDeltas, Clock clock) {
        if (maxDeltas < 1) {
            throw new IllegalArgumentException("at least one delta must be retained");
        }
        Optional<StoredHistory> stored = store.load();
        if (stored.isPresent()) {
            StoredHistory h = stored.get();
            log.atInfo().addKeyValue("event", "rpki_history_resumed").addKeyValue("session_id", h.sessionId())
                    .addKeyValue("serial", Serial.toString(h.serial())).addKeyValue("deltas", h.deltas().size())
                    .log("RPKI serial history resumed");
            return new SnapshotHistory(store, maxDeltas, clock,
                    new Version(h.sessionId(), h.serial(), h.snapshot(), h.updatedAt()), h.deltas());
        }
        int sessionId = ThreadLocalRandom.current().nextInt(1, 0x10000);
        Instant now = clock.instant();
        store.startSession(sessionId, 0, now, RpkiSnapshot.empty());
        log.atInfo().addKeyValue("event", "rpki_session_started").addKeyValue("session_id", sessionId)
                .log("RPKI history absent: new session");
        return new SnapshotHistory(store, maxDeltas, clock, new Version(sessionId, 0, RpkiSnapshot.empty(), now),
                List.of());
    }

    public Version current() {
        return current;
    }

    /** Called after every new serial, on the thread that made it. */
    public void addListener(Consumer<Version> listener) {
        listeners.add(listener);
    }

    /**
     * Called, on the thread that made it, when a refresh brought the same payload (same serial)
     * with different VRP expiries, as when ROAs are re-issued: RTR clients need not hear of it,
     * but whoever looks at expiries (the detector) does.
     */
    public void addExpiryListener(Consumer<Version> listener) {
        expiryListeners.add(listener);
    }

    /**
     * Makes {@code next} the current payload. Returns the delta when the content changed
     * (and the serial moved on), empty when it was the same.
     */
    public Optional<RpkiDelta> update(RpkiSnapshot next) {
        Version published;
        RpkiDelta delta;
        Version reExpired = null;
        synchronized (this) {
            Version cur = current;
            if (cur.snapshot().hash().equals(next.hash())) {
                if (!cur.snapshot().vrps().sameExpiries(next.vrps())) {
                    // Expiries are not part of the payload: same serial, nothing stored (after a
                    // restart no expiry is known until the first refresh), only the in-memory
                    // version takes the new expiries.
                    reExpired = new Version(cur.sessionId(), cur.serial(), next, cur.updatedAt());
                    current = reExpired;
                }
            }
        }
        if (reExpired != null) {
            for (Consumer<Version> l : expiryListeners) {
                l.accept(reExpired);
            }
            return Optional.empty();
        }
        synchronized (this) {
            Version cur = current;
            if (cur.snapshot().hash().equals(next.hash())) {
                return Optional.empty();
            }
            delta = RpkiDelta.between(cur.snapshot(), next);
            int serial = Serial.next(cur.serial());
            Instant now = clock.instant();
            StoredDelta stored = new StoredDelta(serial, now, delta);
            store.append(cur.sessionId(), stored, next);
            deltas.addLast(stored);
            if (deltas.size() > maxDeltas) {
                while (deltas.size() > maxDeltas) {
                    deltas.removeFirst();
                }
                store.prune(cur.sessionId(), deltas.peekFirst().serial());
            }
            published = new Version(cur.sessionId(), serial, next, now);
            current = published;
        }
        log.atInfo().addKeyValue("event", "rpki_serial").addKeyValue("serial", Serial.toString(published.serial()))
                .addKeyValue("announced", delta.announcedVrps().size())
                .addKeyValue("withdrawn", delta.withdrawnVrps().size())
                .addKeyValue("vrps", next.vrps().size()).log("RPKI payload changed");
        for (Consumer<Version> l : listeners) {
            l.accept(published);
        }
        return Optional.of(delta);
    }

    /** Serials a diff can start from or end at, oldest first; the last is the current serial. */
    public synchronized List<Integer> retainedSerials() {
        List<Integer> out = new ArrayList<>(deltas.size() + 1);
        if (!deltas.isEmpty()) {
            out.add(deltas.peekFirst().serial() - 1);
            for (StoredDelta d : deltas) {
                out.add(d.serial());
            }
        } else {
            out.add(current.serial());
        }
        return out;
    }

    /**
     * The changes from serial {@code from} to serial {@code to}, merged from the stored
     * deltas; a backward range gives the inverse. Empty when either serial is not retained.
     */
    public synchronized Optional<RpkiDelta> diff(int from, int to) {
        List<Integer> serials = retainedSerials();
        int fromIndex = serials.indexOf(from);
        int toIndex = serials.indexOf(to);
        if (fromIndex < 0 || toIndex < 0) {
            return Optional.empty();
        }
        if (fromIndex > toIndex) {
            RpkiDelta forward = diff(to, from).orElseThrow();
            return Optional.of(new RpkiDelta(forward.withdrawnVrps(), forward.announcedVrps(),
                    forward.withdrawnAspas(), forward.announcedAspas(), forward.withdrawnKeys(),
                    forward.announcedKeys()));
        }
        RpkiDelta merged = RpkiDelta.EMPTY;
        int i = 0;
        for (StoredDelta d : deltas) {
            if (i >= fromIndex && i < toIndex) {
                merged = merged.then(d.delta());
            }
            i++;
        }
        return Optional.of(merged);
    }
}
