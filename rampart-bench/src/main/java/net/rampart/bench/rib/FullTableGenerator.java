package net.rampart.bench.rib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * A synthetic but realistically shaped Internet full table: prefix lengths weighted like
 * today's tables (mostly /24 and /48), AS paths of 2-9 hops from a pool of ASNs behind one
 * neighbour, a few communities and sometimes a large community, and several prefixes per
 * attribute set (an origin announcing a block). Deterministic for a given seed.
 */
public final class FullTableGenerator {
    /** IPv4 lengths and weights (per mille), roughly as in public full tables. */
    private static final int[][] V4_LENGTHS = {{24, 600}, {23, 95}, {22, 105}, {21, 50}, {20, 45}, {19, 30},
            {18, 15}, {17, 10}, {16, 30}, {15, 5}, {14, 5}, {13, 4}, {12, 3}, {11, 2}, {10, 1}};
    private static final int[][] V6_LENGTHS = {{48, 450}, {32, 150}, {44, 90}, {40, 80}, {36, 50}, {29, 50},
            {46, 30}, {47, 20}, {42, 20}, {30, 20}, {28, 20}, {33, 20}};

    private final SplittableRandom random;
    private final long neighbourAsn;
    private final int[] asnPool;

    public FullTableGenerator(long seed, long neighbourAsn) {
        this.random = new SplittableRandom(seed);
        this.neighbourAsn = neighbourAsn;
        this.asnPool = new int[75_000];
        for (int i = 0; i < asnPool.length; i++) {
            asnPool[i] = i < 60_000 ? 1 + random.nextInt(64_000) : 131_072 + random.nextInt(300_000);
        }
    }

    private static int pick(int[][] weighted, int roll) {
        int sum = 0;
        for (int[] w : weighted) {
            sum += w[1];
            if (roll < sum) {
                return w[0];
            }
        }
        return weighted[0][0];
    }

    private static int total(int[][] weighted) {
        return Arrays.stream(weighted).mapToInt(w -> w[1]).sum();
    }

    /** {@code count} distinct IPv4 prefixes in 1.0.0.0 - 223.255.255.255. */
    public List<RouteKey> ipv4Prefixes(int count) {
        int total = total(V4_LENGTHS);
        long[] packed = new long[count + count / 5];
        for (int i = 0; i < packed.length; i++) {
            int length = pick(V4_LENGTHS, random.nextInt(total));
            int address = (int) (0x01000000L + random.nextLong(0xDF000000L - 0x01000000L)) & Ipv4Prefix.mask(length);
            packed[i] = (long) address << 8 | length;
        }
        long[] unique = Arrays.stream(packed).sorted().distinct().toArray();
        shuffle(unique);
        List<RouteKey> out = new ArrayList<>(count);
        for (int i = 0; i < Math.min(count, unique.length); i++) {
            out.add(new Ipv4RouteKey((int) (unique[i] >>> 8), (int) (unique[i] & 0xFF), 0));
        }
        return out;
    }

    /** {@code count} distinct IPv6 prefixes in 2000::/3. */
    public List<RouteKey> ipv6Prefixes(int count) {
        int total = total(V6_LENGTHS);
        List<RouteKey> out = new ArrayList<>(count);
        java.util.HashSet<RouteKey> seen = new java.util.HashSet<>(count * 2);
        while (out.size() < count) {
            int length = pick(V6_LENGTHS, random.nextInt(total));
            long high = 0x2000_0000_0000_0000L | (random.nextLong() & 0x1FFF_FFFF_FFFF_FFFFL);
            Ipv6RouteKey p = new Ipv6RouteKey(high, 0, length, 0);
            if (seen.add(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private void shuffle(long[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A fresh attribute set, as a decoder would produce for one UPDATE. */
    public PathAttributes attributes(byte[] nextHop) {
        int hops = 2 + random.nextInt(4) + random.nextInt(4);
        long[] path = new long[hops];
        path[0] = neighbourAsn;
        for (int i = 1; i < hops; i++) {
            path[i] = Integer.toUnsignedLong(asnPool[random.nextInt(asnPool.length)]);
        }
        int[] communities = new int[random.nextInt(5)];
        for (int i = 0; i < communities.length; i++) {
            communities[i] = (int) neighbourAsn << 16 | random.nextInt(1000);
        }
        PathAttributes.Builder b = PathAttributes.builder().origin(random.nextInt(10) == 0 ? 2 : 0)
                .asPath(AsPath.sequence(path)).nextHop(nextHop).communities(communities);
        if (random.nextInt(10) == 0) {
            b.largeCommunities((int) neighbourAsn, random.nextInt(100), random.nextInt(100));
        }
        if (random.nextInt(3) == 0) {
            b.med(random.nextInt(1000));
        }
        return b.build();
    }

    /**
     * The table as UPDATEs: packed (an attribute set with all its prefixes, 1-8 of them) or
     * one prefix per UPDATE (each with its own equal attribute set instance).
     */
    public List<RouteUpdate> updates(Family family, List<RouteKey> prefixes, boolean packed, byte[] nextHop,
                                     long timeMillis) {
        List<RouteUpdate> out = new ArrayList<>(packed ? prefixes.size() / 3 : prefixes.size());
        int i = 0;
        while (i < prefixes.size()) {
            int group = Math.min(prefixes.size() - i, 1 + random.nextInt(4) + random.nextInt(4));
            PathAttributes a = attributes(nextHop);
            if (packed) {
                out.add(RouteUpdate.announce(timeMillis, family, a, List.copyOf(prefixes.subList(i, i + group))));
            } else {
                for (int k = 0; k < group; k++) {
                    PathAttributes copy = k == 0 ? a : copyOf(a);
                    out.add(RouteUpdate.announce(timeMillis, family, copy, List.of(prefixes.get(i + k))));
                }
            }
            i += group;
        }
        return out;
    }

    private static PathAttributes copyOf(PathAttributes a) {
        return PathAttributes.builder().origin(a.origin()).asPath(AsPath.ofEncoded(a.asPath().encoded().clone()))
                .nextHop(a.nextHop()).communities(a.communities().clone()).largeCommunities(a.largeCommunities())
                .med(a.med()).build();
    }
}
