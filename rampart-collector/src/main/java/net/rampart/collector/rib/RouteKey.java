package net.rampart.collector.rib;

/**
 * The NLRI key of a route within one table: the prefix, labeled or VPN prefix, or EVPN route key
 * plus the ADD-PATH path identifier (RFC 7911; 0 when the session does not use ADD-PATH).
 */
public sealed interface RouteKey permits Ipv4RouteKey, Ipv6RouteKey, LabeledPrefix, EvpnRouteKey, OpaqueNlri {
    int pathId();

    /**
     * Canonical text form: CIDR for prefixes, {@code rd:CIDR} for VPN prefixes, a colon-separated
     * key for EVPN; no path ID.
     */
    String text();
}
