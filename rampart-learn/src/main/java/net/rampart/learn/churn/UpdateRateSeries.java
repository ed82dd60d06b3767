package net.rampart.learn.churn;

/**
 * One scope's route updates per minute over the last {@code capacity} minutes, as a ring of
 * counters: effective updates (announcements that changed a route, and withdrawals) and
 * duplicate announcements (which changed nothing) apart. Recording allocates nothing. An event
 * older than the ring is counted in {@link #late()} only; an event newer than the newest minute
 * moves the ring on, zeroing the minutes in between. Not thread-safe: {@link ChurnCounter}
 * guards it.
 */
public final class UpdateRateSeries {
    public static final long MINUTE_MILLIS = 60_000L;

    private final int capacity;
    private final int[] updates;
    private final int[] duplicates;
    /** The newest minute (epoch minutes) the ring holds, or Long.MIN_VALUE while it is empty. */
    private long newestMinute = Long.MIN_VALUE;
    private long late;

    public UpdateRateSeries(int capacityMinutes) {
        if (capacityMinutes < 1) {
            throw new IllegalArgumentException("capacity must be at least one minute: " + capacityMinutes);
        }
        capacity = capacityMinutes;
        updates = new int[capacityMinutes];
        duplicates = new int[capacityMinutes];
    }

    public static long minuteOf(long timeMillis) {
        return Math.floorDiv(timeMillis, MINUTE_MILLIS);
    }

    /** Counts one event at {@code timeMillis}: an effective update, or a duplicate announcement. */
    public void record(long timeMillis, boolean duplicate) {
        long minute = minuteOf(timeMillis);
        if (newestMinute == Long.MIN_VALUE) {
            newestMinute = minute;
        } else if (minute > newestMinute) {
            advanceTo(minute);
        } else if (minute <= newestMinute - capacity) {
            late++;
            return;
        }
        int slot = slot(minute);
        if (duplicate) {
            duplicates[slot]++;
        } else {
            updates[slot]++;
        }
    }

    /** Moves the ring so that its newest minute is at least {@code minute} (quiet minutes count zero). */
    public void advanceTo(long minute) {
        if (newestMinute == Long.MIN_VALUE || minute <= newestMinute) {
            if (newestMinute == Long.MIN_VALUE) {
                newestMinute = minute;
            }
            return;
        }
        long clear = Math.min(minute - newestMinute, capacity);
        for (long m = minute - clear + 1; m <= minute; m++) {
            int s = slot(m);
            updates[s] = 0;
            duplicates[s] = 0;
        }
        newestMinute = minute;
    }

    private int slot(long minute) {
        return (int) Math.floorMod(minute, (long) capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** The newest minute held (epoch minutes), or Long.MIN_VALUE before the first event. */
    public long newestMinute() {
        return newestMinute;
    }

    /** Events that arrived for a minute the ring had already dropped. */
    public long late() {
        return late;
    }

    /** Effective updates in {@code minute}; 0 for a minute outside the ring. */
    public int updates(long minute) {
        return held(minute) ? updates[slot(minute)] : 0;
    }

    /** Duplicate announcements in {@code minute}; 0 for a minute outside the ring. */
    public int duplicates(long minute) {
        return held(minute) ? duplicates[slot(minute)] : 0;
    }

    private boolean held(long minute) {
        return newestMinute != Long.MIN_VALUE && minute <= newestMinute && minute > newestMinute - capacity;
    }

    /** Effective updates of {@code count} minutes from {@code fromMinute} on, as the detector reads them. */
    public double[] updates(long fromMinute, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = updates(fromMinute + i);
        }
        return out;
    }
}
