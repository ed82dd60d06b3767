package net.rampart.learn.features;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The events of one route or session within the longest feature window of the newest one: their
 * times, kinds (bit sets whose meaning the owner gives), and for routes the AS path length and a
 * hash of the next hop of announcements. Counts over a window are exact; beyond
 * {@link #CAPACITY} events a day the oldest are forgotten first, so a window's count saturates
 * there.
 *
 * <p>Events are kept in the order observed, which is route history's order (by sequence number);
 * their times may step back a little (a router's clock, or two sessions of one router), so
 * nothing here relies on them being sorted.
 */
final class RecentEvents {
    /** Events kept at most: 24 hours of a route flapping every 21 seconds. */
    static final int CAPACITY = 4096;
    private static final int EVENT_BYTES = Long.BYTES + 1 + Short.BYTES + Integer.BYTES;

    private long[] times;
    private byte[] kinds;
    private short[] pathLengths;
    private int[] nextHops;
    private int size;

    RecentEvents() {
        this(4);
    }

    private RecentEvents(int capacity) {
        times = new long[capacity];
        kinds = new byte[capacity];
        pathLengths = new short[capacity];
        nextHops = new int[capacity];
    }

    int size() {
        return size;
    }

    /** Adds an event, first forgetting those older than the longest window before it. */
    void add(long timeMillis, int kind, int pathLength, int nextHop) {
        forgetBefore(timeMillis - FeatureWindow.LONGEST_MILLIS);
        if (size == CAPACITY) {
            removeFirst();
        } else if (size == times.length) {
            int grown = Math.min(CAPACITY, size * 2);
            times = Arrays.copyOf(times, grown);
            kinds = Arrays.copyOf(kinds, grown);
            pathLengths = Arrays.copyOf(pathLengths, grown);
            nextHops = Arrays.copyOf(nextHops, grown);
        }
        times[size] = timeMillis;
        kinds[size] = (byte) kind;
        pathLengths[size] = (short) Math.min(pathLength, Short.MAX_VALUE);
        nextHops[size] = nextHop;
        size++;
    }

    private void removeFirst() {
        System.arraycopy(times, 1, times, 0, size - 1);
        System.arraycopy(kinds, 1, kinds, 0, size - 1);
        System.arraycopy(pathLengths, 1, pathLengths, 0, size - 1);
        System.arraycopy(nextHops, 1, nextHops, 0, size - 1);
        size--;
    }

    /** Forgets the events at or before {@code cutoffMillis}. */
    private void forgetBefore(long cutoffMillis) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (times[i] > cutoffMillis) {
                times[kept] = times[i];
                kinds[kept] = kinds[i];
                pathLengths[kept] = pathLengths[i];
                nextHops[kept] = nextHops[i];
                kept++;
            }
        }
        size = kept;
    }

    /** Events with any of {@code kindMask}'s bits in {@code (asOf - window, asOf]}. */
    int count(int kindMask, long asOfMillis, FeatureWindow window) {
        long after = asOfMillis - window.millis();
        int n = 0;
        for (int i = 0; i < size; i++) {
            if ((kinds[i] & kindMask) != 0 && times[i] > after && times[i] <= asOfMillis) {
                n++;
            }
        }
        return n;
    }

    /**
     * For each of {@code kindMasks}, its count over each {@link FeatureWindow} in order, into
     * {@code into} from {@code offset}: the window counts of a feature vector. Returns the index
     * after the last one written.
     */
    int counts(int[] kindMasks, long asOfMillis, double[] into, int offset) {
        int i = offset;
        for (int mask : kindMasks) {
            for (FeatureWindow w : FeatureWindow.values()) {
                into[i++] = count(mask, asOfMillis, w);
            }
        }
        return i;
    }

    /** The population variance of the path lengths of {@code kindMask} events in the window; 0 for fewer than two. */
    double pathLengthVariance(int kindMask, long asOfMillis, FeatureWindow window) {
        long after = asOfMillis - window.millis();
        int n = 0;
        double mean = 0;
        double squares = 0;
        for (int i = 0; i < size; i++) {
            if ((kinds[i] & kindMask) != 0 && times[i] > after && times[i] <= asOfMillis) {
                // Welford's update: one pass, no cancellation.
                n++;
                double delta = pathLengths[i] - mean;
                mean += delta / n;
                squares += delta * (pathLengths[i] - mean);
            }
        }
        return n < 2 ? 0 : squares / n;
    }

    /** How many different next hops the {@code kindMask} events in the window had. */
    int distinctNextHops(int kindMask, long asOfMillis, FeatureWindow window) {
        long after = asOfMillis - window.millis();
        int[] seen = new int[Math.min(size, 16)];
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if ((kinds[i] & kindMask) == 0 || times[i] <= after || times[i] > asOfMillis) {
                continue;
            }
            boolean known = false;
            for (int j = 0; j < distinct && !known; j++) {
                known = seen[j] == nextHops[i];
            }
            if (!known) {
                if (distinct == seen.length) {
                    seen = Arrays.copyOf(seen, distinct * 2);
                }
                seen[distinct++] = nextHops[i];
            }
        }
        return distinct;
    }

    /**
     * The earliest time after {@code afterMillis} at which an event leaves one of the windows, so
     * that some count changes with no new event; {@link Long#MAX_VALUE} when none will.
     */
    long nextExpiry(long afterMillis) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            for (FeatureWindow w : FeatureWindow.values()) {
                long leaves = times[i] + w.millis();
                if (leaves > afterMillis && leaves < next) {
                    next = leaves;
                }
            }
        }
        return next;
    }

    int encodedSize() {
        return Integer.BYTES + size * EVENT_BYTES;
    }

    void encode(ByteBuffer out) {
        out.putInt(size);
        for (int i = 0; i < size; i++) {
            out.putLong(times[i]).put(kinds[i]).putShort(pathLengths[i]).putInt(nextHops[i]);
        }
    }

    static RecentEvents decode(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > CAPACITY || in.remaining() < n * EVENT_BYTES) {
            throw new IllegalArgumentException("recent events: count " + n + " does not fit the state");
        }
        RecentEvents events = new RecentEvents(Math.max(4, n));
        for (int i = 0; i < n; i++) {
            events.times[i] = in.getLong();
            events.kinds[i] = in.get();
            events.pathLengths[i] = in.getShort();
            events.nextHops[i] = in.getInt();
        }
        events.size = n;
        return events;
    }
}
