package net.rampart.detect.route;

import java.util.Map;
import net.rampart.wire.ip.IpPrefix;

/**
 * The monitored prefixes in a binary trie per address family, so that finding the most
 * specific one covering a route walks at most the route's length in bits, allocates nothing,
 * and for a route far from every monitored prefix stops after a few bits.
 */
public final class PrefixIndex<T> {

    private static final class Node<T> {
        Node<T> zero;
        Node<T> one;
        T value;
    }

    private final Node<T> ipv4 = new Node<>();
    private final Node<T> ipv6 = new Node<>();

    public PrefixIndex(Map<IpPrefix, T> entries) {
        entries.forEach(this::insert);
    }

    /** The value of the longest indexed prefix that covers {@code prefix} (itself included), or null. */
    public T longestCovering(IpPrefix prefix) {
        return longestCovering(prefix.isIpv4(), prefix.high(), prefix.low(), prefix.length());
    }

    /**
     * As {@link #longestCovering(IpPrefix)}, for a prefix given in the layout both families share
     * ({@link IpPrefix#high()}, {@link IpPrefix#low()}): a caller holding a route's compact key
     * need not build the prefix to ask.
     */
    public T longestCovering(boolean isIpv4, long high, long low, int length) {
        Node<T> node = isIpv4 ? ipv4 : ipv6;
        T best = node.value;
        for (int bit = 0; bit < length; bit++) {
            node = bit(high, low, bit) ? node.one : node.zero;
            if (node == null) {
                break;
            }
            if (node.value != null) {
                best = node.value;
            }
        }
        return best;
    }

    private void insert(IpPrefix prefix, T value) {
        Node<T> node = prefix.isIpv4() ? ipv4 : ipv6;
        for (int bit = 0; bit < prefix.length(); bit++) {
            if (bit(prefix.high(), prefix.low(), bit)) {
                node = node.one != null ? node.one : (node.one = new Node<>());
            } else {
                node = node.zero != null ? node.zero : (node.zero = new Node<>());
            }
        }
        node.value = value;
    }

    /** Bit {@code i} of the address, counted from the most significant, in the layout both families share. */
    private static boolean bit(long high, long low, int i) {
        return i < 64 ? (high >>> (63 - i) & 1) != 0 : (low >>> (127 - i) & 1) != 0;
    }
}
