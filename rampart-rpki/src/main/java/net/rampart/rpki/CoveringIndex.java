package net.rampart.rpki;

import java.util.Arrays;

import net.rampart.wire.ip.Ipv6Prefix;

/**
 * The distinct prefixes of one address family, sorted, with a link from each to the
 * nearest prefix that covers it, so that all prefixes covering a route are found with one
 * bucketed binary search and a short walk up those links (never a scan).
 *
 * <p>Prefixes either nest or are disjoint. For a route whose address is {@code a}, take
 * the last prefix in sorted order that starts at or before {@code a}: every prefix
 * covering the route is that prefix or one of its ancestors.
 *
 * <p>The index is built over sorted entries that carry a prefix (VRPs); each node also
 * holds the range of entries with its prefix. A node is four longs (address high and
 * low, length and parent, entry range, tag) side by side, so one lookup touches few
 * cache lines.
 */
final class CoveringIndex {

    private static final int BUCKET_BITS = 16;
    private static final int STRIDE = 5;

    /**
     * Per node: high, low, length << 32 | parent (unsigned, -1 as all ones), first << 32 | end,
     * and a tag its owner may set (see {@link #setTag}).
     */
    private final long[] nodes;
    /**
     * The nodes' upper address bits alone: the binary search reads only these, so a
     * bucket's search stays within one or two cache lines.
     */
    private final long[] keys;
    private final int size;
    /** bucket[b] is the first node whose top 16 address bits are at least b. */
    private final int[] bucket;

    /** Builds the index over entries sorted by address then length, duplicates of a prefix adjacent. */
    CoveringIndex(int count, long[] high, long[] low, int[] length) {
        long[] n = new long[STRIDE * Math.max(count, 1)];
        int k = -1;
        for (int i = 0; i < count; i++) {
            if (k >= 0 && n[STRIDE * k] == high[i] && n[STRIDE * k + 1] == low[i]
                    && (int) (n[STRIDE * k + 2] >>> 32) == length[i]) {
                n[STRIDE * k + 3] = (n[STRIDE * k + 3] & 0xFFFF_FFFF_0000_0000L) | (i + 1);
                continue;
            }
            k++;
            n[STRIDE * k] = high[i];
            n[STRIDE * k + 1] = low[i];
            n[STRIDE * k + 2] = (long) length[i] << 32;
            n[STRIDE * k + 3] = (long) i << 32 | (i + 1);
        }
        this.size = k + 1;
        this.nodes = Arrays.copyOf(n, STRIDE * size);
        this.keys = new long[size];
        for (int node = 0; node < size; node++) {
            keys[node] = nodes[STRIDE * node];
        }
        int[] stack = new int[130];
        int depth = 0;
        for (int node = 0; node < size; node++) {
            while (depth > 0 && !covers(stack[depth - 1], high(node), low(node), length(node))) {
                depth--;
            }
            int parent = depth > 0 ? stack[depth - 1] : -1;
            nodes[STRIDE * node + 2] |= parent & 0xFFFF_FFFFL;
            stack[depth++] = node;
        }
        this.bucket = new int[(1 << BUCKET_BITS) + 1];
        int node = 0;
        for (int b = 0; b <= 1 << BUCKET_BITS; b++) {
            while (node < size && (high(node) >>> (64 - BUCKET_BITS)) < b) {
                node++;
            }
            bucket[b] = node;
        }
    }

    int size() {
        return size;
    }

    long high(int node) {
        return nodes[STRIDE * node];
    }

    long low(int node) {
        return nodes[STRIDE * node + 1];
    }

    int length(int node) {
        return (int) (nodes[STRIDE * node + 2] >>> 32);
    }

    int parent(int node) {
        return (int) nodes[STRIDE * node + 2];
    }

    /** First entry with this node's prefix. */
    int first(int node) {
        return (int) (nodes[STRIDE * node + 3] >>> 32);
    }

    /** One past the last entry with this node's prefix. */
    int end(int node) {
        return (int) nodes[STRIDE * node + 3];
    }

    long tag(int node) {
        return nodes[STRIDE * node + 4];
    }

    /** Stores a value with the node, for the owner's own shortcuts. */
    void setTag(int node, long tag) {
        nodes[STRIDE * node + 4] = tag;
    }

    private boolean covers(int node, long h, long l, int len) {
        int base = STRIDE * node;
        int nodeLength = (int) (nodes[base + 2] >>> 32);
        return nodeLength <= len && (h & Ipv6Prefix.highMask(nodeLength)) == nodes[base]
                && (l & Ipv6Prefix.lowMask(nodeLength)) == nodes[base + 1];
    }

    /**
     * The most specific node covering the prefix (address {@code h}/{@code l}, length
     * {@code len}), or -1. Less specific covering nodes follow through {@link #parent}.
     */
    int longestCovering(long h, long l, int len) {
        int b = (int) (h >>> (64 - BUCKET_BITS));
        int lo = bucket[b];
        int hi = bucket[b + 1] - 1;
        // Last node with high <= h, then back over nodes with the same high but a larger low
        // (only IPv6 prefixes longer than /64 have one); a node sharing the address sorts by length.
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(keys[mid], h) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        while (hi >= 0 && keys[hi] == h && Long.compareUnsigned(nodes[STRIDE * hi + 1], l) > 0) {
            hi--;
        }
        int node = hi;
        while (node >= 0 && !covers(node, h, l, len)) {
            node = parent(node);
        }
        return node;
    }

    /** The first node whose address is at or after (h, l). */
    int firstAtOrAfter(long h, long l) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long nh = nodes[STRIDE * mid];
            int c = nh == h ? Long.compareUnsigned(nodes[STRIDE * mid + 1], l) : Long.compareUnsigned(nh, h);
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
