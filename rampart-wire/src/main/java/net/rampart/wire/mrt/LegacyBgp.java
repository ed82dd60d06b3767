package net.rampart.wire.mrt;

import java.net.InetAddress;
import java.util.Arrays;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.BgpMessage;

/** The deprecated MRT type BGP (5) of RFC 6396 appendix B, as RIPE RIS wrote it in 1999-2001. */
final class LegacyBgp {

    private static final int BGP_UPDATE = 1;
    private static final int BGP_STATE_CHANGE = 3;
    private static final int BGP_OPEN = 5;
    private static final int BGP_NOTIFY = 6;
    private static final int BGP_KEEPALIVE = 7;

    private LegacyBgp() {
    }

    static MrtRecord decode(MrtRecord.Header header, WireCursor in, byte[] body) {
        int messageType = switch (header.subtype()) {
            case BGP_UPDATE -> BgpMessage.TYPE_UPDATE;
            case BGP_OPEN -> BgpMessage.TYPE_OPEN;
            case BGP_NOTIFY -> BgpMessage.TYPE_NOTIFICATION;
            case BGP_KEEPALIVE -> BgpMessage.TYPE_KEEPALIVE;
            case BGP_STATE_CHANGE -> 0;
            default -> -1;
        };
        if (messageType < 0) {
            return new MrtRecord.Unknown(header, body);
        }
        int peerAs = in.uint16("BGP peer AS");
        InetAddress peer = in.address(4, "BGP peer address");
        if (messageType == 0) {
            int oldState = in.uint16("BGP old state");
            int newState = in.uint16("BGP new state");
            if (in.hasRemaining()) {
                throw new DecodeException(in.remaining() + " bytes after a BGP_STATE_CHANGE", in.position());
            }
            return new MrtRecord.LegacyBgpStateChange(header, peerAs, peer, oldState, newState);
        }
        int localAs = in.uint16("BGP local AS");
        InetAddress local = in.address(4, "BGP local address");
        return new MrtRecord.LegacyBgpMessage(header, peerAs, peer, localAs, local, withHeader(messageType, in));
    }

    /** The message body at the cursor with the marker, length and type it was stored without. */
    private static byte[] withHeader(int type, WireCursor in) {
        int length = BgpMessage.HEADER_LENGTH + in.remaining();
        if (length > BgpMessage.MAX_EXTENDED_LENGTH) {
            throw new DecodeException("BGP message of " + length + " bytes", in.position());
        }
        byte[] message = new byte[length];
        Arrays.fill(message, 0, 16, (byte) 0xff);
        message[16] = (byte) (length >>> 8);
        message[17] = (byte) length;
        message[18] = (byte) type;
        System.arraycopy(in.array(), in.arrayOffset(), message, BgpMessage.HEADER_LENGTH, in.remaining());
        in.skip(in.remaining(), "BGP message");
        return message;
    }
}
