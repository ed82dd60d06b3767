package net.rampart.collector.rib;

import net.rampart.wire.ip.Ipv6Prefix;

/**
 * The RIB's compact key of an IPv6 route: the prefix's address as two longs (high and low 64
 * bits) and its length, with the ADD-PATH path ID. Host bits are cleared on construction;
 * text is read by the one strict parser of {@link Ipv6Prefix}.
 */
public record Ipv6RouteKey(long high, long low, int length, int pathId) implements RouteKey {
    public Ipv6RouteKey {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length);
        }
        high &= Ipv6Prefix.highMask(length);
        low &= Ipv6Prefix.lowMask(length);
    }

    public static Ipv6RouteKey of(Ipv6Prefix prefix, int pathId) {
        return new Ipv6RouteKey(prefix.high(), prefix.low(), prefix.length(), pathId);
    }

    public static Ipv6RouteKey of(byte[] address16, int length, int pathId) {
        return of(Ipv6Prefix.of(address16, length), pathId);
    }

    /** Reads {@code addr/len} as {@link Ipv6Prefix#parse} does. */
    public static Ipv6RouteKey parse(String cidr, int pathId) {
        return of(Ipv6Prefix.parse(cidr), pathId);
    }

    public Ipv6Prefix prefix() {
        return new Ipv6Prefix(high, low, length);
    }

    /** True when this prefix covers {@code other} (equal or less specific). */
    public boolean covers(Ipv6RouteKey other) {
        return length <= other.length && (other.high & Ipv6Prefix.highMask(length)) == high
                && (other.low & Ipv6Prefix.lowMask(length)) == low;
    }

    @Override
    public String text() {
        return Ipv6Prefix.formatAddress(high, low) + "/" + length;
    }

    @Override
    public String toString() {
        return pathId == 0 ? text() : text() + "#" + Integer.toUnsignedString(pathId);
    }
}
