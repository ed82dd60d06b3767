package net.rampart.rpki;

import java.util.Arrays;

/**
 * The distinct prefixes of one address family, sorted, with a link from each to the
 * nearest prefix that covers it, so that all prefixes covering a route are found with one
 * bucketed binary search and a short walk up those links (never a scan).
 *
 * <p>Prefixes either nest or are disjoint. For a route whose address is {@code a}, take
 * the last prefix in sorted order that starts at or before {@code a}: every prefix
 * covering the route is that prefix or one of its ancestors.
 */
final class CoveringIndex {

    private static final int BUCKET_BITS = 16;

    private final long[] high;
    private final long[] low;
    private final byte[] length;
    private final int[] parent;
    /** bucket[b] is the first node whose top 16 address bits are at least b. */
    private final int[] bucket;

    private CoveringIndex(long[] high, long[] low, byte[] length) {
        this.high = high;
        this.low = low;
        this.length = length;
        int n = high.length;
        this.parent = new int[n];
        int[] stack = new int[130];
        int depth = 0;
        for (int k = 0; k < n; k++) {
            while (depth > 0 && !covers(stack[depth - 1], high[k], low[k], length[k])) {
                depth--;
            }
            parent[k] = depth > 0 ? stack[depth - 1] : -1;
            stack[depth++] = k;
        }
        this.bucket = new int[(1 << BUCKET_BITS) + 1];
        int k = 0;
        for (int b = 0; b <= 1 << BUCKET_BITS; b++) {
            while (k < n && (high[k] >>> (64 - BUCKET_BITS)) < b) {
                k++;
            }
            bucket[b] = k;
        }
    }

    /** Builds the index over prefixes given sorted by address then length, duplicates allowed. */
    static CoveringIndex ofSorted(int count, long[] high, long[] low, int[] length) {
        long[] h = new long[count];
        long[] l = new long[count];
        byte[] len = new byte[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (n > 0 && h[n - 1] == high[i] && l[n - 1] == low[i] && len[n - 1] == length[i]) {
                continue;
            }
            h[n] = high[i];
            l[n] = low[i];
            len[n] = (byte) length[i];
            n++;
        }
        return new CoveringIndex(Arrays.copyOf(h, n), Arrays.copyOf(l, n), Arrays.copyOf(len, n));
    }

    int size() {
        return high.length;
    }

    long high(int node) {
        return high[node];
    }

    long low(int node) {
        return low[node];
    }

    int length(int node) {
        return length[node];
    }

    int parent(int node) {
        return parent[node];
    }

    private boolean covers(int node, long h, long l, int len) {
        int nodeLength = length[node];
        return nodeLength <= len && (h & IpPrefix.maskHigh(nodeLength)) == high[node]
                && (l & IpPrefix.maskLow(nodeLength)) == low[node];
    }

    /**
     * The most specific node covering the prefix (address {@code h}/{@code l}, length
     * {@code len}), or -1. Less specific covering nodes follow through {@link #parent}.
     */
    int longestCovering(long h, long l, int len) {
        int b = (int) (h >>> (64 - BUCKET_BITS));
        int lo = bucket[b];
        int hi = bucket[b + 1] - 1;
        // Last node with (high, low) <= (h, l); a node sharing the address sorts by length.
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(high[mid], h);
            if (c == 0) {
                c = Long.compareUnsigned(low[mid], l);
            }
            if (c <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        int node = hi;
        while (node >= 0 && !covers(node, h, l, len)) {
            node = parent[node];
        }
        return node;
    }

    /** Index of the node with exactly this prefix, or -1. */
    int find(long h, long l, int len) {
        int node = longestCovering(h, l, len);
        return node >= 0 && length[node] == len ? node : -1;
    }
}
