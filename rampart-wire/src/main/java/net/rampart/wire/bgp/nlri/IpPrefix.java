package net.rampart.wire.bgp.nlri;

/** An IPv4 or IPv6 prefix in canonical form (host bits zero). */
public sealed interface IpPrefix permits Ipv4Prefix, Ipv6Prefix {

    int length();

    /** 1 for IPv4, 2 for IPv6 (the BGP AFI). */
    int afi();

    int maxLength();
}
