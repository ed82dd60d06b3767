package net.rampart.wire.bmp;

import net.rampart.wire.bgp.PeerCapabilities;

/** Where the BMP decoder finds the decoding state for the UPDATEs of one peer. */
@FunctionalInterface
public interface PeerCapabilityLookup {

    /**
     * The state for a Route Monitoring message with this per-peer header.
     *
     * @param peer the message's per-peer header (its flags say Adj-RIB-In or -Out and the AS size)
     */
    PeerCapabilities forRouteMonitoring(PerPeerHeader peer);
}
