package net.rampart.wire.bgp;

/**
 * A decoded BGP-4 message (RFC 4271). Decode with {@link BgpMessageDecoder}, encode with
 * {@link BgpMessageEncoder}; both need the {@link PeerCapabilities} of the session the
 * message belongs to.
 */
public sealed interface BgpMessage
        permits OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage, RouteRefreshMessage {

    int TYPE_OPEN = 1;
    int TYPE_UPDATE = 2;
    int TYPE_NOTIFICATION = 3;
    int TYPE_KEEPALIVE = 4;
    int TYPE_ROUTE_REFRESH = 5;

    /** Length of the marker + length + type header. */
    int HEADER_LENGTH = 19;
    /** RFC 4271 maximum message size. */
    int MAX_LENGTH = 4096;
    /** RFC 8654 maximum message size once both sides advertise extended messages. */
    int MAX_EXTENDED_LENGTH = 65535;

    /** The message type code of the header. */
    int type();
}
