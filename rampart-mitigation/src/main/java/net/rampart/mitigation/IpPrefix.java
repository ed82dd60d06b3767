package net.rampart.mitigation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix in canonical form: host bits beyond the length are zero, so two
 * prefixes that cover the same addresses are equal.
 */
public final class IpPrefix {

    // Compiled once: addresses are parsed for every event and every database row.
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] address;
    private final int length;

    private IpPrefix(byte[] address, int length) {
        this.address = address;
        this.length = length;
    }

    public static IpPrefix of(InetAddress address, int length) {
        byte[] bytes = address.getAddress();
        int max = bytes.length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0-" + max);
        }
        return new IpPrefix(mask(bytes, length), length);
    }

    /** The prefix that holds exactly one address: /32 for IPv4, /128 for IPv6. */
    public static IpPrefix host(InetAddress address) {
        return of(address, address.getAddress().length * 8);
    }

    /**
     * Parses {@code 192.0.2.0/24}, {@code 2001:db8::/32} or a bare address (a host prefix).
     * Only numeric addresses are accepted: a name is never resolved.
     */
    public static IpPrefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty prefix");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = parseAddress(addressPart);
        if (slash < 0) {
            return host(address);
        }
        int length;
        try {
            length = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + s + "'");
        }
        return of(address, length);
    }

    /** Parses a numeric IPv4 or IPv6 address without any name lookup. */
    public static InetAddress parseAddress(String text) {
        String s = text.strip();
        boolean v4 = IPV4.matcher(s).matches();
        boolean v6 = !v4 && s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (v4) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IP address");
                }
            }
        }
        try {
            // Numeric literals only (checked above), so this never touches DNS.
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    private static byte[] mask(byte[] bytes, int length) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, length - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bitsHere)));
        }
        return out;
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public int length() {
        return length;
    }

    public int maxLength() {
        return address.length * 8;
    }

    public byte[] addressBytes() {
        return address.clone();
    }

    public InetAddress address() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean contains(InetAddress candidate) {
        byte[] other = candidate.getAddress();
        return other.length == address.length && Arrays.equals(mask(other, length), address);
    }

    /** True when every address of {@code other} is also in this prefix. */
    public boolean covers(IpPrefix other) {
        return other.address.length == address.length
                && other.length >= length
                && Arrays.equals(mask(other.address, length), address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + length;
    }

    /** Canonical CIDR: IPv6 in its compressed lower-case form (RFC 5952). */
    @Override
    public String toString() {
        return formatAddress(address) + "/" + length;
    }

    public static String formatAddress(InetAddress address) {
        return formatAddress(address.getAddress());
    }

    private static String formatAddress(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (a[i] & 0xff);
            low = low << 8 | (a[8 + i] & 0xff);
        }
        return net.rampart.wire.bgp.nlri.Ipv6Prefix.formatAddress(high, low);
    }
}
