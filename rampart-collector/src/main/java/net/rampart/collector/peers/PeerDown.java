package net.rampart.collector.peers;

import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouterId;

/**
 * A BMP Peer Down (RFC 7854 section 4.9).
 *
 * @param reason             the Peer Down reason code
 * @param notificationCode   the NOTIFICATION's error code when the reason carries one, else -1
 * @param notificationSubcode its subcode, else -1
 * @param notificationData   its data, or null
 */
public record PeerDown(RouterId router, PeerKey peer, long timeMillis, int reason, int notificationCode,
                       int notificationSubcode, byte[] notificationData) {
}
