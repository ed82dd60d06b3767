package net.rampart.detect.route;

import java.util.Collection;
import net.rampart.wire.ip.IpPrefix;

/**
 * Where in the address space the routes that may concern a {@link Detector} lie, for the
 * collector's threads to ask before they hand a route change to the detection thread: while a
 * full table loads, most changes concern no monitor, and the detection thread would spend more
 * fetching each one from the collector core's cache than judging it.
 *
 * <p>One bit per block of the address space (the first {@value #BLOCK_BITS} bits of the address,
 * per family), set for every block a monitored prefix covers or lies in: 32 KB a family, which
 * stays in the asking core's cache where the detector's trie would not. A route whose first
 * address lies in an unset block has no monitored prefix covering it; one in a set block may
 * (the detector decides). With a monitored ASN, whose routes may be anywhere, every route may
 * concern the detector ({@link #EVERYWHERE}).
 *
 * <p>Immutable, so safe to share between threads.
 */
public final class MonitoredSpace {

    /** Every route may concern the detector. */
    public static final MonitoredSpace EVERYWHERE = new MonitoredSpace(null, null);

    static final int BLOCK_BITS = 18;

    private final long[] ipv4;
    private final long[] ipv6;

    private MonitoredSpace(long[] ipv4, long[] ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /** The space of {@code prefixes}: a route concerns the detector only when one of them covers it. */
    static MonitoredSpace of(Collection<IpPrefix> prefixes) {
        long[] ipv4 = new long[1 << (BLOCK_BITS - 6)];
        long[] ipv6 = new long[1 << (BLOCK_BITS - 6)];
        for (IpPrefix prefix : prefixes) {
            long[] blocks = prefix.isIpv4() ? ipv4 : ipv6;
            int first = block(prefix.high());
            int count = prefix.length() >= BLOCK_BITS ? 1 : 1 << (BLOCK_BITS - prefix.length());
            for (int b = first; b < first + count; b++) {
                blocks[b >>> 6] |= 1L << b;
            }
        }
        return new MonitoredSpace(ipv4, ipv6);
    }

    /**
     * Whether a route of this prefix may concern the detector, the prefix given by the top 64
     * bits of its address in the layout both families share ({@link IpPrefix#high()}). False
     * means that no monitored prefix covers it and no ASN is monitored.
     */
    public boolean mayConcern(boolean isIpv4, long high) {
        if (ipv4 == null) {
            return true;
        }
        int b = block(high);
        return ((isIpv4 ? ipv4 : ipv6)[b >>> 6] & 1L << b) != 0;
    }

    private static int block(long high) {
        return (int) (high >>> (64 - BLOCK_BITS));
    }
}
