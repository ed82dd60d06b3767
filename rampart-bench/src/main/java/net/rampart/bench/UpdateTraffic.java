package net.rampart.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * Synthetic full-table IPv4 UPDATE traffic, shaped like a real eBGP feed: prefix lengths with
 * the weight of today's table (/24 most common, then /22, /23, /20, /21, /19, /16), AS paths
 * of 2 to 8 hops, 0 to 6 communities, MED on a third of the paths. Seeded, so every run
 * decodes the same bytes. The messages lie back to back in one array, as a collector's
 * receive buffer holds them.
 */
final class UpdateTraffic {

    private static final int[] LENGTHS = {24, 22, 23, 20, 21, 19, 16, 18, 17};
    private static final int[] WEIGHTS = {58, 11, 10, 6, 5, 4, 3, 2, 1};

    final byte[] buffer;
    final int[] offsets;
    final int[] lengths;
    final int prefixes;

    private UpdateTraffic(ByteSink sink, List<Integer> offsets, List<Integer> lengths, int prefixes) {
        this.buffer = sink.toByteArray();
        this.offsets = offsets.stream().mapToInt(Integer::intValue).toArray();
        this.lengths = lengths.stream().mapToInt(Integer::intValue).toArray();
        this.prefixes = prefixes;
    }

    /**
     * {@code prefixCount} prefixes in UPDATEs carrying 1 to {@code maxPerMessage} prefixes each
     * (uniformly chosen; 1 gives one prefix per message).
     */
    static UpdateTraffic generate(int prefixCount, int maxPerMessage, PeerCapabilities caps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteSink sink = new ByteSink(prefixCount * 64);
        List<Integer> offsets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        int done = 0;
        while (done < prefixCount) {
            int n = Math.min(prefixCount - done, 1 + random.nextInt(maxPerMessage));
            List<UnicastNlri> nlri = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                nlri.add(new UnicastNlri(Ipv4Prefix.of(random.nextInt(), prefixLength(random))));
            }
            int start = sink.size();
            BgpMessageEncoder.encode(new UpdateMessage(List.of(), attributes(random), nlri), caps, sink);
            offsets.add(start);
            lengths.add(sink.size() - start);
            done += n;
        }
        return new UpdateTraffic(sink, offsets, lengths, done);
    }

    private static int prefixLength(SplittableRandom random) {
        int r = random.nextInt(100);
        for (int i = 0; i < WEIGHTS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return LENGTHS[i];
            }
        }
        return 24;
    }

    private static List<PathAttribute> attributes(SplittableRandom random) {
        List<PathAttribute> attrs = new ArrayList<>(6);
        attrs.add(new PathAttribute.Origin(random.nextInt(10) == 0 ? PathAttribute.Origin.INCOMPLETE : PathAttribute.Origin.IGP));
        long[] path = new long[2 + random.nextInt(7)];
        path[0] = 64500;
        for (int i = 1; i < path.length; i++) {
            path[i] = random.nextInt(4) == 0 ? 196608L + random.nextInt(200_000) : 1 + random.nextInt(64000);
        }
        attrs.add(PathAttribute.AsPath.sequence(path));
        attrs.add(new PathAttribute.NextHop(0xC0000201));
        if (random.nextInt(3) == 0) {
            attrs.add(new PathAttribute.MultiExitDisc(random.nextInt(1000)));
        }
        int communities = random.nextInt(7);
        if (communities > 0) {
            int[] values = new int[communities];
            for (int i = 0; i < communities; i++) {
                values[i] = (int) (path[random.nextInt(path.length)] << 16) | random.nextInt(1000);
            }
            attrs.add(new PathAttribute.Communities(values));
        }
        return attrs;
    }
}
