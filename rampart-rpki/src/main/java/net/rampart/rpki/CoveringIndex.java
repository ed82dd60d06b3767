package net.rampart.rpki;

import java.util.Arrays;

import net.rampart.wire.ip.Ipv6Prefix;

/**
 * The distinct prefixes of one address family, sorted, with a link from each to the
 * nearest prefix that covers it, and the address space cut into cells within which the
 * same prefixes contain every address, so that the prefixes covering a route are found
 * with one short bucketed binary search (never a scan).
 *
 * <p>Prefixes either nest or are disjoint. A cell starts at a prefix's first address or
 * just after a prefix's last one and holds the most specific prefix containing its
 * addresses: every prefix covering a route is that prefix or one of its ancestors, the
 * first of them no longer than the route being the most specific. A cell also holds that
 * prefix's tag and length, so that a route as long as its cell's prefix or longer (most
 * routes) is answered from the cell alone: a lookup then reads the bucket table, one or
 * two lines of cell addresses and one line of the cell, instead of the prefix sorted last
 * before the route's address and then, when that one ends before the address, its parent.
 *
 * <p>Cells are keyed by the upper 64 address bits. A prefix longer than /64 starts or
 * ends inside such a key; the cell of that key is marked as mixed and its routes take the
 * binary search over all prefixes instead.
 *
 * <p>Memory: a node is five longs (address high and low, length and parent, entry range,
 * tag); a cell one long of address in {@code cellKeys} and two longs (tag, node and
 * length) in {@code cells}; at most 2n + 1 cells for n prefixes; the bucket table
 * 65 537 ints (256 KiB).
 */
final class CoveringIndex {

    private static final int BUCKET_BITS = 16;
    private static final int STRIDE = 5;
    /** The length a mixed cell carries: longer than any route, so it never answers alone. */
    private static final int MIXED = 255;

    /**
     * Per node: high, low, length << 32 | parent (unsigned, -1 as all ones), first << 32 | end,
     * and its tag (see {@link #reachingTag}).
     */
    private final long[] nodes;
    private final int size;
    /** The upper 64 bits of each cell's first address, ascending; the first cell starts at 0. */
    private final long[] cellKeys;
    /** Per cell: the tag of its node (0 if none), then node << 32 | length (node -1 if none). */
    private final long[] cells;
    /** bucket[b] is the first cell whose top 16 address bits are at least b. */
    private final int[] bucket;

    /**
     * Builds the index over entries sorted by address then length, duplicates of a prefix
     * adjacent; {@code entryBits[i]} is what entry i adds to a tag (see {@link #reachingTag}),
     * {@code entryReach[i]} the longest route it applies to.
     */
    CoveringIndex(int count, long[] high, long[] low, int[] length, long[] entryBits, int[] entryReach) {
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
        Cells cut = new Cells(2 * size + 1);
        int[] stack = new int[130];
        int depth = 0;
        for (int node = 0; node < size; node++) {
            while (depth > 0 && !covers(stack[depth - 1], high(node), low(node), length(node))) {
                depth--;
                cut.afterEnd(stack[depth], depth > 0 ? stack[depth - 1] : -1);
            }
            int parent = depth > 0 ? stack[depth - 1] : -1;
            nodes[STRIDE * node + 2] |= parent & 0xFFFF_FFFFL;
            nodes[STRIDE * node + 4] = reachingTag(node, entryBits, entryReach);
            cut.start(node);
            stack[depth++] = node;
        }
        while (depth > 0) {
            depth--;
            cut.afterEnd(stack[depth], depth > 0 ? stack[depth - 1] : -1);
        }
        this.cellKeys = Arrays.copyOf(cut.keys, cut.count);
        this.cells = Arrays.copyOf(cut.values, 2 * cut.count);
        this.bucket = new int[(1 << BUCKET_BITS) + 1];
        int cell = 0;
        for (int b = 0; b <= 1 << BUCKET_BITS; b++) {
            while (cell < cut.count && (cellKeys[cell] >>> (64 - BUCKET_BITS)) < b) {
                cell++;
            }
            bucket[b] = cell;
        }
    }

    /** The cells as they are cut, in address order. */
    private final class Cells {
        final long[] keys;
        final long[] values;
        int count;
        /** Whether the last cell starts at the low bits 0 of its key: only then can it stay unmixed. */
        private boolean lastAtKeyStart;

        Cells(int capacity) {
            keys = new long[capacity];
            values = new long[2 * capacity];
            keys[0] = 0;
            set(0, -1);
            count = 1;
            lastAtKeyStart = true;
        }

