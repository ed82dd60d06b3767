package net.rampart.server.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Route updates per minute over the last hour, by family, for the Overview's chart. It keeps no
 * count of its own: it samples the collector's monotonic totals (the ones behind the
 * {@code rampart.bmp.route.updates} metric) now and then, and books the growth since the
 * previous sample to the minute of this one, in a ring of {@link #MINUTES} slots. A slot is
 * zeroed when a new minute takes it, so minutes without a sample read as zero. Sampling every
 * few seconds puts an update at most that far into the next minute.
 */
public final class UpdateRate {

    static final int MINUTES = 60;
    private static final long MINUTE_MILLIS = 60_000;

    private final List<String> families;
    private final ToLongFunction<String> total;
    private final Clock clock;
    /** Updates per slot and family; slot = minute modulo {@link #MINUTES}. */
    private final long[][] counts;
    /** The minute (since the epoch) each slot counts, or -1 when it has never counted one. */
    private final long[] slotMinute = new long[MINUTES];
    private final long[] last;

    /**
     * @param families the family groups, in the order shown
     * @param total    the monotonic count of updates of a family since the service started
     */
    public UpdateRate(List<String> families, ToLongFunction<String> total, Clock clock) {
        this.families = List.copyOf(families);
        this.total = total;
        this.clock = clock;
        this.counts = new long[MINUTES][this.families.size()];
        this.last = new long[this.families.size()];
        Arrays.fill(slotMinute, -1);
        for (int f = 0; f < last.length; f++) {
            last[f] = total.applyAsLong(this.families.get(f));
        }
    }

    /** Books the updates since the previous sample to the current minute. */
    public synchronized void sample() {
        long minute = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
        long[] slot = slot(minute);
        for (int f = 0; f < last.length; f++) {
            long now = total.applyAsLong(families.get(f));
            // A total that went down was reset (a counter started afresh): all it holds is new.
            slot[f] += now >= last[f] ? now - last[f] : now;
            last[f] = now;
        }
    }

    private long[] slot(long minute) {
        int i = (int) Math.floorMod(minute, (long) MINUTES);
        if (slotMinute[i] != minute) {
            slotMinute[i] = minute;
            Arrays.fill(counts[i], 0);
        }
        return counts[i];
    }

    /**
     * {@code {"start": first minute, "per_minute": {family: [60 counts, oldest first]}}}; the
     * last count is the minute in progress.
     */
    public synchronized Map<String, Object> lastHour() {
        long current = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
        long first = current - MINUTES + 1;
        Map<String, long[]> perMinute = new LinkedHashMap<>();
        for (int f = 0; f < families.size(); f++) {
            long[] series = new long[MINUTES];
            for (int m = 0; m < MINUTES; m++) {
                int i = (int) Math.floorMod(first + m, (long) MINUTES);
                series[m] = slotMinute[i] == first + m ? counts[i][f] : 0;
            }
            perMinute.put(families.get(f), series);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("start", Instant.ofEpochMilli(first * MINUTE_MILLIS));
        out.put("per_minute", perMinute);
        return out;
    }
}
