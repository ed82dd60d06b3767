package net.rampart.collector.inventory;

import net.rampart.wire.bgp.Capability;

/** Names for BGP capabilities as the API shows them. */
final class Capabilities {

    private Capabilities() {
    }

    static String name(Capability capability) {
        return switch (capability) {
            case Capability.Multiprotocol mp -> "multiprotocol " + mp.afiSafi().afi() + "/" + mp.afiSafi().safi();
            case Capability.RouteRefresh ignored -> "route-refresh";
            case Capability.ExtendedMessage ignored -> "extended-message";
            case Capability.FourOctetAs ignored -> "four-octet-as";
            case Capability.GracefulRestart ignored -> "graceful-restart";
            case Capability.AddPath ignored -> "add-path";
            case Capability.Unknown unknown -> "capability " + unknown.code();
        };
    }
}
