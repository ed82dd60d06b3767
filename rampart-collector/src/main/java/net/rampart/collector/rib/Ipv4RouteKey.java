package net.rampart.collector.rib;

import net.rampart.wire.ip.Ipv4Prefix;

/**
 * The RIB's compact key of an IPv4 route: the prefix's address and length as primitives, so
 * that tables and events hold no nested object, with the ADD-PATH path ID. Host bits are
 * cleared on construction so that equal prefixes compare equal however they were received;
 * text is read by the one strict parser of {@link Ipv4Prefix}.
 *
 * @param address the network address as an unsigned 32-bit value
 */
public record Ipv4RouteKey(int address, int length, int pathId) implements RouteKey {
    public Ipv4RouteKey {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length);
        }
        address &= Ipv4Prefix.mask(length);
    }

    public static Ipv4RouteKey of(Ipv4Prefix prefix, int pathId) {
        return new Ipv4RouteKey(prefix.address(), prefix.length(), pathId);
    }

    /** Reads {@code a.b.c.d/len} as {@link Ipv4Prefix#parse} does. */
    public static Ipv4RouteKey parse(String cidr, int pathId) {
        return of(Ipv4Prefix.parse(cidr), pathId);
    }

    public Ipv4Prefix prefix() {
        return new Ipv4Prefix(address, length);
    }

    /**
     * The address in the layout both families' prefixes share ({@link Ipv4Prefix#high()}), for an
     * index of both families to be asked without building the prefix.
     */
    public long high() {
        return Integer.toUnsignedLong(address) << 32;
    }

    /** True when this prefix covers {@code other} (equal or less specific). */
    public boolean covers(Ipv4RouteKey other) {
        return length <= other.length && (other.address & Ipv4Prefix.mask(length)) == address;
    }

    @Override
    public String text() {
        return Ipv4Prefix.formatAddress(address) + "/" + length;
    }

    @Override
    public String toString() {
        return pathId == 0 ? text() : text() + "#" + Integer.toUnsignedString(pathId);
    }
}
