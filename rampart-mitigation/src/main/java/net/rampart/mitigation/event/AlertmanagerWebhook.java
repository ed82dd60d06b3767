package net.rampart.mitigation.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.rampart.wire.ip.AddressText;

/**
 * Reads a Prometheus Alertmanager webhook (version 4) as one {@link AttackEvent} per alert.
 * An alert names its victim with the label {@code victim_ip} and may carry {@code vector},
 * {@code protocol} and {@code confidence} labels and {@code bps}/{@code pps} labels or
 * annotations. A firing alert is a ban, a resolved one an unban.
 */
public final class AlertmanagerWebhook {

    public static final String SOURCE = "alertmanager";

    private AlertmanagerWebhook() {
    }

    public static List<AttackEvent> parse(JsonNode body, Clock clock) throws InvalidEventException {
        if (body == null || !body.isObject() || !body.path("alerts").isArray()) {
            throw new InvalidEventException("alerts", "expected an Alertmanager webhook with an alerts array");
        }
        List<AttackEvent> events = new ArrayList<>();
        int index = 0;
        for (JsonNode alert : body.get("alerts")) {
            events.add(parseAlert(alert, "alerts[" + index + "]", clock));
            index++;
        }
        return events;
    }

    private static AttackEvent parseAlert(JsonNode alert, String at, Clock clock) throws InvalidEventException {
        JsonNode labels = alert.path("labels");
        JsonNode annotations = alert.path("annotations");
        String victimText = labels.path("victim_ip").asText("");
        if (victimText.isEmpty()) {
            throw new InvalidEventException(at + ".labels.victim_ip", "required");
        }
        InetAddress victim;
        try {
            victim = AddressText.parse(victimText);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(at + ".labels.victim_ip", e.getMessage());
        }
        String vectorText = labels.path("vector").asText("unknown");
        AttackVector vector = AttackVector.fromWireName(vectorText).orElseThrow(
                () -> new InvalidEventException(at + ".labels.vector", "'" + vectorText + "' is not a known vector"));
        EventAction action = "resolved".equals(alert.path("status").asText()) ? EventAction.UNBAN : EventAction.BAN;
        Instant timestamp = clock.instant();
        String startsAt = alert.path("startsAt").asText("");
        if (!startsAt.isEmpty() && action == EventAction.BAN) {
            timestamp = AttackEventParser.parseTimestamp(at + ".startsAt", startsAt, clock);
        }
        OptionalDouble confidence = OptionalDouble.empty();
        String confidenceText = labels.path("confidence").asText(annotations.path("confidence").asText(""));
        if (!confidenceText.isEmpty()) {
            try {
                double c = Double.parseDouble(confidenceText);
                if (!(c >= 0 && c <= 1)) {
                    throw new NumberFormatException();
                }
                confidence = OptionalDouble.of(c);
            } catch (NumberFormatException e) {
                throw new InvalidEventException(at + ".labels.confidence", "expected a number from 0 to 1");
            }
        }
        OptionalInt protocol = labels.hasNonNull("protocol")
                ? IpProtocols.parse(labels.get("protocol").asText())
                : OptionalInt.empty();
        // The fingerprint identifies the alert; its start time tells repeated firings apart.
        String eventId = SOURCE + ":" + alert.path("fingerprint").asText(victimText + "/" + vectorText) + ":"
                + startsAt + ":" + action.name().toLowerCase(Locale.ROOT);
        return new AttackEvent(eventId, timestamp, SOURCE, victim, vector,
                count(labels, annotations, "bps"), count(labels, annotations, "pps"), confidence, protocol, List.of(),
                action, alert.toString());
    }

    private static OptionalLong count(JsonNode labels, JsonNode annotations, String name) {
        String text = labels.path(name).asText(annotations.path(name).asText(""));
        try {
            double v = Double.parseDouble(text);
            return v >= 0 ? OptionalLong.of((long) v) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
