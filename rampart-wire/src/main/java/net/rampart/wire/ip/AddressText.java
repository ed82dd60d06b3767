package net.rampart.wire.ip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Addresses as people and APIs read them: dotted quads, and IPv6 in RFC 5952 form
 * ({@code 2001:db8::2}), which {@link InetAddress#getHostAddress()} does not give
 * ({@code 2001:db8:0:0:0:0:0:2}), with an IPv4-mapped address in the mixed notation section 5
 * recommends ({@code ::ffff:192.0.2.1}); and the one strict reader of address text.
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

    /**
     * Reads a numeric IPv4 or IPv6 address by the rules of {@link IpPrefix#parse}, never
     * looking up a name. An IPv4-mapped IPv6 address is refused: the JDK would hand it back as
     * the IPv4 address, silently changing the family the sender wrote.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        return IpText.address(text).inetAddress();
    }

    /** The address of 4 or 16 bytes, of that family: an IPv4-mapped one stays IPv6. */
    static InetAddress inetAddress(byte[] address) {
        try {
            return address.length == 16 ? Inet6Address.getByAddress(null, address, -1)
                    : InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length, e);
        }
    }
}
