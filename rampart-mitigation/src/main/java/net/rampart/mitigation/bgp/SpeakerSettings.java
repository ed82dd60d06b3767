package net.rampart.mitigation.bgp;

import java.time.Duration;
import java.util.List;

/**
 * The BGP speaker's configuration.
 *
 * @param routerId        the BGP identifier, an IPv4 address as a 32-bit int
 * @param holdTime        proposed in OPEN; the session uses the smaller of both sides'
 * @param passivePort     0: connect to every peer; otherwise listen on this port and wait for
 *                        the peers to connect (only configured peers are accepted)
 * @param retryMin        first reconnect delay, doubled after each failure up to {@code retryMax}
 * @param restartTime     0: no graceful restart; otherwise advertise it (RFC 4724) with this
 *                        restart time, so that routers configured for it keep the rules while
 *                        Rampart restarts, and purge what it does not announce again
 */
public record SpeakerSettings(long localAsn, int routerId, Duration holdTime, List<BgpPeer> peers, int passivePort,
                              Duration retryMin, Duration retryMax, Duration restartTime) {

    public SpeakerSettings {
        peers = List.copyOf(peers);
        long hold = holdTime.toSeconds();
        if (hold != 0 && (hold < 3 || hold > 65535)) {
            throw new IllegalArgumentException("hold time must be 0 or 3-65535 seconds");
        }
        if (restartTime.isNegative() || restartTime.toSeconds() > 0xFFF) {
            throw new IllegalArgumentException("restart time must be 0-4095 seconds");
        }
        if (localAsn < 1 || localAsn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("local ASN out of range");
        }
    }
}
