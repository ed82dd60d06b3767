package net.rampart.mitigation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix in canonical form: host bits beyond the length are zero, so two
 * prefixes that cover the same addresses are equal. Text is parsed strictly: a prefix with host
 * bits set, an IPv4 octet with a leading zero or an IPv4-mapped IPv6 address is refused rather
 * than read as something the sender may not have meant.
 */
public final class IpPrefix {

    // Compiled once: addresses are parsed for every event and every database row.
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");
    // Decimal without leading zeros: "024" is 24 to Java but 20 (octal) to inet_aton and many tools.
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("0|[1-9]\\d{0,2}");

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
     * Only numeric addresses are accepted: a name is never resolved. Host bits beyond the
     * length are refused, not cleared: {@code 2001:db8:dead::1/48} may be a typo for a /128 as
     * much as for {@code 2001:db8:dead::/48}, and only the sender knows which.
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
        String lengthText = s.substring(slash + 1);
        if (!DECIMAL.matcher(lengthText).matches()) {
            throw new IllegalArgumentException("bad prefix length in '" + s + "'");
        }
        IpPrefix prefix = of(address, Integer.parseInt(lengthText));
        if (!Arrays.equals(prefix.address, address.getAddress())) {
            throw new IllegalArgumentException("'" + s + "' has host bits set; did you mean " + prefix + "?");
        }
        return prefix;
    }

    /**
     * Parses a numeric IPv4 or IPv6 address without any name lookup. IPv4 octets are decimal
     * without leading zeros; IPv6 groups may have them (hex, never ambiguous). An IPv4-mapped
     * IPv6 address ({@code ::ffff:192.0.2.1}) is refused: the JDK would read it as the IPv4
     * address, silently changing the family the sender wrote.
     */
    public static InetAddress parseAddress(String text) {
        String s = text.strip();
        boolean v4 = IPV4.matcher(s).matches();
        boolean v6 = !v4 && s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (v4) {
            for (String octet : s.split("\\.")) {
                if (!DECIMAL.matcher(octet).matches()) {
                    throw new IllegalArgumentException("'" + text + "' is not a canonical IPv4 address: octet '"
                            + octet + "' has a leading zero");
                }
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IP address");
                }
            }
        }
        InetAddress address;
        try {
            // Numeric literals only (checked above), so this never touches DNS.
            address = InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (v6 && address.getAddress().length == 4) {
            throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 address; write the IPv4 address "
                    + formatAddress(address));
        }
        return address;
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
        return net.rampart.wire.ip.Ipv6Prefix.formatAddress(high, low);
    }
}
