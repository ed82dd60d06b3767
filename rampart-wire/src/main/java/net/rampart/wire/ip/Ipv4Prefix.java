package net.rampart.wire.ip;

/** An IPv4 prefix: the network address as a 32-bit int (host bits zero) and the length 0-32. */
public record Ipv4Prefix(int address, int length) implements IpPrefix {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " outside 0-32");
        }
        if ((address & ~mask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + formatAddress(address) + "/" + length
                    + "; did you mean " + formatAddress(address & mask(length)) + "/" + length + "?");
        }
    }

    /** The network mask for a prefix length. */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Builds a prefix, clearing any host bits of {@code address}: for what arrives off the wire. */
    public static Ipv4Prefix of(int address, int length) {
        return new Ipv4Prefix(address & mask(length), length);
    }

    /** Parses {@code a.b.c.d/len} by the rules of {@link IpPrefix#parse}. */
    public static Ipv4Prefix parse(String cidr) {
        if (IpPrefix.parse(cidr) instanceof Ipv4Prefix p) {
            return p;
        }
        throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 prefix");
    }

    /** The dotted-quad text of an IPv4 address held in an int. */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    static int toInt(byte[] a) {
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    @Override
    public int afi() {
        return 1;
    }

    @Override
    public int maxLength() {
        return 32;
    }

    @Override
    public long high() {
        return Integer.toUnsignedLong(address) << 32;
    }

    @Override
    public long low() {
        return 0;
    }

    @Override
    public byte[] addressBytes() {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    @Override
    public String addressText() {
        return formatAddress(address);
    }

    @Override
    public Ipv4Prefix truncate(int shorterLength) {
        if (shorterLength > length) {
            throw new IllegalArgumentException("cannot lengthen " + this + " to /" + shorterLength);
        }
        return of(address, shorterLength);
    }

    @Override
    public String toString() {
        return formatAddress(address) + "/" + length;
    }
}
