package net.rampart.collector.peers;

import java.util.List;
import net.rampart.collector.history.HistoryUnavailableException;
import net.rampart.collector.rib.RouterId;

/**
 * Durable record of routers, their BGP peers, peer up/down events and statistics,
 * implemented by the store. Each call is one transaction.
 */
public interface PeerEventStore {
    /** A router connected (BMP Initiation): created or refreshed, marked active. */
    void routerUp(RouterInfo router, long timeMillis) throws HistoryUnavailableException;

    /** A router went away (Termination or lost session): marked inactive with the reason; its peers too. */
    void routerDown(RouterId router, String reason, long timeMillis) throws HistoryUnavailableException;

    /** A peer came up (Peer Up, or first routes of an unannounced peer): details stored, marked active, event recorded. */
    void peerUp(PeerSession session, long timeMillis) throws HistoryUnavailableException;

    /** A peer went down: marked inactive, event recorded with the reason and NOTIFICATION. */
    void peerDown(PeerDown down) throws HistoryUnavailableException;

    /** A Statistics Report's values, stored as time series. */
    void statistics(List<PeerStatistic> values) throws HistoryUnavailableException;
}
