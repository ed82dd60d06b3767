package net.rampart.wire.bmp;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;

/**
 * The decoding state of one BMP session (one TCP connection from one router): for every
 * monitored peer, the capabilities its Peer Ups' OPEN messages negotiated, kept under the
 * per-peer header's identity until its Peer Down. Not thread-safe: one session is read by one
 * connection.
 *
 * <p>Which OPEN speaks for which direction follows the per-peer header: Adj-RIB-In (and
 * Loc-RIB) routes are UPDATEs the peer sent to the router, Adj-RIB-Out routes (O flag) are
 * UPDATEs the router sent to the peer. Add-path needs the sender's SEND and the receiver's
 * RECEIVE for the family (RFC 7911). The AS number size of a Route Monitoring is what its A
 * flag says (RFC 7854 section 4.2: a router may rewrite a 2-octet peer's paths to 4 octets
 * and then clears the flag), never inferred from lengths.
 */
public final class BmpSession implements PeerCapabilityLookup {

    /** A router monitoring more peers than this is sending garbage or attacking the collector. */
    public static final int DEFAULT_MAX_PEERS = 1 << 16;

    private static final PeerCapabilities DEFAULT = PeerCapabilities.of(true, true, Set.of());
    private static final PeerCapabilities DEFAULT_LEGACY_AS_PATH = PeerCapabilities.of(false, true, Set.of());

    private final Map<BmpPeerKey, PeerState> peers = new HashMap<>();
    private final int maxPeers;
    private long routeMonitoringWithoutPeerUp;
    /** The peer of the last Route Monitoring with a Peer Up, and its state; cleared by every Peer Up and Peer Down. */
    private PerPeerHeader lastPeer;
    private PeerState lastState;
    private long skippedFamilies;
    /** The addresses of the last Route Monitoring's per-peer header, for the next of the same peer. */
    private final PeerAddresses addresses = new PeerAddresses();

    /**
     * What the peer's Peer Ups negotiated, and the four states a Route Monitoring of the peer is
     * decoded with (direction by the O flag, AS number size by the A flag), made once here rather
     * than for every message: a full table is hundreds of thousands of them.
     */
    private static final class PeerState {
        private final PeerCapabilities fromPeer;
        private final PeerCapabilities toPeer;
        /** Indexed by O flag (2) and A flag (1). */
        private final PeerCapabilities[] forRouteMonitoring;

        PeerState(PeerCapabilities fromPeer, PeerCapabilities toPeer) {
            this.fromPeer = fromPeer;
            this.toPeer = toPeer;
            this.forRouteMonitoring = new PeerCapabilities[] {
                    forRouteMonitoring(fromPeer, false), forRouteMonitoring(fromPeer, true),
                    forRouteMonitoring(toPeer, false), forRouteMonitoring(toPeer, true)};
        }

        PeerState union(PeerState other) {
            return new PeerState(fromPeer.union(other.fromPeer), toPeer.union(other.toPeer));
        }

        /** Extended messages: the router has already accepted the UPDATE, whatever was negotiated. */
        private static PeerCapabilities forRouteMonitoring(PeerCapabilities negotiated, boolean legacyAsPath) {
            return negotiated.withFourOctetAs(!legacyAsPath).withExtendedMessage(true);
        }

        PeerCapabilities forRouteMonitoring(PerPeerHeader peer) {
            return forRouteMonitoring[(peer.isAdjRibOut() ? 2 : 0) + (peer.isLegacyAsPath() ? 1 : 0)];
        }
    }

    public BmpSession() {
        this(DEFAULT_MAX_PEERS);
    }

    public BmpSession(int maxPeers) {
        this.maxPeers = maxPeers;
    }

    /**
     * Decodes one complete message (from {@link BmpFrameDecoder}) and updates the per-peer
     * state: a Peer Up adds to the peer's capabilities, a Peer Down forgets them.
     *
     * @throws DecodeException when the message is malformed; the session state is unchanged then,
     *         but for the last per-peer header's addresses, which are only ever given for their own bytes
     */
    public BmpMessage decode(byte[] message) {
        return decode(message, 0, message.length);
    }

