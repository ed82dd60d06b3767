package net.rampart.collector.rib;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 prefix with its path ID, the address held as two longs (high and low 64 bits).
 * Host bits are cleared on construction.
 */
public record Ipv6Prefix(long high, long low, int length, int pathId) implements RouteKey {
    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length);
        }
        high &= highMask(length);
        low &= lowMask(length);
    }

    static long highMask(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    static long lowMask(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    public static Ipv6Prefix of(byte[] address16, int length, int pathId) {
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (address16[i] & 0xFF);
            l = l << 8 | (address16[i + 8] & 0xFF);
        }
        return new Ipv6Prefix(h, l, length, pathId);
    }

    /** Parses {@code addr/len} with any textual IPv6 address form. */
    public static Ipv6Prefix parse(String cidr, int pathId) {
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        int len = slash < 0 ? 128 : Integer.parseInt(cidr.substring(slash + 1));
        if (addr.indexOf(':') < 0) {
            throw new IllegalArgumentException("not an IPv6 prefix: " + cidr);
        }
        try {
            // A literal with a colon is parsed without a name lookup.
            InetAddress a = InetAddress.getByName(addr);
            if (!(a instanceof Inet6Address)) {
                throw new IllegalArgumentException("not an IPv6 prefix: " + cidr);
            }
            return of(a.getAddress(), len, pathId);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 prefix: " + cidr, e);
        }
    }

    public byte[] addressBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    /** True when this prefix covers {@code other} (equal or less specific). */
    public boolean covers(Ipv6Prefix other) {
        return length <= other.length && (other.high & highMask(length)) == high
                && (other.low & lowMask(length)) == low;
    }

    @Override
    public String text() {
        return format(high, low) + "/" + length;
    }

    /** The RFC 5952 text form of an IPv6 address: lower case, longest zero run as "::". */
    public static String format(long high, long low) {
        return net.rampart.wire.ip.Ipv6Prefix.formatAddress(high, low);
    }

    @Override
    public String toString() {
        return pathId == 0 ? text() : text() + "#" + Integer.toUnsignedString(pathId);
    }
}
