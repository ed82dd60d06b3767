package net.rampart.wire.ip;

/** An IPv6 prefix: the network address as two 64-bit halves (host bits zero) and the length 0-128. */
public record Ipv6Prefix(long high, long low, int length) implements IpPrefix {

    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " outside 0-128");
        }
        if ((high & ~highMask(length)) != 0 || (low & ~lowMask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + formatAddress(high, low) + "/" + length
                    + "; did you mean " + formatAddress(high & highMask(length), low & lowMask(length)) + "/"
                    + length + "?");
        }
    }

    /** The network bits of the upper 64 bits of an address for a prefix length 0-128. */
    public static long highMask(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The network bits of the lower 64 bits of an address for a prefix length 0-128. */
    public static long lowMask(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    /** Builds a prefix, clearing any host bits: for what arrives off the wire. */
    public static Ipv6Prefix of(long high, long low, int length) {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " outside 0-128");
        }
        return new Ipv6Prefix(high & highMask(length), low & lowMask(length), length);
    }

    /** Builds a prefix from a 16-byte address, clearing any host bits. */
    public static Ipv6Prefix of(byte[] address16, int length) {
        return of(word(address16, 0), word(address16, 8), length);
    }

    /** Parses {@code addr/len} by the rules of {@link IpPrefix#parse}. */
    public static Ipv6Prefix parse(String cidr) {
        if (IpPrefix.parse(cidr) instanceof Ipv6Prefix p) {
            return p;
        }
        throw new IllegalArgumentException("'" + cidr + "' is not an IPv6 prefix");
    }

    private static long word(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (a[off + i] & 0xFF);
        }
        return v;
    }

    @Override
    public byte[] addressBytes() {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (high >>> (56 - 8 * i));
            out[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return out;
    }

    @Override
    public String addressText() {
        return formatAddress(high, low);
    }

    @Override
    public Ipv6Prefix truncate(int shorterLength) {
        if (shorterLength > length) {
            throw new IllegalArgumentException("cannot lengthen " + this + " to /" + shorterLength);
        }
        return of(high, low, shorterLength);
    }

    @Override
    public int afi() {
        return 2;
    }

    @Override
    public int maxLength() {
        return 128;
    }

    @Override
    public String toString() {
        return formatAddress(high, low) + "/" + length;
    }

    /**
     * The RFC 5952 text of an IPv6 address given as its upper and lower 64 bits: lower-case
     * hex, no leading zeros, the longest run of two or more zero groups as "::" (the first on
     * a tie). The one formatter every module uses for IPv6 text.
     */
    public static String formatAddress(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
