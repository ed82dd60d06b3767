package net.rampart.collector.rib;

import java.util.Arrays;
import java.util.List;

import net.rampart.wire.RouteOriginState;

/**
 * An open-addressing table of IPv4 or IPv6 prefixes held in parallel primitive arrays, so a
 * route costs a few array slots rather than a key object, an entry object and a node.
 *
 * <p>IPv4 packs address and path ID into one long per slot; IPv6 uses two longs for the
 * address and an int for the path ID. The prefix length array doubles as the occupancy mark
 * ({@code -1} = empty). Linear probing with backward-shift deletion keeps it free of
 * tombstones, so lookups stay short after heavy withdrawal.
 *
 * <p>Each route's RPKI origin state is one byte beside it, and the table keeps its count of
 * routes per state, so per-peer counts never need a pass over the routes.
 */
final class PrefixTable extends RouteTable {
    private static final int MIN_CAPACITY = 16;
    /** A free slot's length. Lengths are stored unsigned (an IPv6 /128 is the byte -128), so 0xFF is free. */
    private static final byte EMPTY = -1;
    /** The states by the ordinal each route stores as its state byte. */
    private static final RouteOriginState[] STATES = RouteOriginState.values();

    private final boolean ipv6;
    private long[] keyA;
    private long[] keyB;
    private int[] pathIds;
    private byte[] lengths;
    private PathAttributes[] attributes;
    private int[] times;
    private byte[] states;
    /** Each route's holders: one bit per open session that announced it (see {@link Session}). */
    private short[] holders;
    private final long[] stateCounts = new long[STATES.length];
    private int size;
    private int mask;
    /**
     * Whether a route with a path ID other than 0 (ADD-PATH) was ever stored: until then a
     * prefix's routes are the one under path ID 0, found by one lookup.
     */
    private boolean pathIdsSeen;

    PrefixTable(boolean ipv6) {
        this.ipv6 = ipv6;
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keyA = new long[capacity];
        keyB = ipv6 ? new long[capacity] : null;
        pathIds = ipv6 ? new int[capacity] : null;
        lengths = new byte[capacity];
        Arrays.fill(lengths, EMPTY);
        attributes = new PathAttributes[capacity];
        times = new int[capacity];
        states = new byte[capacity];
        holders = new short[capacity];
        mask = capacity - 1;
    }

