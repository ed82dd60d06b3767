package net.rampart.detect.alert;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of alerts: one active alert per key (a condition seen again adds evidence rather than
 * a new alert), acknowledge and ignore by people, and resolution when the detector says the
 * condition ended. A condition that returns after its alert was resolved opens a new alert.
 *
 * <p>Changes are serialised by this object's lock, held only for the store update and the
 * listener calls, so the detector and the API can both change alerts.
 */
public final class Alerts {

    /** The author of the changes a detector makes, in timelines. */
    public static final String DETECTOR = "detector";

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final Map<AlertState, String> VERBS = Map.of(AlertState.ACKNOWLEDGED, "acknowledges",
            AlertState.IGNORED, "ignores", AlertState.RESOLVED, "resolves");

    private final AlertStore store;
    private final int evidenceLimit;
    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();

    /** @param evidenceLimit how many of the latest evidence entries each alert keeps */
    public Alerts(AlertStore store, int evidenceLimit) {
        if (evidenceLimit < 1) {
            throw new IllegalArgumentException("an alert keeps at least one piece of evidence");
        }
        this.store = store;
        this.evidenceLimit = evidenceLimit;
    }

    public void addListener(AlertListener listener) {
        listeners.add(listener);
    }

    /** The condition of {@code finding} is seen: opens its alert, or adds the evidence to the active one. */
    public synchronized Alert report(Finding finding, Evidence evidence) {
        Optional<Alert> active = store.active(finding.key());
        if (active.isEmpty()) {
            Alert opened = Alert.open(store.nextId(), finding, evidence, evidence.timeMillis());
            store.put(opened);
            notify(opened, AlertListener::opened);
            return opened;
        }
        Alert updated = active.get().withEvidence(evidence, evidenceLimit);
        store.put(updated);
        if (updated.state() != AlertState.IGNORED) {
            notify(updated, AlertListener::updated);
        }
        return updated;
    }

    /**
     * The condition of {@code key} ended: resolves its active alert, if any, with the restoration
     * notice. An ignored alert resolves without telling anyone, as it was ignored.
     */
    public synchronized Optional<Alert> resolve(String key, long timeMillis, String notice) {
        Optional<Alert> active = store.active(key);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        boolean wasIgnored = active.get().state() == AlertState.IGNORED;
        Alert resolved = active.get().moveTo(AlertState.RESOLVED, timeMillis, DETECTOR, notice);
        store.put(resolved);
        if (!wasIgnored) {
            notify(resolved, AlertListener::resolved);
        }
        return Optional.of(resolved);
    }

    /**
     * Someone is on it. Also takes an ignored alert back.
     *
     * @param note why, for the timeline; may be empty
     * @return the alert, or empty when there is none with that id
     * @throws IllegalStateException when the alert is resolved or already acknowledged
     */
    public synchronized Optional<Alert> acknowledge(long id, String by, long timeMillis, String note) {
        return change(id, AlertState.ACKNOWLEDGED, by, timeMillis, note);
    }

    /**
     * Someone says it does not matter: evidence is still kept, nobody is told more of it.
     *
     * @param note why, for the timeline; may be empty
     * @return the alert, or empty when there is none with that id
     * @throws IllegalStateException when the alert is resolved or already ignored
     */
    public synchronized Optional<Alert> ignore(long id, String by, long timeMillis, String note) {
        return change(id, AlertState.IGNORED, by, timeMillis, note);
    }

    /**
     * Someone says the condition is over, before the detector does. The detector still sees the
     * routes that showed it: the next one opens a new alert, so a hijack that goes on is not
     * silenced by a resolve (ignore is the way to silence one). Like the detector's resolution,
     * it is not told to anyone when the alert was ignored.
     *
     * @param note why, for the timeline; may be empty
     * @return the alert, or empty when there is none with that id
     * @throws IllegalStateException when the alert is already resolved
     */
    public synchronized Optional<Alert> resolve(long id, String by, long timeMillis, String note) {
        return change(id, AlertState.RESOLVED, by, timeMillis, note);
    }

    public Optional<Alert> byId(long id) {
        return store.byId(id);
    }

    public Optional<Alert> active(String key) {
        return store.active(key);
    }

    public List<Alert> all() {
        return store.all();
    }

    private Optional<Alert> change(long id, AlertState next, String by, long timeMillis, String note) {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("say who " + VERBS.get(next) + " the alert");
        }
        Optional<Alert> found = store.byId(id);
        if (found.isEmpty()) {
            return found;
        }
        Alert alert = found.get();
        if (!alert.state().active()) {
            throw new IllegalStateException("alert " + id + " is resolved");
        }
        if (alert.state() == next) {
            throw new IllegalStateException("alert " + id + " is already " + next.name().toLowerCase(Locale.ROOT));
        }
        Alert changed = alert.moveTo(next, timeMillis, by, note);
        store.put(changed);
        if (next != AlertState.RESOLVED) {
            notify(changed, AlertListener::updated);
        } else if (alert.state() != AlertState.IGNORED) {
            notify(changed, AlertListener::resolved);
        }
        return Optional.of(changed);
    }

    /** A failing listener must not stop detection nor the other listeners. */
    private void notify(Alert alert, BiConsumer<AlertListener, Alert> call) {
        for (AlertListener listener : listeners) {
            try {
                call.accept(listener, alert);
            } catch (RuntimeException e) {
                LOG.warn("alert listener {} failed on alert {} ({})", listener, alert.id(), alert.key(), e);
            }
        }
    }
}
