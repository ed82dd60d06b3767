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
 * prefix's length and its tag folded to 32 bits, so that a route as long as its cell's
 * prefix or longer (most routes) is answered from the cell alone unless the folded tag
 * has the origin's bit: a lookup then reads the bucket table, one or two lines of cell
 * addresses and one line of the cell, instead of the prefix sorted last before the route's
 * address and then, when that one ends before the address, its parent.
 *
 * <p>Cells are keyed by the upper 64 address bits. A prefix longer than /64 starts or
 * ends inside such a key; the cell of that key is marked as mixed and its routes take the
 * binary search over all prefixes instead.
 *
 * <p>Memory: a node is four longs for IPv4 (address high, length and parent, entry range,
 * tag) and five for IPv6 (and address low); a cell 12 bytes for IPv4 (an int of address in
 * {@code cellKeys4}, a long of folded tag, node and length in {@code cells}) and 16 for
 * IPv6 (a long of address in {@code cellKeys}); at most 2n + 1 cells for n prefixes; the
 * bucket table 65 537 ints (256 KiB). A cell holds its node's number in 24 bits: at most
 * {@link #MAX_NODES} distinct prefixes a family, more is refused when the index is built.
 */
final class CoveringIndex {

    private static final int BUCKET_BITS = 16;
    /** Where a node's fields sit among its longs; {@link #LOW}, IPv6 only, comes last. */
    private static final int HIGH = 0;
    private static final int LENGTH_PARENT = 1;
    private static final int RANGE = 2;
    private static final int TAG = 3;
    private static final int LOW = 4;
    /** The length a mixed cell carries: longer than any route, so it never answers alone. */
    private static final int MIXED = 255;
    /** The most distinct prefixes of one family: a cell holds its node's number plus one in 24 bits. */
    static final int MAX_NODES = (1 << 24) - 1;

    /**
     * Per node: high, length << 32 | parent (unsigned, -1 as all ones), first << 32 | end,
     * its tag (see {@link #reachingTag}) and, for IPv6 alone, low.
     */
    private final long[] nodes;
    /** Longs a node: 4 for IPv4, 5 for IPv6. */
    private final int stride;
    private final int size;
    /**
     * IPv6: the upper 64 bits of each cell's first address, ascending; the first cell starts
     * at 0. Null for IPv4.
     */
    private final long[] cellKeys;
    /** IPv4: each cell's first address (unsigned), ascending; null for IPv6. */
    private final int[] cellKeys4;
    /**
     * Per cell: its node's tag folded to 32 bits (see {@link #cellTag}) << 32 | (node + 1) << 8
     * | the node's length; node -1 (stored as 0) and length 0 without one, length
     * {@link #MIXED} for a mixed cell.
     */
    private final long[] cells;
    /** bucket[b] is the first cell whose top 16 address bits are at least b. */
    private final int[] bucket;

    /**
     * Builds the index over entries sorted by address then length, duplicates of a prefix
     * adjacent; {@code entryBits[i]} is what entry i adds to a tag (see {@link #reachingTag}),
     * {@code entryReach[i]} the longest route it applies to.
     */
    CoveringIndex(boolean ipv6, int count, long[] high, long[] low, int[] length, long[] entryBits,
            int[] entryReach) {
        this.stride = ipv6 ? 5 : 4; // an IPv4 address has no lower half
        long[] n = new long[stride * Math.max(count, 1)];
        int k = -1;
        for (int i = 0; i < count; i++) {
            if (k >= 0 && n[stride * k + HIGH] == high[i] && (!ipv6 || n[stride * k + LOW] == low[i])
                    && (int) (n[stride * k + LENGTH_PARENT] >>> 32) == length[i]) {
                n[stride * k + RANGE] = (n[stride * k + RANGE] & 0xFFFF_FFFF_0000_0000L) | (i + 1);
                continue;
            }
            if (!ipv6 && low[i] != 0) {
                throw new IllegalArgumentException("an IPv4 prefix has no lower address half");
            }
            k++;
            n[stride * k + HIGH] = high[i];
            n[stride * k + LENGTH_PARENT] = (long) length[i] << 32;
            n[stride * k + RANGE] = (long) i << 32 | (i + 1);
            if (ipv6) {
                n[stride * k + LOW] = low[i];
            }
        }
        this.size = k + 1;
        if (size > MAX_NODES) {
            throw new IllegalArgumentException("an origin index holds at most " + MAX_NODES
                    + " distinct prefixes of one address family, not " + size);
        }
        this.nodes = Arrays.copyOf(n, stride * size);
        Cells cut = new Cells(2 * size + 1);
        int[] stack = new int[130];
        int depth = 0;
        for (int node = 0; node < size; node++) {
            while (depth > 0 && !covers(stack[depth - 1], high(node), low(node), length(node))) {
                depth--;
                cut.afterEnd(stack[depth], depth > 0 ? stack[depth - 1] : -1);
            }
            int parent = depth > 0 ? stack[depth - 1] : -1;
            nodes[stride * node + LENGTH_PARENT] |= parent & 0xFFFF_FFFFL;
            nodes[stride * node + TAG] = reachingTag(node, entryBits, entryReach);
            cut.start(node);
            stack[depth++] = node;
        }
        while (depth > 0) {
            depth--;
            cut.afterEnd(stack[depth], depth > 0 ? stack[depth - 1] : -1);
        }
        this.cells = Arrays.copyOf(cut.values, cut.count);
        if (ipv6) {
            this.cellKeys = Arrays.copyOf(cut.keys, cut.count);
            this.cellKeys4 = null;
        } else {
            // An IPv4 address is the top 32 bits of the upper half, and every cell starts at an address.
            this.cellKeys = null;
            this.cellKeys4 = new int[cut.count];
            for (int c = 0; c < cut.count; c++) {
                cellKeys4[c] = (int) (cut.keys[c] >>> 32);
            }
        }
        this.bucket = new int[(1 << BUCKET_BITS) + 1];
        int cell = 0;
        for (int b = 0; b <= 1 << BUCKET_BITS; b++) {
            while (cell < cut.count && (cut.keys[cell] >>> (64 - BUCKET_BITS)) < b) {
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
            values = new long[capacity];
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
                    values[last] = MIXED;
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
                values[count - 1] = MIXED;
                lastAtKeyStart = false;
            }
        }

        private void set(int cell, int node) {
            if (node < 0) {
                values[cell] = 0;
            } else {
                long tag = tag(node);
                long folded = (tag | tag >>> 32) & 0xFFFF_FFFFL;
                values[cell] = folded << 32 | (long) (node + 1) << 8 | length(node);
            }
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
        return nodes[stride * node + HIGH];
    }

    long low(int node) {
        return stride == 4 ? 0 : nodes[stride * node + LOW];
    }

    int length(int node) {
        return (int) (nodes[stride * node + LENGTH_PARENT] >>> 32);
    }

    int parent(int node) {
        return (int) nodes[stride * node + LENGTH_PARENT];
    }

    /** First entry with this node's prefix. */
    int first(int node) {
        return (int) (nodes[stride * node + RANGE] >>> 32);
    }

    /** One past the last entry with this node's prefix. */
    int end(int node) {
        return (int) nodes[stride * node + RANGE];
    }

    /** See {@link #reachingTag}. */
    long tag(int node) {
        return nodes[stride * node + TAG];
    }

    private boolean covers(int node, long h, long l, int len) {
        int base = stride * node;
        int nodeLength = (int) (nodes[base + LENGTH_PARENT] >>> 32);
        return nodeLength <= len && (h & Ipv6Prefix.highMask(nodeLength)) == nodes[base + HIGH]
                && (l & Ipv6Prefix.lowMask(nodeLength)) == (stride == 4 ? 0 : nodes[base + LOW]);
    }

    /** The cell holding addresses whose upper 64 bits are {@code h}. */
    int cell(long h) {
        int b = (int) (h >>> (64 - BUCKET_BITS));
        int lo = bucket[b];
        int hi = bucket[b + 1] - 1;
        // The last cell starting at or before h; when none in h's bucket does, the one before the bucket.
        int[] keys4 = cellKeys4;
        if (keys4 != null) {
            int a = (int) (h >>> 32);
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Integer.compareUnsigned(keys4[mid], a) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return hi;
        }
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

    /** What the cell holds, read once; take it apart with {@link #cellNode}, {@link #cellLength}, {@link #cellTag}. */
    long cellValue(int cell) {
        return cells[cell];
    }

    /** The most specific node containing the cell's addresses, or -1 (or a mixed cell's -1). */
    static int cellNode(long cellValue) {
        return ((int) cellValue >>> 8) - 1;
    }

    /** The length of {@link #cellNode}, 0 without one, more than any prefix's for a mixed cell. */
    static int cellLength(long cellValue) {
        return (int) cellValue & 0xFF;
    }

    /**
     * The tag of {@link #cellNode} folded to 32 bits (bit i set when bit i or i + 32 of the
     * tag is), 0 without one: test it with {@link #foldedBit} of a tag bit. A bit found here
     * may be absent from the node's own {@link #tag}; one missing here is missing there.
     */
    static int cellTag(long cellValue) {
        return (int) (cellValue >>> 32);
    }

    /** The bit of a folded tag ({@link #cellTag}) standing for the tag bit {@code bit} (one bit set). */
    static int foldedBit(long bit) {
        return (int) (bit | bit >>> 32);
    }

    /**
     * The most specific node covering the prefix (address {@code h}/{@code l}, length
     * {@code len}), or -1. Less specific covering nodes follow through {@link #parent}.
     */
    int longestCovering(long h, long l, int len) {
        int cell = cell(h);
        int node;
        long value = cells[cell];
        if (cellLength(value) == MIXED) {
            node = firstAfter(h, l) - 1;
            while (node >= 0 && !covers(node, h, l, len)) {
                node = parent(node);
            }
            return node;
        }
        // Every node containing the cell's addresses covers the route unless longer than it.
        node = cellNode(value);
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
            long nh = nodes[stride * mid + HIGH];
            int c = nh == h ? Long.compareUnsigned(low(mid), l) : Long.compareUnsigned(nh, h);
            if (c < 0 || (pastEqual && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
