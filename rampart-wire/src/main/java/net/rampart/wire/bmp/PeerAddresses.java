package net.rampart.wire.bmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import net.rampart.wire.WireCursor;

/**
 * The peer address and BGP identifier of the last per-peer header a session decoded (whose
 * length was checked before), given
 * again while a header's bytes are the same: a router's messages come in runs of one peer, and
 * each would otherwise make two addresses (a copy of the bytes, the address and its holder, some
 * 160 bytes a message). Used by one session's decoding thread only.
 */
final class PeerAddresses {
    private final byte[] peerBytes = new byte[16];
    private int peerLength;
    private InetAddress peer;
    private final byte[] bgpIdBytes = new byte[4];
    private Inet4Address bgpId;

    /** The peer address of {@code length} bytes (4 or 16) at the cursor, which it passes. */
    InetAddress peer(WireCursor in, int length) {
        if (peer == null || length != peerLength || !sameBytes(in, peerBytes, length)) {
            InetAddress read = in.address(length, "peer address");
            System.arraycopy(in.array(), in.arrayOffset() - length, peerBytes, 0, length);
            peerLength = length;
            peer = read;
            return read;
        }
        in.skip(length, "peer address");
        return peer;
    }

    /** The BGP identifier at the cursor, which it passes. */
    Inet4Address bgpId(WireCursor in) {
        if (bgpId == null || !sameBytes(in, bgpIdBytes, 4)) {
            Inet4Address read = (Inet4Address) in.address(4, "peer BGP ID");
            System.arraycopy(in.array(), in.arrayOffset() - 4, bgpIdBytes, 0, 4);
            bgpId = read;
            return read;
        }
        in.skip(4, "peer BGP ID");
        return bgpId;
    }

    private static boolean sameBytes(WireCursor in, byte[] known, int length) {
        int at = in.arrayOffset();
        return Arrays.equals(in.array(), at, at + length, known, 0, length);
    }
}
