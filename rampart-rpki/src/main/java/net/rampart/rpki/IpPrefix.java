package net.rampart.rpki;

/**
 * An IPv4 or IPv6 prefix with its host bits clear. Both families use the same 128-bit
 * layout so that one index and one ordering serve both: an IPv4 address sits in the top
 * 32 bits of {@code high}, and {@code low} is zero.
 */
public record IpPrefix(boolean ipv6, long high, long low, int length) implements Comparable<IpPrefix> {

    public IpPrefix {
        int bits = ipv6 ? 128 : 32;
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length " + length + " outside 0.." + bits);
        }
        if ((high & ~maskHigh(length)) != 0 || (low & ~maskLow(length)) != 0 || (!ipv6 && low != 0)) {
            throw new IllegalArgumentException("host bits set");
        }
    }

    public static IpPrefix ipv4(int address, int length) {
        return new IpPrefix(false, Integer.toUnsignedLong(address) << 32, 0, length);
    }

    public int maxLength() {
        return ipv6 ? 128 : 32;
    }

    /** The IPv4 address as an int; only for IPv4 prefixes. */
    public int ipv4Address() {
        return (int) (high >>> 32);
    }

    /** Mask of the network bits of the upper 64 bits for a prefix length (0..128). */
    public static long maskHigh(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** Mask of the network bits of the lower 64 bits for a prefix length (0..128). */
    public static long maskLow(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    /** Whether this prefix equals or covers the other (same family, shorter or equal, same network bits). */
    public boolean covers(IpPrefix other) {
        return ipv6 == other.ipv6 && length <= other.length && (other.high & maskHigh(length)) == high
                && (other.low & maskLow(length)) == low;
    }

    /** The prefix with this address truncated to the given length. */
    public IpPrefix truncate(int newLength) {
        return new IpPrefix(ipv6, high & maskHigh(newLength), low & maskLow(newLength), newLength);
    }

    @Override
    public int compareTo(IpPrefix o) {
        if (ipv6 != o.ipv6) {
            return ipv6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(high, o.high);
        if (c == 0) {
            c = Long.compareUnsigned(low, o.low);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6, then the length. */
    @Override
    public String toString() {
        return address() + "/" + length;
    }

    /** The network address as canonical text. */
    public String address() {
        if (!ipv6) {
            int a = ipv4Address();
            return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
        }
        return net.rampart.wire.ip.Ipv6Prefix.formatAddress(high, low);
    }

    /**
     * Parses "address/length" strictly: a well-formed address, a length in range and no
     * host bits set. Never resolves names.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no prefix length in '" + text + "'");
        }
        String address = text.substring(0, slash);
        int length = parseDecimal(text.substring(slash + 1), 128, "prefix length");
        if (address.indexOf(':') >= 0) {
            long[] a = parseIpv6(address);
            if (length > 128) {
                throw new IllegalArgumentException("prefix length " + length + " exceeds 128");
            }
            return new IpPrefix(true, a[0], a[1], length);
        }
        if (length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " exceeds 32");
        }
        return ipv4(parseIpv4(address), length);
    }

    /** Parses an address without a length as a host prefix (/32 or /128). */
    public static IpPrefix parseAddress(String address) {
        if (address.indexOf(':') >= 0) {
            long[] a = parseIpv6(address);
            return new IpPrefix(true, a[0], a[1], 128);
        }
        return ipv4(parseIpv4(address), 32);
    }

    private static int parseDecimal(String s, int max, String what) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad " + what + " '" + s + "'");
            }
            v = v * 10 + (c - '0');
        }
        if (v > max) {
            throw new IllegalArgumentException(what + " " + v + " exceeds " + max);
        }
        return v;
    }

    private static int parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address '" + s + "'");
        }
        int a = 0;
        for (String p : parts) {
            a = (a << 8) | parseDecimal(p, 255, "IPv4 octet");
        }
        return a;
    }

    private static long[] parseIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException("more than one '::' in '" + s + "'");
        }
        int[] head = doubleColon >= 0 ? groups(s.substring(0, doubleColon), s) : groups(s, s);
        int[] tail = doubleColon >= 0 ? groups(s.substring(doubleColon + 2), s) : new int[0];
        int total = head.length + tail.length;
        if (doubleColon >= 0 ? total > 7 : total != 8) {
            throw new IllegalArgumentException("bad IPv6 address '" + s + "'");
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | all[i];
            low = (low << 16) | all[i + 4];
        }
        return new long[] {high, low};
    }

    private static int[] groups(String part, String whole) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        int[] out = new int[texts.length];
        for (int i = 0; i < texts.length; i++) {
            String g = texts[i];
            if (g.isEmpty() || g.length() > 4) {
                throw new IllegalArgumentException("bad IPv6 address '" + whole + "'");
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) {
                    throw new IllegalArgumentException("bad IPv6 address '" + whole + "'");
                }
                v = (v << 4) | d;
            }
            out[i] = v;
        }
        return out;
    }
}