    /**
     * As {@link #decode(byte[])}, for the message of {@code length} bytes at {@code offset} in
     * {@code buffer}: what the decoded message keeps is copied, so the buffer may be reused
     * once this returns.
     */
    public BmpMessage decode(byte[] buffer, int offset, int length) {
        BmpMessage decoded = BmpMessageDecoder.decode(buffer, offset, length, this, addresses);
        switch (decoded) {
            case BmpMessage.PeerUp up -> {
                lastState = null;
                peerUp(up);
            }
            case BmpMessage.PeerDown down -> {
                lastState = null;
                peers.remove(down.peer().key());
            }
            case BmpMessage.RouteMonitoring rm -> skippedFamilies += rm.update().skippedFamilies();
            default -> {
            }
        }
        return decoded;
    }

    /**
     * Adds what this Peer Up negotiated to what earlier Peer Ups of the same peer did, rather
     * than replacing it. A router may send one Peer Up per address family for one peer (RFC
     * 9069 Loc-RIB peers), each OPEN pair holding only that family's capabilities; replacing
     * would forget ADD-PATH of the earlier families, and their UPDATEs would then be read
     * without path identifiers, which misparses every NLRI. The end of the peer's BGP session
     * is reported by a Peer Down (RFC 7854 section 4.9), which clears the state, so the union
     * does not carry capabilities from one BGP session into the next.
     */
    private void peerUp(BmpMessage.PeerUp up) {
        BmpPeerKey key = up.peer().key();
        if (!peers.containsKey(key) && peers.size() >= maxPeers) {
            throw new DecodeException("more than " + maxPeers + " peers announced on one BMP session");
        }
        OpenMessage fromRouter = up.sentOpen();
        OpenMessage fromPeer = up.receivedOpen();
        peers.merge(key, new PeerState(PeerCapabilities.forMessagesFrom(fromPeer, fromRouter),
                PeerCapabilities.forMessagesFrom(fromRouter, fromPeer)), PeerState::union);
    }

    @Override
    public PeerCapabilities forRouteMonitoring(PerPeerHeader peer) {
        // A router sends each peer's Route Monitoring in long runs: the last peer's state is
        // compared field by field before the map is asked, which would need a key per message.
        PeerState last = lastState;
        if (last != null && isLastPeer(peer)) {
            return last.forRouteMonitoring(peer);
        }
        PeerState state = peers.get(peer.key());
        lastPeer = peer;
        lastState = state;
        if (state == null) {
            routeMonitoringWithoutPeerUp++;
            return defaultCapabilities(peer);
        }
        return state.forRouteMonitoring(peer);
    }

    /**
     * What a Route Monitoring of this peer is decoded with when a Peer Up of the peer has been
     * seen, else null; unlike {@link #forRouteMonitoring}, which decodes it, this is not counted
     * as a Route Monitoring. Right after one of the peer's Route Monitoring, no map lookup.
     */
    public PeerCapabilities negotiated(PerPeerHeader peer) {
        PeerState state = lastState != null && isLastPeer(peer) ? lastState : peers.get(peer.key());
        return state == null ? null : state.forRouteMonitoring(peer);
    }

    private boolean isLastPeer(PerPeerHeader peer) {
        return lastPeer.peerType() == peer.peerType() && lastPeer.distinguisher() == peer.distinguisher()
                && lastPeer.address().equals(peer.address());
    }

    /**
     * For a peer with no Peer Up (a collector that joined late, or a router that skips it): RFC
     * 7854 makes 4-octet AS the BMP default unless the A flag is set; add-path cannot be known
     * and is assumed off.
     */
    public static PeerCapabilities defaultCapabilities(PerPeerHeader peer) {
        return peer.isLegacyAsPath() ? DEFAULT_LEGACY_AS_PATH : DEFAULT;
    }

    /** Whether a Peer Up for this peer has been seen and no Peer Down since. */
    public boolean isUp(BmpPeerKey peer) {
        return peers.containsKey(peer);
    }

    /** Peers currently up. */
    public int peerCount() {
        return peers.size();
    }

    /** Route Monitoring messages decoded with default state because their peer had no Peer Up. */
    public long routeMonitoringWithoutPeerUp() {
        return routeMonitoringWithoutPeerUp;
    }

    /** MP_REACH/MP_UNREACH blocks of address families the BGP decoder does not decode, skipped. */
    public long skippedFamilies() {
        return skippedFamilies;
    }
}
