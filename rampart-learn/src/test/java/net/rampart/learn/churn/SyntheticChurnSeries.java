package net.rampart.learn.churn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A made-up update-rate series in one-minute buckets with the shape real churn has: a daily
 * cycle (quiet night, busier working hours), quieter weekends, a weekly maintenance window that
 * is normal and must not be flagged, over-dispersed Poisson noise, and injected anomalies at
 * known times: spikes (update storms, a few minutes at 3-8 times the usual rate) and drops (a
 * feed going quiet, 10-45 minutes at 0-15 % of it). Minute 0 is a Monday 00:00.
 */
record SyntheticChurnSeries(double[] counts, List<Injected> injected) {
    enum Kind { SPIKE, DROP }

    /** An injected anomaly over minutes [start, end). */
    record Injected(int start, int end, Kind kind) {
        boolean contains(int minute) {
            return minute >= start && minute < end;
        }
    }

    static final int MAINTENANCE_START = SeasonalDecomposition.DAY_MINUTES + 3 * 60; // Tuesday 03:00
    static final int MAINTENANCE_MINUTES = 20;

    /** The rate the shape gives minute {@code t}, before noise and anomalies. */
    static double rate(int t, double base) {
        int day = (t / SeasonalDecomposition.DAY_MINUTES) % 7;
        int m = t % SeasonalDecomposition.DAY_MINUTES;
        double daily = 1 - 0.5 * Math.cos(2 * Math.PI * (m - 120) / SeasonalDecomposition.DAY_MINUTES);
        boolean weekend = day >= 5;
        if (!weekend && m >= 9 * 60 && m < 17 * 60) {
            daily += 0.4;
        }
        double weekly = weekend ? 0.6 : 1.0;
        int inWeek = t % SeasonalDecomposition.WEEK_MINUTES;
        double maintenance = inWeek >= MAINTENANCE_START && inWeek < MAINTENANCE_START + MAINTENANCE_MINUTES ? 2.5 : 1;
        return base * daily * weekly * maintenance;
    }

    static SyntheticChurnSeries generate(long seed, int weeks, double base, int anomalies) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = weeks * SeasonalDecomposition.WEEK_MINUTES;
        List<Injected> injected = new ArrayList<>();
        while (injected.size() < anomalies) {
            Kind kind = injected.size() % 2 == 0 ? Kind.SPIKE : Kind.DROP;
            int length = kind == Kind.SPIKE ? 1 + random.nextInt(10) : 10 + random.nextInt(36);
            int start = random.nextInt(n - length);
            Injected candidate = new Injected(start, start + length, kind);
            if (clear(candidate, injected)) {
                injected.add(candidate);
            }
        }
        double[] multiplier = new double[n];
        java.util.Arrays.fill(multiplier, 1.0);
        for (Injected a : injected) {
            double factor = a.kind == Kind.SPIKE ? 3 + 5 * random.nextDouble() : 0.15 * random.nextDouble();
            for (int t = a.start; t < a.end; t++) {
                multiplier[t] = factor;
            }
        }
        double[] counts = new double[n];
        for (int t = 0; t < n; t++) {
            double overdispersion = Math.exp(0.1 * gaussian(random));
            counts[t] = poisson(random, rate(t, base) * overdispersion * multiplier[t]);
        }
        return new SyntheticChurnSeries(counts, List.copyOf(injected));
    }

    /** At least two hours from every other anomaly and from the maintenance window. */
    private static boolean clear(Injected candidate, List<Injected> injected) {
        for (Injected a : injected) {
            if (candidate.start < a.end + 120 && a.start < candidate.end + 120) {
                return false;
            }
        }
        int inWeek = candidate.start % SeasonalDecomposition.WEEK_MINUTES;
        int endInWeek = inWeek + (candidate.end - candidate.start);
        return endInWeek + 120 < MAINTENANCE_START || inWeek > MAINTENANCE_START + MAINTENANCE_MINUTES + 120;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double poisson(SplittableRandom random, double mean) {
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
