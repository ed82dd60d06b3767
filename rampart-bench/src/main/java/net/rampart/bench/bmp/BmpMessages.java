package net.rampart.bench.bmp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bmp.BmpMessage;

/**
 * The BMP messages (RFC 7854) the load tools send, written straight into a {@link ByteSink}:
 * Initiation, Peer Up, Peer Down, Route Monitoring; the BGP messages they carry come from
 * rampart-wire's {@link BgpMessageEncoder}, a Termination from its TerminationMessage. Every peer
 * is an IPv4 global-instance peer with 4-octet AS paths (pre-policy Adj-RIB-In, no flags).
 */
public final class BmpMessages {

    private static final int COMMON_HEADER = 6;
    private static final int PER_PEER_HEADER = 42;

    private BmpMessages() {
    }

    /**
     * A monitored router's BGP peer as its per-peer header names it.
     *
     * @param address IPv4 address as an int
     * @param asn     the peer's AS
     * @param bgpId   its BGP identifier
     */
    public record Peer(int address, long asn, int bgpId) {
    }

    /** An OPEN with hold time 90 offering IPv4 and IPv6 unicast and 4-octet AS numbers. */
    public static OpenMessage open(long asn, int bgpId) {
        return OpenMessage.of(asn, 90, bgpId, List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST), new Capability.FourOctetAs(asn)));
    }

    public static void initiation(ByteSink out, String sysName) {
        byte[] name = sysName.getBytes(StandardCharsets.US_ASCII);
        commonHeader(out, COMMON_HEADER + 4 + name.length, BmpMessage.INITIATION);
        out.u16(2); // sysName
        out.u16(name.length);
        out.bytes(name);
    }

    /**
     * Peer Up with both OPENs; {@code timeMillis} goes into the per-peer header's timestamp
     * (0: none, the collector then takes the arrival time).
     */
    public static void peerUp(ByteSink out, Peer peer, long timeMillis, int localAddress, OpenMessage sent,
                              OpenMessage received) {
        byte[] sentBytes = BgpMessageEncoder.encode(sent, PeerCapabilities.LEGACY);
        byte[] receivedBytes = BgpMessageEncoder.encode(received, PeerCapabilities.LEGACY);
        commonHeader(out, COMMON_HEADER + PER_PEER_HEADER + 20 + sentBytes.length + receivedBytes.length,
                BmpMessage.PEER_UP);
        perPeerHeader(out, peer, timeMillis);
        for (int i = 0; i < 12; i++) {
            out.u8(0);
        }
        out.u32(localAddress);
        out.u16(179);
        out.u16(50_000);
        out.bytes(sentBytes);
        out.bytes(receivedBytes);
    }

    /** Peer Down, reason 1: the router closed the session with this NOTIFICATION. */
    public static void peerDown(ByteSink out, Peer peer, long timeMillis, NotificationMessage notification) {
        byte[] pdu = BgpMessageEncoder.encode(notification, PeerCapabilities.LEGACY);
        commonHeader(out, COMMON_HEADER + PER_PEER_HEADER + 1 + pdu.length, BmpMessage.PEER_DOWN);
        perPeerHeader(out, peer, timeMillis);
        out.u8(BmpMessage.PeerDown.LOCAL_NOTIFICATION);
        out.bytes(pdu);
    }

    /** Route Monitoring carrying an encoded BGP UPDATE (with its 19-octet BGP header). */
    public static void routeMonitoring(ByteSink out, Peer peer, long timeMillis, byte[] update) {
        commonHeader(out, COMMON_HEADER + PER_PEER_HEADER + update.length, BmpMessage.ROUTE_MONITORING);
        perPeerHeader(out, peer, timeMillis);
        out.bytes(update);
    }

    private static void commonHeader(ByteSink out, int length, int type) {
        out.u8(3);
        out.u32(length);
        out.u8(type);
    }

    /** Global instance, IPv4, 4-octet AS, pre-policy; the timestamp in seconds and microseconds. */
    private static void perPeerHeader(ByteSink out, Peer peer, long timeMillis) {
        out.u8(0);
        out.u8(0);
        out.u32(0);
        out.u32(0);
        for (int i = 0; i < 12; i++) {
            out.u8(0);
        }
        out.u32(peer.address());
        out.u32(peer.asn());
        out.u32(peer.bgpId());
        out.u32(Math.floorDiv(timeMillis, 1000));
        out.u32(Math.floorMod(timeMillis, 1000) * 1000L);
    }
}
