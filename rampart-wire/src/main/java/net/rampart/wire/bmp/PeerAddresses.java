package net.rampart.wire.bmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import net.rampart.wire.WireCursor;

/**
 * The peer address and BGP identifier of the last per-peer header a session decoded (whose
 * length was checked before), given again while a header's bytes are the same: a router's
 * messages come in runs of one peer, and each would otherwise make two addresses (a copy of the
 * bytes, the address and its holder, some 160 bytes a message). Used by one session's decoding
 * thread only.
 */
final class PeerAddresses {
    private final LastAddress peer = new LastAddress(16);
    private final LastAddress bgpId = new LastAddress(4);

    /** The peer address of {@code length} bytes (4 or 16) at the cursor, which it passes. */
    InetAddress peer(WireCursor in, int length) {
        return peer.read(in, length, "peer address");
    }

    /** The BGP identifier at the cursor, which it passes. */
    Inet4Address bgpId(WireCursor in) {
        return (Inet4Address) bgpId.read(in, 4, "peer BGP ID");
    }

    /** One address field: the bytes last read there and the address made of them. */
    private static final class LastAddress {
        private final byte[] bytes;
        private int length;
        private InetAddress address;

        LastAddress(int capacity) {
            bytes = new byte[capacity];
        }

        /** The address of {@code length} bytes at the cursor, the last one while the bytes are the same. */
        InetAddress read(WireCursor in, int length, String field) {
            int at = in.arrayOffset();
            if (address != null && length == this.length
                    && Arrays.equals(in.array(), at, at + length, bytes, 0, length)) {
                in.skip(length, field);
                return address;
            }
            address = in.address(length, field);
            System.arraycopy(in.array(), at, bytes, 0, length);
            this.length = length;
            return address;
        }
    }
}
