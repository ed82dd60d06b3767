package net.rampart.server.detect;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.Evidence;

/**
 * What the text channels (Slack, mail, Alertmanager's description) write alike: which evidence
 * a notification shows, and how a sighting and a time read, so that an operator sees one alert
 * the same way in every channel.
 */
final class AlertText {

    private AlertText() {
    }

    /** The latest {@code count} of the alert's evidence, oldest first; the alert's link leads to the rest. */
    static List<Evidence> latestEvidence(Alert alert, int count) {
        List<Evidence> all = alert.evidence();
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    /** A time as people read it in a notification: UTC, to the second ({@code 2026-12-01T10:00:00Z}). */
    static String time(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** One sighting: {@code r1 198.51.100.1: 198.51.100.0/24 path 64510 64666 at 2026-12-01T10:00:00Z}. */
    static String seenAt(Evidence e) {
        return e.vantagePoint() + ": " + e.prefix() + " path " + e.asPath() + " at " + time(e.timeMillis());
    }
}
