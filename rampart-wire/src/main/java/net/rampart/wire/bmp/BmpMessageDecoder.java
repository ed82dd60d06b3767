package net.rampart.wire.bmp;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;

/**
 * Decodes one complete BMP message, as delivered by {@link BmpFrameDecoder}, into a
 * {@link BmpMessage}. Stateless: the state Route Monitoring needs comes from the
 * {@link PeerCapabilityLookup} passed in, normally a {@link BmpSession}.
 */
public final class BmpMessageDecoder {

    /** BGP header: marker (16) + length (2) + type (1). */
    static final int BGP_HEADER_LENGTH = BgpMessage.HEADER_LENGTH;

    /**
     * For messages whose size was negotiated elsewhere (OPEN, NOTIFICATION): accept up to the
     * RFC 8654 maximum rather than reject what the router already accepted.
     */
    private static final PeerCapabilities ANY_SIZE = PeerCapabilities.of(true, true, Set.of());

    private BmpMessageDecoder() {
    }

    /**
     * Decodes with the defaults RFC 7854 prescribes for a peer never announced by a Peer Up:
     * 4-octet AS numbers unless the A flag says otherwise, no add-path.
     */
    public static BmpMessage decode(byte[] message) {
        return decode(message, BmpSession::defaultCapabilities);
    }

    /**
     * @param message      one BMP message, common header included, exactly as long as its length field says
     * @param capabilities the decoding state for the UPDATE of a Route Monitoring
     * @throws DecodeException when the message is malformed
     */
    public static BmpMessage decode(byte[] message, PeerCapabilityLookup capabilities) {
        return decode(message, 0, message.length, capabilities, null);
    }

    /**
     * As {@link #decode(byte[], PeerCapabilityLookup)}, for the message of {@code length} bytes
     * at {@code offset} in {@code buffer}, the per-peer headers' addresses by way of a session's
     * {@code addresses}. Whatever the decoded message keeps is copied out of the buffer, which
     * may be reused once this returns.
     */
    static BmpMessage decode(byte[] buffer, int offset, int length, PeerCapabilityLookup capabilities,
                             PeerAddresses addresses) {
        WireCursor in = new WireCursor(buffer, offset, length);
        int version = in.uint8("BMP version");
        if (version != BmpFrameDecoder.BMP_VERSION) {
            throw new DecodeException("BMP version " + version + ", expected 3", 0);
        }
        long declared = in.uint32("BMP message length");
        if (declared != length) {
            throw new DecodeException("BMP message length " + declared + " but " + length + " bytes given", 1);
        }
        int type = in.uint8("BMP message type");
        return switch (type) {
            case BmpMessage.ROUTE_MONITORING -> routeMonitoring(in, capabilities, addresses);
            case BmpMessage.STATISTICS_REPORT -> statisticsReport(in);
            case BmpMessage.PEER_DOWN -> peerDown(in);
            case BmpMessage.PEER_UP -> peerUp(in);
            case BmpMessage.INITIATION -> new BmpMessage.Initiation(InformationTlv.decodeAll(in));
            case BmpMessage.TERMINATION -> new BmpMessage.Termination(InformationTlv.decodeAll(in));
            case BmpMessage.ROUTE_MIRRORING -> new BmpMessage.RouteMirroring(PerPeerHeader.decode(in), InformationTlv.decodeAll(in));
            default -> new BmpMessage.Unknown(type, in.rest());
        };
    }

    private static final byte[] NO_TRAILER = new byte[0];

    private static BmpMessage.RouteMonitoring routeMonitoring(WireCursor in, PeerCapabilityLookup capabilities,
                                                             PeerAddresses addresses) {
        PerPeerHeader peer = PerPeerHeader.decode(in, addresses);
        int start = in.position();
        int length = bgpMessageLength(in, "route monitoring BGP message");
        BgpMessage message = BgpMessageDecoder.decode(in.array(), in.arrayOffset(), length,
                capabilities.forRouteMonitoring(peer));
        if (!(message instanceof UpdateMessage update)) {
            throw new DecodeException("route monitoring carries BGP message type " + message.type() + ", not an UPDATE", start + 18);
        }
        in.skip(length, "route monitoring BGP message");
        if (!in.hasRemaining()) {
            // The common case, RFC 7854's shape: nothing after the UPDATE, nothing to allocate for it.
            return new BmpMessage.RouteMonitoring(peer, update, List.of(), NO_TRAILER);
        }
        List<RouteMonitoringTlv> tlvs = RouteMonitoringTlv.decodeWhileWellFormed(in);
        return new BmpMessage.RouteMonitoring(peer, update, tlvs, in.rest());
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
                    new BmpMessage.PeerDown(peer, reason, notification(in), -1, List.of(), none);
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
        OpenMessage sent = open(in, "peer up sent OPEN");
        OpenMessage received = open(in, "peer up received OPEN");
        return new BmpMessage.PeerUp(peer, local, localPort, remotePort, sent, received, InformationTlv.decodeAll(in));
    }

    private static OpenMessage open(WireCursor in, String field) {
        int start = in.position();
        int at = in.arrayOffset();
        int length = bgpMessageLength(in, field);
        in.skip(length, field);
        if (BgpMessageDecoder.decode(in.array(), at, length, ANY_SIZE) instanceof OpenMessage open) {
            return open;
        }
        throw new DecodeException(field + " is not an OPEN message", start + 18);
    }

    private static NotificationMessage notification(WireCursor in) {
        int start = in.position();
        int at = in.arrayOffset();
        int length = bgpMessageLength(in, "peer down NOTIFICATION");
        in.skip(length, "peer down NOTIFICATION");
        if (BgpMessageDecoder.decode(in.array(), at, length, ANY_SIZE) instanceof NotificationMessage notification) {
            return notification;
        }
        throw new DecodeException("peer down data is not a NOTIFICATION message", start + 18);
    }

    /** The length of the BGP message at the cursor, from its own header, checked to fit. */
    private static int bgpMessageLength(WireCursor in, String field) {
        in.require(BGP_HEADER_LENGTH, field + " header");
        byte[] bytes = in.array();
        int at = in.arrayOffset();
        int length = ((bytes[at + 16] & 0xff) << 8) | (bytes[at + 17] & 0xff);
        if (length < BGP_HEADER_LENGTH) {
            throw new DecodeException(field + " length " + length + " below the BGP header size", in.position() + 16);
        }
        in.require(length, field);
        return length;
    }
}
