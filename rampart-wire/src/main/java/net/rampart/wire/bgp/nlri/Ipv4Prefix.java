package net.rampart.wire.bgp.nlri;

/** An IPv4 prefix: the network address as a 32-bit int (host bits zero) and the length 0-32. */
public record Ipv4Prefix(int address, int length) implements IpPrefix {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length);
        }
        if ((address & ~mask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + format(address) + "/" + length);
        }
    }

    /** The network mask for a prefix length. */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Builds a prefix, clearing any host bits of {@code address}. */
    public static Ipv4Prefix of(int address, int length) {
        return new Ipv4Prefix(address & mask(length), length);
    }

    /** Parses {@code a.b.c.d/len}. */
    public static Ipv4Prefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        String[] parts = cidr.substring(0, slash).split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 prefix: " + cidr);
        }
        int a = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 prefix: " + cidr);
            }
            a = (a << 8) | octet;
        }
        return new Ipv4Prefix(a, Integer.parseInt(cidr.substring(slash + 1)));
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
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
    public String toString() {
        return format(address) + "/" + length;
    }
}