    private static int slotOf(long a, long b, int pathId, int length, int mask) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ ((long) pathId << 8 | length) * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    private int find(long a, long b, int pathId, int length) {
        int i = slotOf(a, b, pathId, length, mask);
        while (true) {
            byte l = lengths[i];
            if (l == EMPTY) {
                return -1 - i;
            }
            if ((l & 0xFF) == length && keyA[i] == a && (!ipv6 || keyB[i] == b && pathIds[i] == pathId)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private long keyA(RouteKey key) {
        if (ipv6) {
            if (key instanceof Ipv6RouteKey p) {
                return p.high();
            }
        } else if (key instanceof Ipv4RouteKey p) {
            return (long) p.address() << 32 | (p.pathId() & 0xFFFFFFFFL);
        }
        throw new IllegalArgumentException("route key " + key + " does not belong in an "
                + (ipv6 ? "IPv6" : "IPv4") + " table");
    }

    private static int length(RouteKey key) {
        return key instanceof Ipv4RouteKey p ? p.length() : ((Ipv6RouteKey) key).length();
    }

    @Override
    PathAttributes put(RouteKey key, PathAttributes attrs, int timeSeconds, short holder, OriginValidator validator) {
        long a = keyA(key);
        long b = ipv6 ? ((Ipv6RouteKey) key).low() : 0;
        int pathId = ipv6 ? key.pathId() : 0;
        int length = length(key);
        pathIdsSeen |= key.pathId() != 0;
        byte state = (byte) validator.state(ipv6, addressHigh(a), b, length, attrs.originAsn()).ordinal();
        stateCounts[state]++;
        int i = find(a, b, pathId, length);
        if (i >= 0) {
            PathAttributes previous = attributes[i];
            attributes[i] = attrs;
            times[i] = timeSeconds;
            stateCounts[states[i]]--;
            states[i] = state;
            holders[i] |= holder;
            return previous;
        }
        if ((size + 1) * 4L > (mask + 1) * 3L) {
            resize((mask + 1) * 2);
            i = find(a, b, pathId, length);
        }
        i = -1 - i;
        keyA[i] = a;
        if (ipv6) {
            keyB[i] = b;
            pathIds[i] = pathId;
        }
        lengths[i] = (byte) length;
        attributes[i] = attrs;
        times[i] = timeSeconds;
        states[i] = state;
        holders[i] = holder;
        size++;
        return null;
    }

    /** The address's upper 64 bits; an IPv4 key keeps its path ID in the low half, which is not address. */
    private long addressHigh(long keyA) {
        return ipv6 ? keyA : keyA & 0xFFFF_FFFF_0000_0000L;
    }

    @Override
    PathAttributes remove(RouteKey key) {
        long a = keyA(key);
        int i = find(a, ipv6 ? ((Ipv6RouteKey) key).low() : 0, ipv6 ? key.pathId() : 0, length(key));
        if (i < 0) {
            return null;
        }
        PathAttributes previous = attributes[i];
        stateCounts[states[i]]--;
        deleteSlot(i);
        size--;
        if (size * 8L < mask + 1 && mask + 1 > MIN_CAPACITY) {
            resize((mask + 1) / 2);
        }
        return previous;
    }

    /** Backward-shift deletion: moves later members of the probe run into the hole. */
    private void deleteSlot(int hole) {
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            if (lengths[j] == EMPTY) {
                break;
            }
            int home = slotOf(keyA[j], ipv6 ? keyB[j] : 0, ipv6 ? pathIds[j] : 0, lengths[j] & 0xFF, mask);
            // Move j into the hole when its home slot is not cyclically within (hole, j].
            boolean homeInRange = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeInRange) {
                keyA[hole] = keyA[j];
                if (ipv6) {
                    keyB[hole] = keyB[j];
                    pathIds[hole] = pathIds[j];
                }
                lengths[hole] = lengths[j];
                attributes[hole] = attributes[j];
                times[hole] = times[j];
                states[hole] = states[j];
                holders[hole] = holders[j];
                hole = j;
            }
        }
        lengths[hole] = EMPTY;
        attributes[hole] = null;
    }

    /**
     * Moves every route into fresh arrays of {@code capacity} slots, leaving out those no session
     * holds any more (the ones {@link #release} emptied).
     */
    private void resize(int capacity) {
        long[] oldA = keyA;
        long[] oldB = keyB;
        int[] oldPath = pathIds;
        byte[] oldLen = lengths;
        PathAttributes[] oldAttrs = attributes;
        int[] oldTimes = times;
        byte[] oldStates = states;
        short[] oldHolders = holders;
        allocate(capacity);
        for (int k = 0; k < oldLen.length; k++) {
            if (oldLen[k] == EMPTY || oldHolders[k] == 0) {
                continue;
            }
            long b = ipv6 ? oldB[k] : 0;
            int pathId = ipv6 ? oldPath[k] : 0;
            int i = -1 - find(oldA[k], b, pathId, oldLen[k] & 0xFF);
            keyA[i] = oldA[k];
            if (ipv6) {
                keyB[i] = b;
                pathIds[i] = pathId;
            }
            lengths[i] = oldLen[k];
            attributes[i] = oldAttrs[k];
            times[i] = oldTimes[k];
            states[i] = oldStates[k];
            holders[i] = oldHolders[k];
        }
    }

    @Override
    int release(short holder, RouteVisitor removed) {
        int gone = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] != EMPTY && (holders[i] & holder) != 0) {
                holders[i] &= (short) ~holder;
                if (holders[i] == 0) {
                    removed.visit(keyAt(i), attributes[i], times[i]);
                    stateCounts[states[i]]--;
                    gone++;
                }
            }
        }
        if (gone == 0) {
            return 0;
        }
        // One pass that keeps the rest, rather than a backward-shift deletion per route: a
        // session's end usually takes most of the table.
        size -= gone;
        int capacity = MIN_CAPACITY;
        while (size * 4L > capacity * 3L) {
            capacity *= 2;
        }
        resize(capacity);
        return gone;
    }

    /** Routes per origin state, indexed by {@link RouteOriginState#ordinal()}. */
    long[] stateCounts() {
        return stateCounts.clone();
    }

    /** The stored origin state of one route, or null when it is not in the table. */
    RouteOriginState state(RouteKey key) {
        long a = keyA(key);
        int i = find(a, ipv6 ? ((Ipv6RouteKey) key).low() : 0, ipv6 ? key.pathId() : 0, length(key));
        return i < 0 ? null : STATES[states[i]];
    }

    /**
     * Re-validates the routes {@code footprint} touches with {@code validator}, storing and
     * counting each new state; every route whose state changed is added to {@code changed}.
     * Returns the number re-validated.
     */
    int revalidate(OriginValidator validator, OriginValidator.Footprint footprint, List<OriginChange> changed) {
        int examined = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] == EMPTY) {
                continue;
            }
            int length = lengths[i] & 0xFF;
            long high = addressHigh(keyA[i]);
            long low = ipv6 ? keyB[i] : 0;
            if (!footprint.touches(ipv6, high, low, length)) {
                continue;
            }
            examined++;
            byte now = (byte) validator.state(ipv6, high, low, length, attributes[i].originAsn()).ordinal();
            if (now != states[i]) {
                changed.add(new OriginChange(keyAt(i), STATES[states[i]], STATES[now]));
                stateCounts[states[i]]--;
                stateCounts[now]++;
                states[i] = now;
            }
        }
        return examined;
    }

    @Override
    PathAttributes get(RouteKey key) {
        long a = keyA(key);
        int i = find(a, ipv6 ? ((Ipv6RouteKey) key).low() : 0, ipv6 ? key.pathId() : 0, length(key));
        return i < 0 ? null : attributes[i];
    }

    @Override
    void forEachOfPrefix(RouteKey prefix, RouteVisitor visitor) {
        if (pathIdsSeen) {
            super.forEachOfPrefix(prefix, visitor);
            return;
        }
        int length = length(prefix);
        int i = ipv6 ? find(((Ipv6RouteKey) prefix).high(), ((Ipv6RouteKey) prefix).low(), 0, length)
                : find((long) ((Ipv4RouteKey) prefix).address() << 32, 0, 0, length);
        if (i >= 0) {
            visitor.visit(keyAt(i), attributes[i], times[i]);
        }
    }

    @Override
    int size() {
        return size;
    }

    @Override
    void forEach(RouteVisitor visitor) {
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] != EMPTY) {
                visitor.visit(keyAt(i), attributes[i], times[i]);
            }
        }
    }

    private RouteKey keyAt(int i) {
        if (ipv6) {
            return new Ipv6RouteKey(keyA[i], keyB[i], lengths[i] & 0xFF, pathIds[i]);
        }
        return new Ipv4RouteKey((int) (keyA[i] >>> 32), lengths[i] & 0xFF, (int) keyA[i]);
    }

    @Override
    long footprintBytes() {
        long slots = mask + 1L;
        // Per slot: key long(s), length byte, attribute reference (4 bytes with compressed oops), time,
        // origin state byte, holders short.
        long perSlot = 8 + 1 + 4 + 4 + 1 + 2 + (ipv6 ? 8 + 4 : 0);
        return slots * perSlot + (ipv6 ? 6 : 4) * 16L;
    }

    /** A route whose origin state a re-validation changed. */
    record OriginChange(RouteKey key, RouteOriginState from, RouteOriginState to) {
    }
}
