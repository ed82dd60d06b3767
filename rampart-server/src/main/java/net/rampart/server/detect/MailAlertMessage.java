package net.rampart.server.detect;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Evidence;

/**
 * An alert as a plain-text mail (RFC 5322 with MIME): a subject that says what and whether it
 * opened or resolved, and a body with where, since when and the link. Header values come from
 * validated settings and alert fields without line breaks, so nothing can add a header.
 */
final class MailAlertMessage {

    private MailAlertMessage() {
    }

    /** The whole message, headers and body, lines ending in CRLF. */
    static String message(String event, Alert alert, String link, int evidence, String from, List<String> to,
                          String hostname) {
        AlertChange last = alert.timeline().getLast();
        boolean resolved = "resolved".equals(event);
        String subject = "[rampart] " + (resolved ? "Resolved: " : "") + alert.type().wireName() + " "
                + alert.finding().prefix() + " (" + alert.finding().group() + ")";
        String body = body(resolved, alert, link, evidence);
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(body);
        StringBuilder out = new StringBuilder(body.length() + 512);
        header(out, "From", from);
        header(out, "To", String.join(", ", to));
        header(out, "Subject", StandardCharsets.US_ASCII.newEncoder().canEncode(subject) ? subject
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "?=");
        header(out, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(last.timeMillis()).atOffset(ZoneOffset.UTC)));
        header(out, "Message-ID", "<alert-" + alert.id() + "-" + event + "@" + hostname + ">");
        header(out, "MIME-Version", "1.0");
        header(out, "Content-Type", "text/plain; charset=UTF-8");
        // Plain ASCII goes as it is; anything else as base64, which any server carries unchanged.
        header(out, "Content-Transfer-Encoding", ascii ? "7bit" : "base64");
        out.append("\r\n");
        if (ascii) {
            out.append(body.replace("\n", "\r\n"));
        } else {
            out.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(body.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(value.replaceAll("[\\r\\n]+", " ")).append("\r\n");
    }

    static String body(boolean resolved, Alert alert, String link, int evidence) {
        AlertChange last = alert.timeline().getLast();
        StringBuilder out = new StringBuilder();
        if (resolved) {
            // The restoration notice says so itself; a person's resolve may have no note at all.
            out.append(AlertChannels.resolution(last)).append("\n\n");
        }
        out.append("Alert ").append(alert.id()).append(": ").append(alert.type().wireName()).append(' ')
                .append(alert.finding().prefix());
        if (alert.finding().monitoredPrefix() != null
                && !alert.finding().monitoredPrefix().equals(alert.finding().prefix())) {
            out.append(" (monitored ").append(alert.finding().monitoredPrefix()).append(')');
        }
        out.append(", group ").append(alert.finding().group()).append('\n');
        out.append(alert.finding().summary()).append("\n\n");
        out.append("Key:       ").append(alert.key()).append('\n');
        if (alert.finding().taxonomy() != null) {
            out.append("Taxonomy:  ").append(alert.finding().taxonomy()).append('\n');
        }
        out.append("Opened:    ").append(time(alert.openedAt())).append('\n');
        if (alert.state() == AlertState.RESOLVED) {
            out.append("Resolved:  ").append(time(last.timeMillis())).append('\n');
        }
        out.append("Sightings: ").append(alert.sightings()).append('\n');
        List<Evidence> latest = AlertText.latestEvidence(alert, evidence);
        if (!latest.isEmpty()) {
            out.append("\nSeen at, oldest first:\n");
            for (Evidence e : latest) {
                out.append("  ").append(AlertText.seenAt(e)).append('\n');
            }
        }
        out.append('\n').append(link).append('\n');
        return out.toString();
    }

    private static String time(long millis) {
        return AlertText.time(millis);
    }
}
