package net.rampart.wire.bmp;

import java.net.InetAddress;

/**
 * Identifies one monitored BGP session within one BMP session: RFC 7854 identifies a peer
 * by its distinguisher and address (the peer type separates a Loc-RIB instance, whose
 * address is zero, from a global peer with the same zero address).
 */
public record BmpPeerKey(int peerType, long distinguisher, InetAddress address) {
}
