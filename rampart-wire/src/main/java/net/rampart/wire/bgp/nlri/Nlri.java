package net.rampart.wire.bgp.nlri;

/**
 * One reachability entry of an UPDATE: a unicast, labeled or VPN prefix, an EVPN route
 * ({@code net.rampart.wire.bgp.evpn}) or a FlowSpec rule ({@code net.rampart.wire.bgp.flowspec}).
 * Its value is the full key the RIB needs for the family, including the ADD-PATH path id.
 */
public interface Nlri {

    /** {@link #pathId()} when the session does not use ADD-PATH for the family. */
    long NO_PATH_ID = -1;

    /** The RFC 7911 path identifier (unsigned 32 bits), or {@link #NO_PATH_ID}. */
    long pathId();
}
