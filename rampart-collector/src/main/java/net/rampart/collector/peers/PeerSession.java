package net.rampart.collector.peers;

import java.net.InetAddress;
import java.util.List;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouterId;

/**
 * What a BMP Peer Up says about one BGP session (RFC 7854 section 4.10), or what the per-peer
 * header says when a router sends routes for a peer it never announced (then most fields are
 * unknown: null, or -1 for numbers).
 *
 * @param capabilities the negotiated capabilities in readable form, e.g. {@code "add-path ipv4/1 receive"}
 */
public record PeerSession(RouterId router, PeerKey peer, long asn, InetAddress bgpId, InetAddress localAddress,
                          int localPort, int remotePort, long localAsn, InetAddress localBgpId, int holdTime,
                          List<String> capabilities, String tableName) {
    public PeerSession {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** A peer known only from a per-peer header (no Peer Up seen). */
    public static PeerSession fromHeader(RouterId router, PeerKey peer, long asn, InetAddress bgpId) {
        return new PeerSession(router, peer, asn, bgpId, null, -1, -1, -1, null, -1, List.of(), null);
    }
}
