package net.rampart.mitigation.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import net.rampart.wire.ip.AddressText;

/**
 * Turns the JSON body of {@code POST /api/v1/events} into an {@link AttackEvent}, naming the
 * first field at fault when it cannot. Unknown fields are ignored so detectors may send more.
 */
public final class AttackEventParser {

    private static final int MAX_EVENT_ID_LENGTH = 128;
    private static final int MAX_SOURCE_LENGTH = 128;

    /** No detector reports attacks from before this; an earlier time is a broken clock or a typo. */
    public static final Instant EARLIEST_TIMESTAMP = Instant.parse("2000-01-01T00:00:00Z");
    /**
     * How far ahead of Rampart's clock a detector's clock may run. A day allows for a wrong time
     * zone; more is a broken clock or a typo, and a far-future time (year 99999) would also be
     * kept in the database and the audit trail.
     */
    public static final Duration MAX_AHEAD = Duration.ofDays(1);

    private AttackEventParser() {
    }

    /**
     * Reads one event.
     *
     * @param clock Rampart's clock: {@code timestamp} may be at most {@link #MAX_AHEAD} after its now
     */
    public static AttackEvent parse(JsonNode body, Clock clock) throws InvalidEventException {
        if (body == null || !body.isObject()) {
            throw new InvalidEventException("body", "expected a JSON object");
        }
        String eventId = optionalText(body, "event_id", MAX_EVENT_ID_LENGTH);
        if (eventId == null) {
            eventId = UUID.randomUUID().toString();
        }
        Instant timestamp = parseTimestamp("timestamp", requiredText(body, "timestamp"), clock);
        String source = requiredText(body, "source");
        if (source.length() > MAX_SOURCE_LENGTH) {
            throw new InvalidEventException("source", "longer than " + MAX_SOURCE_LENGTH + " characters");
        }
        InetAddress victim;
        try {
            victim = AddressText.parse(requiredText(body, "victim_ip"));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("victim_ip", e.getMessage());
        }
        String vectorText = requiredText(body, "vector");
        AttackVector vector = AttackVector.fromWireName(vectorText).orElseThrow(() -> new InvalidEventException(
                "vector", "'" + vectorText + "' is not one of udp_flood, syn_flood, ack_flood, icmp_flood, unknown"));
        OptionalLong bps = optionalCount(body, "bps");
        OptionalLong pps = optionalCount(body, "pps");
        OptionalDouble confidence = optionalConfidence(body);
        OptionalInt protocol = optionalProtocol(body);
        List<Integer> ports = optionalPorts(body);
        EventAction action = optionalAction(body);
        JsonNode raw = body.get("raw_details");
        String rawDetails = raw == null || raw.isNull() ? null : raw.toString();
        return new AttackEvent(eventId, timestamp, source, victim, vector, bps, pps, confidence, protocol, ports,
                action, rawDetails);
    }

    /**
     * An ISO 8601 time with offset, from {@link #EARLIEST_TIMESTAMP} to {@link #MAX_AHEAD} after
     * {@code clock}'s now, both included.
     */
    static Instant parseTimestamp(String field, String text, Clock clock) throws InvalidEventException {
        Instant time;
        try {
            time = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field, "'" + text + "' is not an ISO 8601 time with offset");
        }
        Instant latest = clock.instant().plus(MAX_AHEAD);
        if (time.isBefore(EARLIEST_TIMESTAMP) || time.isAfter(latest)) {
            throw new InvalidEventException(field, "'" + text + "' is outside " + EARLIEST_TIMESTAMP
                    + " to one day after Rampart's clock (" + latest + ")");
        }
        return time;
    }

    private static String requiredText(JsonNode body, String field) throws InvalidEventException {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidEventException(field, "required");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new InvalidEventException(field, "expected a non-empty string");
        }
        return n.asText();
    }

    private static String optionalText(JsonNode body, String field, int maxLength) throws InvalidEventException {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new InvalidEventException(field, "expected a non-empty string");
        }
        if (n.asText().length() > maxLength) {
            throw new InvalidEventException(field, "longer than " + maxLength + " characters");
        }
        return n.asText();
    }

    private static OptionalLong optionalCount(JsonNode body, String field) throws InvalidEventException {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return OptionalLong.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new InvalidEventException(field, "expected a non-negative integer");
        }
        return OptionalLong.of(n.asLong());
    }

    private static OptionalDouble optionalConfidence(JsonNode body) throws InvalidEventException {
        JsonNode n = body.get("confidence");
        if (n == null || n.isNull()) {
            return OptionalDouble.empty();
        }
        if (!n.isNumber() || !(n.asDouble() >= 0.0 && n.asDouble() <= 1.0)) {
            throw new InvalidEventException("confidence", "expected a number from 0 to 1");
        }
        return OptionalDouble.of(n.asDouble());
    }

    private static OptionalInt optionalProtocol(JsonNode body) throws InvalidEventException {
        JsonNode n = body.get("protocol");
        if (n == null || n.isNull()) {
            return OptionalInt.empty();
        }
        OptionalInt p = n.isIntegralNumber() || n.isTextual() ? IpProtocols.parse(n.asText()) : OptionalInt.empty();
        if (p.isEmpty()) {
            throw new InvalidEventException("protocol", "expected a protocol number 0-255 or a name such as udp");
        }
        return p;
    }

    private static List<Integer> optionalPorts(JsonNode body) throws InvalidEventException {
        JsonNode n = body.get("top_dst_ports");
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new InvalidEventException("top_dst_ports", "expected an array of ports");
        }
        if (n.size() > AttackEvent.MAX_PORTS) {
            throw new InvalidEventException("top_dst_ports", "at most " + AttackEvent.MAX_PORTS + " ports");
        }
        List<Integer> ports = new ArrayList<>(n.size());
        for (JsonNode p : n) {
            if (!p.isIntegralNumber() || p.asInt() < 0 || p.asInt() > 65535 || !p.canConvertToInt()) {
                throw new InvalidEventException("top_dst_ports", "expected ports 0-65535");
            }
            if (!ports.contains(p.asInt())) {
                ports.add(p.asInt());
            }
        }
        ports.sort(null);
        return ports;
    }

    private static EventAction optionalAction(JsonNode body) throws InvalidEventException {
        JsonNode n = body.get("action");
        if (n == null || n.isNull()) {
            return EventAction.BAN;
        }
        String text = n.isTextual() ? n.asText().toLowerCase(Locale.ROOT) : "";
        return switch (text) {
            case "ban" -> EventAction.BAN;
            case "unban" -> EventAction.UNBAN;
            default -> throw new InvalidEventException("action", "expected ban or unban");
        };
    }
}
