package net.rampart.collector.inventory;

import java.time.Instant;

/**
 * A router that has sent BMP: what its Initiation said and whether its session is up.
 *
 * @param id          the router's name in the RIB: its source address
 * @param sysName     Initiation sysName, or null before one arrives
 * @param sysDescr    Initiation sysDescr, or null
 * @param terminationReason the last Termination reason text, or null
 */
public record RouterRecord(String id, String address, String sysName, String sysDescr, Instant firstSeen,
                           Instant lastSeen, boolean connected, String terminationReason) {
}
