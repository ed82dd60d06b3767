package net.rampart.mitigation.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import net.rampart.wire.ip.AddressText;

/**
 * Reads FastNetMon's JSON notification (its notify script / webhook body with {@code ip},
 * {@code action} and {@code attack_details}) as an {@link AttackEvent}.
 *
 * <p>FastNetMon sends traffic in bits per second as {@code total_incoming_traffic_bits}; older
 * versions send bytes per second as {@code total_incoming_traffic}, which is converted.
 * {@code partial_block} is treated as a ban.
 */
public final class FastNetMonNotification {

    public static final String SOURCE = "fastnetmon";

    private FastNetMonNotification() {
    }

    public static AttackEvent parse(JsonNode body, Clock clock) throws InvalidEventException {
        if (body == null || !body.isObject()) {
            throw new InvalidEventException("body", "expected a JSON object");
        }
        JsonNode ipNode = body.get("ip");
        if (ipNode == null || !ipNode.isTextual()) {
            throw new InvalidEventException("ip", "required");
        }
        InetAddress victim;
        try {
            victim = AddressText.parse(ipNode.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("ip", e.getMessage());
        }
        String actionText = body.path("action").asText("").toLowerCase(Locale.ROOT);
        EventAction action = switch (actionText) {
            case "ban", "partial_block" -> EventAction.BAN;
            case "unban" -> EventAction.UNBAN;
            default -> throw new InvalidEventException("action", "expected ban, partial_block or unban");
        };
        JsonNode details = body.path("attack_details");
        String uuid = details.path("attack_uuid").asText("");
        // One attack's ban and its unban share the attack's uuid, so the action is part of the id.
        String eventId = SOURCE + ":" + (uuid.isEmpty() ? UUID.randomUUID().toString() : uuid) + ":" + actionText;
        AttackVector vector = AttackVector.fromWireName(details.path("attack_type").asText("unknown"))
                .orElse(AttackVector.UNKNOWN);
        OptionalInt protocol = details.hasNonNull("attack_protocol")
                ? IpProtocols.parse(details.get("attack_protocol").asText())
                : OptionalInt.empty();
        OptionalLong bps = OptionalLong.empty();
        if (details.path("total_incoming_traffic_bits").canConvertToLong()) {
            bps = OptionalLong.of(details.get("total_incoming_traffic_bits").asLong());
        } else if (details.path("total_incoming_traffic").canConvertToLong()) {
            bps = OptionalLong.of(details.get("total_incoming_traffic").asLong() * 8);
        }
        OptionalLong pps = details.path("total_incoming_pps").canConvertToLong()
                ? OptionalLong.of(details.get("total_incoming_pps").asLong())
                : OptionalLong.empty();
        Instant now = clock.instant();
        return new AttackEvent(eventId, now, SOURCE, victim, vector, positive(bps), positive(pps),
                OptionalDouble.empty(), protocol, List.of(), action, body.toString());
    }

    private static OptionalLong positive(OptionalLong v) {
        return v.isPresent() && v.getAsLong() >= 0 ? v : OptionalLong.empty();
    }
}
