package net.rampart.mitigation.event;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One report from a detector about one victim address. Validated on construction by
 * {@link AttackEventParser}; the record itself only guards its invariants.
 *
 * @param eventId    unique per detector report; a repeat is refused as a duplicate
 * @param protocol   IP protocol number, when the detector named one
 * @param topDstPorts the destination ports the detector saw most, at most {@link #MAX_PORTS}
 * @param rawDetails the detector's own JSON, kept verbatim for the audit trail (may be null)
 */
public record AttackEvent(
        String eventId,
        Instant timestamp,
        String source,
        InetAddress victimIp,
        AttackVector vector,
        OptionalLong bps,
        OptionalLong pps,
        OptionalDouble confidence,
        OptionalInt protocol,
        List<Integer> topDstPorts,
        EventAction action,
        String rawDetails) {

    public static final int MAX_PORTS = 8;

    public AttackEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(victimIp, "victimIp");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(action, "action");
        topDstPorts = List.copyOf(topDstPorts);
    }

    /** The protocol to match: the one the detector named, else the one the vector implies. */
    public OptionalInt effectiveProtocol() {
        if (protocol.isPresent()) {
            return protocol;
        }
        return vector.impliedProtocol().map(OptionalInt::of).orElse(OptionalInt.empty());
    }
}
