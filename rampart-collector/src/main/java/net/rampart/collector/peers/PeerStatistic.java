package net.rampart.collector.peers;

import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouterId;

/**
 * One counter or gauge of a BMP Statistics Report (RFC 7854 section 4.8).
 *
 * @param family the AFI/SAFI of per-family statistics, else null
 */
public record PeerStatistic(RouterId router, PeerKey peer, long timeMillis, int type, Family family, long value) {
}
