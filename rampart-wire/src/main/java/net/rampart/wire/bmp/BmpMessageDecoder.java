package net.rampart.wire.bmp;

import java.net.InetAddress;
import java.util.List;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;

/**
 * Decodes one complete BMP message, as delivered by {@link BmpFrameDecoder}, into a
 * {@link BmpMessage}. Stateless: encapsulated BGP messages stay raw.
 */
public final class BmpMessageDecoder {

    /** BGP header: marker (16) + length (2) + type (1). */
    static final int BGP_HEADER_LENGTH = 19;

    private BmpMessageDecoder() {
    }

    /**
     * @param message one BMP message, common header included, exactly as long as its length field says
     * @throws DecodeException when the message is malformed
     */
    public static BmpMessage decode(byte[] message) {
        WireCursor in = new WireCursor(message);
        int version = in.uint8("BMP version");
        if (version != BmpFrameDecoder.BMP_VERSION) {
            throw new DecodeException("BMP version " + version + ", expected 3", 0);
        }
        long length = in.uint32("BMP message length");
        if (length != message.length) {
            throw new DecodeException("BMP message length " + length + " but " + message.length + " bytes given", 1);
        }
        int type = in.uint8("BMP message type");
        return switch (type) {
            case BmpMessage.ROUTE_MONITORING -> routeMonitoring(in);
            case BmpMessage.STATISTICS_REPORT -> statisticsReport(in);
            case BmpMessage.PEER_DOWN -> peerDown(in);
            case BmpMessage.PEER_UP -> peerUp(in);
            case BmpMessage.INITIATION -> new BmpMessage.Initiation(InformationTlv.decodeAll(in));
            case BmpMessage.TERMINATION -> new BmpMessage.Termination(InformationTlv.decodeAll(in));
            case BmpMessage.ROUTE_MIRRORING -> new BmpMessage.RouteMirroring(PerPeerHeader.decode(in), InformationTlv.decodeAll(in));
            default -> new BmpMessage.Unknown(type, in.rest());
        };
    }

    private static BmpMessage.RouteMonitoring routeMonitoring(WireCursor in) {
        PerPeerHeader peer = PerPeerHeader.decode(in);
        byte[] update = bgpMessage(in, "route monitoring BGP message");
        if (in.hasRemaining()) {
            throw new DecodeException(in.remaining() + " bytes after the BGP message of a route monitoring", in.position());
        }
        return new BmpMessage.RouteMonitoring(peer, update);
    }

    private static BmpMessage.StatisticsReport statisticsReport(WireCursor in) {
        PerPeerHeader peer = PerPeerHeader.decode(in);
        long count = in.uint32("stats count");
        // Each stat takes at least 4 bytes, so a count beyond that is a lie to reject, not to size from.
        if (count > in.remaining() / 4) {
            throw new DecodeException("stats count " + count + " exceeds what " + in.remaining() + " bytes can hold", in.position() - 4);
        }
        Statistic[] stats = new Statistic[(int) count];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = Statistic.decode(in);
        }
        return new BmpMessage.StatisticsReport(peer, List.of(stats));
    }

    private static BmpMessage.PeerDown peerDown(WireCursor in) {
        PerPeerHeader peer = PerPeerHeader.decode(in);
        int reason = in.uint8("peer down reason");
        byte[] none = new byte[0];
        return switch (reason) {
            case BmpMessage.PeerDown.LOCAL_NOTIFICATION, BmpMessage.PeerDown.REMOTE_NOTIFICATION ->
                    new BmpMessage.PeerDown(peer, reason, bgpMessage(in, "peer down NOTIFICATION"), -1, List.of(), none);
            case BmpMessage.PeerDown.LOCAL_NO_NOTIFICATION ->
                    new BmpMessage.PeerDown(peer, reason, null, in.uint16("peer down FSM event"), List.of(), none);
            case BmpMessage.PeerDown.REMOTE_NO_NOTIFICATION, BmpMessage.PeerDown.PEER_DECONFIGURED ->
                    new BmpMessage.PeerDown(peer, reason, null, -1, List.of(), none);
            case BmpMessage.PeerDown.LOCAL_TLV ->
                    new BmpMessage.PeerDown(peer, reason, null, -1, InformationTlv.decodeAll(in), none);
            default -> new BmpMessage.PeerDown(peer, reason, null, -1, List.of(), in.rest());
        };
    }

    private static BmpMessage.PeerUp peerUp(WireCursor in) {
        PerPeerHeader peer = PerPeerHeader.decode(in);
        InetAddress local;
        if (peer.isIpv6()) {
            local = in.address(16, "peer up local address");
        } else {
            in.skip(12, "peer up local address padding");
            local = in.address(4, "peer up local address");
        }
        int localPort = in.uint16("peer up local port");
        int remotePort = in.uint16("peer up remote port");
        byte[] sent = bgpMessage(in, "peer up sent OPEN");
        byte[] received = bgpMessage(in, "peer up received OPEN");
        return new BmpMessage.PeerUp(peer, local, localPort, remotePort, sent, received, InformationTlv.decodeAll(in));
    }

    /** One BGP message, delimited by the length in its own header. */
    private static byte[] bgpMessage(WireCursor in, String field) {
        in.require(BGP_HEADER_LENGTH, field + " header");
        byte[] bytes = in.array();
        int start = in.position();
        int length = ((bytes[start + 16] & 0xff) << 8) | (bytes[start + 17] & 0xff);
        if (length < BGP_HEADER_LENGTH) {
            throw new DecodeException(field + " length " + length + " below the BGP header size", start + 16);
        }
        return in.bytes(length, field);
    }
}
