package net.rampart.store.mitigation;

import java.net.InetAddress;
import java.time.Instant;

/**
 * Which received events a read keeps; a null part keeps every event.
 *
 * @param victim the victim's address
 * @param source the detector, as the event named it
 * @param since  events received from this time on
 */
public record EventFilter(InetAddress victim, String source, Instant since) {
}
