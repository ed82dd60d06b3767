package net.rampart.collector.inventory;

import java.time.Instant;

/**
 * A source of routes: a router that has sent BMP (what its Initiation said and whether its
 * session is up) or an imported MRT source.
 *
 * @param id          the router's name in the RIB: its source address, or {@code mrt:NAME}
 * @param source      {@value #BMP} or {@value #MRT}
 * @param address     the BMP session's source address; null for an MRT source
 * @param sysName     Initiation sysName, or null before one arrives (always null for an MRT source)
 * @param sysDescr    Initiation sysDescr, or null
 * @param connected   a BMP session is open; always false for an MRT source, which has none
 * @param terminationReason the last Termination reason text, or null
 */
public record RouterRecord(String id, String source, String address, String sysName, String sysDescr,
                           Instant firstSeen, Instant lastSeen, boolean connected, String terminationReason) {

    public static final String BMP = "bmp";
    public static final String MRT = "mrt";
}
