package net.rampart.wire.bgp.nlri;

import java.util.Objects;
import net.rampart.wire.ip.IpPrefix;

/** A BGP/MPLS IP VPN prefix (RFC 4364, SAFI 128): labels, route distinguisher and prefix. */
public record VpnNlri(long pathId, LabelStack labels, RouteDistinguisher rd, IpPrefix prefix) implements Nlri {

    public VpnNlri {
        Objects.requireNonNull(labels);
        Objects.requireNonNull(rd);
        Objects.requireNonNull(prefix);
        UnicastNlri.checkPathId(pathId);
    }
}