        /** From the address just after {@code ended}'s last one, {@code node} is the most specific. */
        void afterEnd(int ended, int node) {
            long h = high(ended) | ~Ipv6Prefix.highMask(length(ended));
            long l = low(ended) | ~Ipv6Prefix.lowMask(length(ended));
            l++;
            if (l == 0) {
                h++;
                if (h == 0) {
                    return; // it ends at the last address of the family
                }
            }
            at(h, l, node);
        }

        /** From the node's first address on, it is the most specific prefix containing the addresses. */
        void start(int node) {
            at(high(node), low(node), node);
        }

        /** From address (h, l) on, {@code node} is the most specific prefix containing the addresses. */
        private void at(long h, long l, int node) {
            int last = count - 1;
            if (keys[last] == h) {
                if (l == 0 && lastAtKeyStart) {
                    set(last, node); // the same address: the later, more specific or outer, answer holds
                } else {
                    values[2 * last] = 0;
                    values[2 * last + 1] = -1L << 32 | MIXED;
                    lastAtKeyStart = false;
                }
                return;
            }
            keys[count] = h;
            count++;
            if (l == 0) {
                set(count - 1, node);
                lastAtKeyStart = true;
            } else {
                values[2 * (count - 1)] = 0;
                values[2 * (count - 1) + 1] = -1L << 32 | MIXED;
                lastAtKeyStart = false;
            }
        }

        private void set(int cell, int node) {
            values[2 * cell] = node >= 0 ? tag(node) : 0;
            values[2 * cell + 1] = (long) node << 32 | (node >= 0 ? length(node) : 0);
        }
    }

    /**
     * The union of the bits of the entries on the node's chain (the node and every node covering
     * it) that apply to a route as long as the node or longer. Every route the node covers is
     * that long, so an entry left out could not match it; and most covering entries apply to
     * their own length alone, which keeps the tag sparse.
     */
    private long reachingTag(int node, long[] entryBits, int[] entryReach) {
        int len = length(node);
        long bits = 0;
        for (int x = node; x >= 0; x = parent(x)) {
            for (int i = first(x); i < end(x); i++) {
                if (entryReach[i] >= len) {
                    bits |= entryBits[i];
                }
            }
        }
        return bits;
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

    /** See {@link #reachingTag}. */
    long tag(int node) {
        return nodes[STRIDE * node + 4];
    }

    private boolean covers(int node, long h, long l, int len) {
        int base = STRIDE * node;
        int nodeLength = (int) (nodes[base + 2] >>> 32);
        return nodeLength <= len && (h & Ipv6Prefix.highMask(nodeLength)) == nodes[base]
                && (l & Ipv6Prefix.lowMask(nodeLength)) == nodes[base + 1];
    }

    /** The cell holding addresses whose upper 64 bits are {@code h}. */
    int cell(long h) {
        int b = (int) (h >>> (64 - BUCKET_BITS));
        int lo = bucket[b];
        int hi = bucket[b + 1] - 1;
        // The last cell starting at or before h; when none in h's bucket does, the one before the bucket.
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(cellKeys[mid], h) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /** The most specific node containing the cell's addresses, or -1 (or a mixed cell's -1). */
    int cellNode(int cell) {
        return (int) (cells[2 * cell + 1] >>> 32);
    }

    /** The length of {@link #cellNode}, 0 without one, more than any prefix's for a mixed cell. */
    int cellLength(int cell) {
        return (int) cells[2 * cell + 1];
    }

    /** The tag of {@link #cellNode}, 0 without one. */
    long cellTag(int cell) {
        return cells[2 * cell];
    }

    /**
     * The most specific node covering the prefix (address {@code h}/{@code l}, length
     * {@code len}), or -1. Less specific covering nodes follow through {@link #parent}.
     */
    int longestCovering(long h, long l, int len) {
        int cell = cell(h);
        int node;
        if (cellLength(cell) == MIXED) {
            node = firstAfter(h, l) - 1;
            while (node >= 0 && !covers(node, h, l, len)) {
                node = parent(node);
            }
            return node;
        }
        // Every node containing the cell's addresses covers the route unless longer than it.
        node = cellNode(cell);
        while (node >= 0 && length(node) > len) {
            node = parent(node);
        }
        return node;
    }

    /** The first node whose address is at or after (h, l). */
    int firstAtOrAfter(long h, long l) {
        return search(h, l, false);
    }

    /** The first node whose address is after (h, l): the one before it is the last at or before. */
    private int firstAfter(long h, long l) {
        return search(h, l, true);
    }

    private int search(long h, long l, boolean pastEqual) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long nh = nodes[STRIDE * mid];
            int c = nh == h ? Long.compareUnsigned(nodes[STRIDE * mid + 1], l) : Long.compareUnsigned(nh, h);
            if (c < 0 || (pastEqual && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
