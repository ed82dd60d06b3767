package net.rampart.store.mitigation;

import java.time.Instant;
import java.util.List;

/**
 * An attack event as stored: what the detector reported, when Rampart received it, and the
 * mitigations it created, changed or ended. Absent numbers are null.
 */
public record ReceivedEvent(String eventId, Instant receivedAt, Instant time, String source, String pop,
                            String victimIp, String vector, String action, Long bps, Long pps, Double confidence,
                            Integer protocol, List<Integer> topDstPorts, List<String> mitigationIds) {
}
