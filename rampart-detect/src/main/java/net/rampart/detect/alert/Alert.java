package net.rampart.detect.alert;

import java.util.ArrayList;
import java.util.List;

/**
 * One alert, as it stands: what was found, its state, its most recent evidence and its
 * timeline. Immutable: each change makes a new one, which the {@link AlertStore} keeps.
 *
 * @param acknowledgedBy who acknowledged it, or null
 * @param sightings      how many routes have shown the condition, of which {@code evidence}
 *                       keeps only the latest
 */
public record Alert(long id, Finding finding, AlertState state, String acknowledgedBy, long openedAt,
                    long updatedAt, long sightings, List<Evidence> evidence, List<AlertChange> timeline) {

    public Alert {
        evidence = List.copyOf(evidence);
        timeline = List.copyOf(timeline);
    }

    static Alert open(long id, Finding finding, Evidence first, long time) {
        return new Alert(id, finding, AlertState.OPEN, null, time, time, 1, List.of(first),
                List.of(new AlertChange(time, AlertState.OPEN, Alerts.DETECTOR, finding.summary())));
    }

    public String key() {
        return finding.key();
    }

    public AlertType type() {
        return finding.type();
    }

    /** The same condition seen again: the evidence grows (the oldest dropped past {@code limit}), the state stays. */
    Alert withEvidence(Evidence e, int limit) {
        List<Evidence> kept = new ArrayList<>(Math.min(evidence.size() + 1, limit));
        int from = Math.max(0, evidence.size() + 1 - limit);
        kept.addAll(evidence.subList(from, evidence.size()));
        kept.add(e);
        return new Alert(id, finding, state, acknowledgedBy, openedAt, Math.max(updatedAt, e.timeMillis()),
                sightings + 1, kept, timeline);
    }

    Alert moveTo(AlertState next, long time, String by, String note) {
        List<AlertChange> changes = new ArrayList<>(timeline);
        changes.add(new AlertChange(time, next, by, note));
        String ackBy = next == AlertState.ACKNOWLEDGED ? by : acknowledgedBy;
        return new Alert(id, finding, next, ackBy, openedAt, Math.max(updatedAt, time), sightings, evidence,
                changes);
    }
}
