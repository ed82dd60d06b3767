package net.rampart.wire.bgp;

import java.nio.ByteBuffer;

import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;

/**
 * Decodes whole BGP messages, 19-byte header (marker, length, type) included. Stateless: the
 * per-session state is the {@link PeerCapabilities} passed in. Header and OPEN / NOTIFICATION /
 * KEEPALIVE / ROUTE-REFRESH problems throw {@link DecodeException}; problems inside an UPDATE
 * body are reported on the {@link UpdateMessage} as RFC 7606 errors.
 */
public final class BgpMessageDecoder {

    private BgpMessageDecoder() {
    }

    /**
     * The total length of the message starting at {@code offset}, read from its header, or -1
     * when fewer than 19 bytes are available; lets stream readers frame messages.
     */
    public static int frameLength(byte[] buf, int offset, int available) {
        if (available < BgpMessage.HEADER_LENGTH) {
            return -1;
        }
        WireCursor in = new WireCursor(buf, offset, BgpMessage.HEADER_LENGTH);
        checkMarker(in);
        int length = in.uint16("message length");
        if (length < BgpMessage.HEADER_LENGTH) {
            throw new DecodeException("message length " + length + " is below the header length", 16);
        }
        return length;
    }

    private static void checkMarker(WireCursor in) {
        for (int i = 0; i < 16; i++) {
            if (in.uint8("marker") != 0xFF) {
                throw new DecodeException("marker byte " + i + " is not 0xFF", i);
            }
        }
    }

    /** Decodes the one message that fills {@code buf[offset, offset+length)} exactly. */
    public static BgpMessage decode(byte[] buf, int offset, int length, PeerCapabilities caps) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new DecodeException("slice " + offset + "+" + length + " outside a buffer of " + buf.length);
        }
        WireCursor in = new WireCursor(buf, offset, length);
        if (length < BgpMessage.HEADER_LENGTH) {
            throw in.error("BGP message of " + length + " bytes is shorter than its header");
        }
        checkMarker(in);
        int declared = in.uint16("message length");
        if (declared != length) {
            throw new DecodeException("header says " + declared + " bytes, slice holds " + length, 16);
        }
        if (declared > caps.maxMessageLength()) {
            throw new DecodeException("message of " + declared + " bytes exceeds the session maximum "
                    + caps.maxMessageLength(), 16);
        }
        int type = in.uint8("message type");
        return switch (type) {
            case BgpMessage.TYPE_OPEN -> {
                minimum(in, length, 29, "OPEN");
                yield OpenCodec.decode(in);
            }
            case BgpMessage.TYPE_UPDATE -> {
                minimum(in, length, 23, "UPDATE");
                yield UpdateDecoder.decode(in, caps);
            }
            case BgpMessage.TYPE_NOTIFICATION -> {
                minimum(in, length, 21, "NOTIFICATION");
                yield new NotificationMessage(in.uint8("NOTIFICATION error code"), in.uint8("NOTIFICATION error subcode"),
                        in.bytes(in.remaining(), "NOTIFICATION data"));
            }
            case BgpMessage.TYPE_KEEPALIVE -> {
                if (length != BgpMessage.HEADER_LENGTH) {
                    throw in.error("KEEPALIVE of " + length + " bytes");
                }
                yield KeepaliveMessage.INSTANCE;
            }
            case BgpMessage.TYPE_ROUTE_REFRESH -> {
                if (length != 23) {
                    throw in.error("ROUTE-REFRESH of " + length + " bytes");
                }
                int afi = in.uint16("ROUTE-REFRESH AFI");
                int subtype = in.uint8("ROUTE-REFRESH subtype");
                yield new RouteRefreshMessage(new AfiSafi(afi, in.uint8("ROUTE-REFRESH SAFI")), subtype);
            }
            default -> throw new DecodeException("unknown BGP message type " + type, 18);
        };
    }

    public static BgpMessage decode(byte[] message, PeerCapabilities caps) {
        return decode(message, 0, message.length, caps);
    }

    /**
     * Decodes the message at the buffer's position and advances past it. The buffer must hold
     * the whole message ({@link #frameLength} tells how long it is).
     */
    public static BgpMessage decode(ByteBuffer buf, PeerCapabilities caps) {
        int available = buf.remaining();
        byte[] bytes;
        int offset;
        if (buf.hasArray()) {
            bytes = buf.array();
            offset = buf.arrayOffset() + buf.position();
        } else {
            bytes = new byte[Math.min(available, BgpMessage.HEADER_LENGTH)];
            buf.get(buf.position(), bytes);
            offset = 0;
        }
        int length = frameLength(bytes, offset, Math.min(available, bytes.length - offset));
        if (length < 0 || length > available) {
            throw new DecodeException("buffer holds " + available + " bytes, less than the message needs");
        }
        if (length > caps.maxMessageLength()) {
            throw new DecodeException("message of " + length + " bytes exceeds the session maximum "
                    + caps.maxMessageLength(), 16);
        }
        if (!buf.hasArray()) {
            bytes = new byte[length];
            buf.get(buf.position(), bytes);
        }
        BgpMessage message = decode(bytes, offset, length, caps);
        buf.position(buf.position() + length);
        return message;
    }

    private static void minimum(WireCursor in, int length, int minimum, String name) {
        if (length < minimum) {
            throw in.error(name + " of " + length + " bytes is shorter than " + minimum);
        }
    }
}
