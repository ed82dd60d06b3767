package net.rampart.wire.ip;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 prefix in canonical form: the host bits beyond the length are zero, so two
 * prefixes that cover the same addresses are equal. The one prefix type of every module; the
 * compact forms the RIB and the ROA index keep for speed are built from it.
 *
 * <p>Both families also expose their address in one 128-bit layout ({@link #high()},
 * {@link #low()}), IPv4 in the top 32 bits of {@code high}, so that one index and one ordering
 * can serve both.
 */
public sealed interface IpPrefix extends Comparable<IpPrefix> permits Ipv4Prefix, Ipv6Prefix {

    int length();

    /** 1 for IPv4, 2 for IPv6 (the BGP AFI). */
    int afi();

    /** The number of bits of an address of this family: 32 or 128. */
    int maxLength();

    /** The upper 64 bits of the address in the layout shared by both families. */
    long high();

    /** The lower 64 bits of the address in the layout shared by both families (0 for IPv4). */
    long low();

    /** The network address: 4 bytes for IPv4, 16 for IPv6. */
    byte[] addressBytes();

    /** The network address as text: a dotted quad, or RFC 5952 for IPv6. */
    String addressText();

    /** The prefix with this one's address cut to {@code shorterLength} bits. */
    IpPrefix truncate(int shorterLength);

    default boolean isIpv4() {
        return this instanceof Ipv4Prefix;
    }

    default boolean isIpv6() {
        return this instanceof Ipv6Prefix;
    }

    /** The network address as an {@link InetAddress} of the same family, never looked up. */
    default InetAddress inetAddress() {
        return AddressText.inetAddress(addressBytes());
    }

    /** True when every address of {@code other} is also in this prefix (same family, equal or longer). */
    default boolean covers(IpPrefix other) {
        return afi() == other.afi() && length() <= other.length()
                && (other.high() & Ipv6Prefix.highMask(length())) == high()
                && (other.low() & Ipv6Prefix.lowMask(length())) == low();
    }

    /** True when {@code address} is of this family and inside this prefix. */
    default boolean contains(InetAddress address) {
        return covers(host(address));
    }

    /** IPv4 before IPv6, then by address (unsigned), then shorter before longer. */
    @Override
    default int compareTo(IpPrefix o) {
        if (afi() != o.afi()) {
            return Integer.compare(afi(), o.afi());
        }
        int c = Long.compareUnsigned(high(), o.high());
        if (c == 0) {
            c = Long.compareUnsigned(low(), o.low());
        }
        return c != 0 ? c : Integer.compare(length(), o.length());
    }

    /**
     * Parses {@code 192.0.2.0/24} or {@code 2001:db8::/32}, the one parse rule of every module.
     * Only numeric addresses are read (a name is never looked up); IPv4 octets are decimal
     * without leading zeros ("024" is 24 to Java but 20 to inet_aton); IPv6 may be written in any
     * RFC 4291 form. Refused, each with a message that says why: a missing length, host bits
     * beyond the length (only the sender knows whether the address or the length is wrong, so
     * the message offers the canonical prefix rather than clearing them), a length out of range,
     * and an IPv4-mapped IPv6 address, which many tools read as IPv4.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    static IpPrefix parse(String text) {
        return IpText.prefix(text);
    }

    /** The prefix of {@code length} bits of {@code address}, its host bits cleared. */
    static IpPrefix of(InetAddress address, int length) {
        byte[] a = address.getAddress();
        return a.length == 4 ? Ipv4Prefix.of(Ipv4Prefix.toInt(a), length) : Ipv6Prefix.of(a, length);
    }

    /** The prefix that holds exactly one address: /32 for IPv4, /128 for IPv6. */
    static IpPrefix host(InetAddress address) {
        return of(address, address.getAddress().length * 8);
    }

    /**
     * A prefix from the layout shared by both families ({@link #high()}, {@link #low()}).
     *
     * @throws IllegalArgumentException when host bits are set or the length is out of range
     */
    static IpPrefix of(boolean ipv6, long high, long low, int length) {
        if (ipv6) {
            return new Ipv6Prefix(high, low, length);
        }
        if (low != 0 || (int) high != 0) {
            throw new IllegalArgumentException("an IPv4 prefix has only the top 32 bits of the address");
        }
        return new Ipv4Prefix((int) (high >>> 32), length);
    }
}
