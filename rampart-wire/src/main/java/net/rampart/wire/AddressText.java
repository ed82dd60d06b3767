package net.rampart.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import net.rampart.wire.bgp.nlri.Ipv6Prefix;

/**
 * Addresses as people and APIs read them: dotted quads, and IPv6 in RFC 5952 form
 * ({@code 2001:db8::2}), which {@link InetAddress#getHostAddress()} does not give
 * ({@code 2001:db8:0:0:0:0:0:2}), with an IPv4-mapped address in the mixed notation section 5
 * recommends ({@code ::ffff:192.0.2.1}).
 */
public final class AddressText {

    private AddressText() {
    }

    public static String of(InetAddress address) {
        return address instanceof Inet4Address ? address.getHostAddress() : of(address.getAddress());
    }

    /** The text of a 4- or 16-byte address. */
    public static String of(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
        }
        ByteBuffer b = ByteBuffer.wrap(address);
        long high = b.getLong();
        long low = b.getLong();
        if (high == 0 && low >>> 32 == 0xFFFF) {
            return "::ffff:" + of(new byte[] {address[12], address[13], address[14], address[15]});
        }
        return Ipv6Prefix.formatAddress(high, low);
    }
}
