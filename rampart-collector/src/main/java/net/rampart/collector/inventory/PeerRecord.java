package net.rampart.collector.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A BGP peer of a monitored router, as its Peer Up (or, for a sender that skips Peer Up, its
 * first Route Monitoring's per-peer header) described it.
 *
 * @param peerType      0 global, 1 RD, 2 local, 3 Loc-RIB instance
 * @param distinguisher the peer distinguisher as text (RD form), or "0:0"
 * @param capabilities  capability names the two OPENs negotiated (four-octet-as, add-path ipv4/1, ...)
 * @param seenWithoutPeerUp created from a Route Monitoring or Statistics Report, the router having sent no Peer Up
 * @param seenOnlyInStatistics known only from Statistics Reports so far: no Peer Up and no route
 * @param lastDownReason BMP Peer Down reason code of the last down, or -1
 * @param lastNotification the decoded NOTIFICATION of the last down ("6/2 ..."), or null
 * @param routesTreatedAsWithdraw routes of this peer RFC 7606 turned into withdrawals, by reason
 *                                ("problem/attribute type", e.g. "malformed_attribute/2")
 */
public record PeerRecord(String router, String address, int peerType, String distinguisher, long asn,
                         String bgpId, String localAddress, int localPort, int remotePort, long localAsn,
                         String localBgpId, int holdTime, List<String> capabilities, String tableName,
                         Instant firstSeen, Instant lastSeen, boolean up, boolean seenWithoutPeerUp,
                         boolean seenOnlyInStatistics, int lastDownReason, String lastNotification,
                         Map<String, Long> routesTreatedAsWithdraw) {

    /** This record with the given treat-as-withdraw counts. */
    PeerRecord withTreatedAsWithdraw(Map<String, Long> counts) {
        return new PeerRecord(router, address, peerType, distinguisher, asn, bgpId, localAddress, localPort,
                remotePort, localAsn, localBgpId, holdTime, capabilities, tableName, firstSeen, lastSeen, up,
                seenWithoutPeerUp, seenOnlyInStatistics, lastDownReason, lastNotification, counts);
    }
}
