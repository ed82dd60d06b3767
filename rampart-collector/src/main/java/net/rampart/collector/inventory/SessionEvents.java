package net.rampart.collector.inventory;

import net.rampart.collector.rib.PeerKey;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;

import java.time.Instant;
import java.util.List;

/**
 * Where the inventory's changes and the routers' statistics are recorded (PostgreSQL in the
 * service). Called on the router's event loop: implementations hand the work to their own
 * thread and return at once.
 */
public interface SessionEvents {

    SessionEvents NONE = new SessionEvents() {
        @Override
        public void routerChanged(RouterRecord router) {
        }

        @Override
        public void peerChanged(PeerKey key, PeerRecord peer) {
        }

        @Override
        public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                                NotificationMessage notification) {
        }

        @Override
        public void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics) {
        }
    };

    /** A router's record changed: first seen, Initiation, Termination, connected or not. */
    void routerChanged(RouterRecord router);

    /** A peer's record changed (Peer Up details, seen, down). */
    void peerChanged(PeerKey key, PeerRecord peer);

    /**
     * A peer session came up or went down.
     *
     * @param reason       BMP Peer Down reason code when down, else -1
     * @param notification the NOTIFICATION of the down, or null
     */
    void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                     NotificationMessage notification);

    /** A Statistics Report's counters, for the time series. */
    void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics);
}
