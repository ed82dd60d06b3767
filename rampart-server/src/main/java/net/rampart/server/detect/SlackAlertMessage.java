package net.rampart.server.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Evidence;

/**
 * An alert as a Slack incoming webhook shows it: one {@code text} in Slack's mrkdwn saying what
 * (type, prefix, key), where (the latest vantage points and their paths), since when, and a
 * link to the alert; a resolved alert says so first, with the restoration notice.
 */
final class SlackAlertMessage {

    private SlackAlertMessage() {
    }

    /** The body to POST: {@code {"text": ...}}. */
    static Map<String, Object> body(String event, Alert alert, String link, int evidence) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text(event, alert, link, evidence));
        return body;
    }

    static String text(String event, Alert alert, String link, int evidence) {
        boolean resolved = "resolved".equals(event);
        StringBuilder out = new StringBuilder();
        out.append(resolved ? ":white_check_mark: *Resolved* " : ":rotating_light: *Alert* ")
                .append('`').append(alert.type().wireName()).append("` ")
                .append(escape(alert.finding().prefix().toString()));
        if (alert.finding().monitoredPrefix() != null
                && !alert.finding().monitoredPrefix().equals(alert.finding().prefix())) {
            out.append(" (monitored ").append(escape(alert.finding().monitoredPrefix().toString())).append(')');
        }
        out.append(" in group ").append(escape(alert.finding().group())).append('\n');
        AlertChange last = alert.timeline().getLast();
        if (resolved) {
            out.append(escape(AlertChannels.resolution(last))).append('\n');
            out.append("Was: ").append(escape(alert.finding().summary())).append('\n');
        } else {
            out.append(escape(alert.finding().summary())).append('\n');
        }
        out.append("Key: `").append(escape(alert.key())).append("`");
        if (alert.finding().taxonomy() != null) {
            out.append(", taxonomy ").append(escape(alert.finding().taxonomy().toString()));
        }
        out.append('\n');
        out.append("Since ").append(time(alert.openedAt()));
        if (alert.state() == AlertState.RESOLVED) {
            out.append(", resolved ").append(time(last.timeMillis()));
        }
        out.append(", ").append(alert.sightings()).append(alert.sightings() == 1 ? " sighting" : " sightings")
                .append('\n');
        List<Evidence> latest = AlertText.latestEvidence(alert, evidence);
        if (!latest.isEmpty()) {
            out.append(latest.size() < alert.sightings() ? "Latest seen at:\n" : "Seen at:\n");
            for (Evidence e : latest) {
                out.append("• ").append(escape(e.vantagePoint())).append(": ")
                        .append(escape(e.prefix().toString())).append(" path `").append(escape(e.asPath()))
                        .append("` at ").append(time(e.timeMillis())).append('\n');
            }
        }
        out.append('<').append(link).append("|Alert ").append(alert.id()).append(" in Rampart>");
        return out.toString();
    }

    private static String time(long millis) {
        return AlertText.time(millis);
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup; anything from a route is escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
