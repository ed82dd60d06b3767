package net.rampart.rpki.rtr;

import java.time.Instant;

/**
 * A router connected to the RTR server, as operators look it up: where it connects from,
 * since when, the protocol version it negotiated and the serial it was last sent.
 *
 * @param address     the router's address, in the text every API answer uses ({@code 2001:db8::1})
 * @param port        the router's TCP port
 * @param version     null until the router's first PDU fixes it
 * @param lastSerial  the serial of the last full or incremental answer, null before the first
 */
public record RtrConnection(String address, int port, Instant connectedAt, Integer version, Long lastSerial) {
}
