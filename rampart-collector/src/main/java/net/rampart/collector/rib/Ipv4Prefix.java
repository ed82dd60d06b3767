package net.rampart.collector.rib;

/**
 * An IPv4 prefix with its path ID. Host bits are cleared on construction so that equal
 * prefixes compare equal however they were received.
 *
 * @param address the network address as an unsigned 32-bit value
 */
public record Ipv4Prefix(int address, int length, int pathId) implements RouteKey {
    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length);
        }
        address &= mask(length);
    }

    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Parses {@code a.b.c.d/len}. */
    public static Ipv4Prefix parse(String cidr, int pathId) {
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        int len = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 prefix: " + cidr);
        }
        int a = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 prefix: " + cidr);
            }
            a = a << 8 | octet;
        }
        return new Ipv4Prefix(a, len, pathId);
    }

    /** True when this prefix covers {@code other} (equal or less specific). */
    public boolean covers(Ipv4Prefix other) {
        return length <= other.length && (other.address & mask(length)) == address;
    }

    @Override
    public String text() {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF) + "/" + length;
    }

    @Override
    public String toString() {
        return pathId == 0 ? text() : text() + "#" + Integer.toUnsignedString(pathId);
    }
}
