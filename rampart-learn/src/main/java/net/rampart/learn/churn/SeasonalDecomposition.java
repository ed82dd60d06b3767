package net.rampart.learn.churn;

import com.github.servicenow.ds.stats.stl.SeasonalTrendLoess;
import java.util.Arrays;

/**
 * Splits a series into trend, one seasonal component per period and remainder, by STL
 * (seasonal-trend decomposition by loess, Cleveland et al. 1990, as implemented by
 * stl-decomp-4j) applied to each period in turn and iterated (MSTL, Bandara et al. 2021):
 * each pass puts one period's seasonal component back and estimates it again from the series
 * less the other periods' components. STL is robust (its outer loop weights outliers down), so
 * an anomaly bends the expected shape little.
 *
 * <p>A period needs {@link #MIN_CYCLES} whole cycles in the series; shorter series leave it out
 * (its seasonal component is zero): so the weekly shape is learnt from three weeks of history on. With no period left, the trend is the series' median.
 *
 * @param periods       the seasonal periods in samples, e.g. 1440 and 10080 for daily and weekly at one per minute
 * @param seasonalWidth per period, the loess window over that period's cycle-subseries, in cycles (odd, at least 3)
 * @param seasonalDegree the degree of the loess over each cycle-subseries: 0 (a robust weighted mean
 *                      across cycles) resists an anomaly in one of few cycles better than 1 (a line)
 * @param seasonalSmoothing per period, a loess window (odd, in samples; 0 for none) that then smooths the
 *                      seasonal component along time: with few cycles per sample of the period (a
 *                      weekly period of minutes has one value per minute of the week and only a few
 *                      weeks) the component otherwise follows the noise
 * @param iterations    MSTL passes over the periods (2 is usually enough)
 */
public record SeasonalDecomposition(int[] periods, int[] seasonalWidth, int seasonalDegree, int[] seasonalSmoothing,
                                    int iterations, int robustnessIterations) {
    public static final int DAY_MINUTES = 1440;
    public static final int WEEK_MINUTES = 7 * DAY_MINUTES;
    /** Whole cycles a period needs in the series: with two, one anomaly is half of each estimate. */
    public static final int MIN_CYCLES = 3;
    static final int DAILY_WIDTH = 35;
    static final int WEEKLY_WIDTH = 7;
    static final int DAILY_SMOOTHING = 5;
    static final int WEEKLY_SMOOTHING = 7;
    static final int SEASONAL_DEGREE = 0;
    static final int ITERATIONS = 2;
    static final int ROBUSTNESS_ITERATIONS = 5;

    public SeasonalDecomposition {
        periods = periods.clone();
        seasonalWidth = seasonalWidth.clone();
        seasonalSmoothing = seasonalSmoothing.clone();
        if (periods.length != seasonalWidth.length || periods.length != seasonalSmoothing.length) {
            throw new IllegalArgumentException("one seasonal width and one smoothing width per period");
        }
        for (int i = 0; i < periods.length; i++) {
            if (periods[i] < 2 || (i > 0 && periods[i] <= periods[i - 1])) {
                throw new IllegalArgumentException("periods must be at least 2 and ascending: " + Arrays.toString(periods));
            }
            if (seasonalWidth[i] < 3 || seasonalWidth[i] % 2 == 0) {
                throw new IllegalArgumentException("a seasonal width is odd and at least 3: " + seasonalWidth[i]);
            }
            if (seasonalSmoothing[i] < 0 || (seasonalSmoothing[i] > 0 && seasonalSmoothing[i] % 2 == 0)) {
                throw new IllegalArgumentException("a smoothing width is 0 (none) or odd: " + seasonalSmoothing[i]);
            }
        }
        if (seasonalDegree < 0 || seasonalDegree > 2) {
            throw new IllegalArgumentException("the seasonal loess degree is 0, 1 or 2: " + seasonalDegree);
        }
        if (iterations < 1 || robustnessIterations < 0) {
            throw new IllegalArgumentException("iterations must be at least 1, robustness iterations at least 0");
        }
    }

    /**
     * Daily and weekly periods for one-minute buckets: each minute-of-day's seasonal value is a
     * robust mean over 35 days (all of them in a month of history), each minute-of-week's over 7
     * weeks, with 5 and 7 minute loess smoothing along time; 2 MSTL passes, 5 robustness passes.
     */
    public static SeasonalDecomposition dailyWeeklyMinutes() {
        return new SeasonalDecomposition(new int[] {DAY_MINUTES, WEEK_MINUTES}, new int[] {DAILY_WIDTH, WEEKLY_WIDTH},
                SEASONAL_DEGREE, new int[] {DAILY_SMOOTHING, WEEKLY_SMOOTHING}, ITERATIONS, ROBUSTNESS_ITERATIONS);
    }

    /** The parts of one series; {@code seasonal[i]} belongs to {@code periods[i]}. */
    public record Parts(double[] trend, double[][] seasonal, double[] remainder) {
        /** Trend plus every seasonal component at {@code t}: the value the shape expects. */
        public double expected(int t) {
            double e = trend[t];
            for (double[] s : seasonal) {
                e += s[t];
            }
            return e;
        }
    }

    public Parts decompose(double[] series) {
        int n = series.length;
        double[][] seasonal = new double[periods.length][n];
        double[] trend = null;
        boolean any = false;
        for (int pass = 0; pass < iterations; pass++) {
            for (int i = 0; i < periods.length; i++) {
                if (n < MIN_CYCLES * periods[i]) {
                    continue;
                }
                any = true;
                double[] adjusted = series.clone();
                for (int j = 0; j < periods.length; j++) {
                    if (j != i) {
                        double[] s = seasonal[j];
                        for (int t = 0; t < n; t++) {
                            adjusted[t] -= s[t];
                        }
                    }
                }
                SeasonalTrendLoess.Builder b = new SeasonalTrendLoess.Builder()
                        .setPeriodLength(periods[i])
                        .setSeasonalWidth(seasonalWidth[i])
                        .setInnerIterations(2).setSeasonalDegree(seasonalDegree);
                b = robustnessIterations > 0 ? b.setRobust().setRobustnessIterations(robustnessIterations) : b.setNonRobust();
                SeasonalTrendLoess.Decomposition d = b.buildSmoother(adjusted).decompose();
                if (seasonalSmoothing[i] > 0) {
                    d.smoothSeasonal(seasonalSmoothing[i]);
                }
                seasonal[i] = d.getSeasonal();
                trend = d.getTrend();
            }
            if (!any) {
                break;
            }
        }
        if (trend == null) {
            double[] sorted = series.clone();
            Arrays.sort(sorted);
            double median = n == 0 ? 0 : RobustStatistics.medianOfSorted(sorted);
            trend = new double[n];
            Arrays.fill(trend, median);
        }
        double[] remainder = new double[n];
        for (int t = 0; t < n; t++) {
            double r = series[t] - trend[t];
            for (double[] s : seasonal) {
                r -= s[t];
            }
            remainder[t] = r;
        }
        return new Parts(trend, seasonal, remainder);
    }
}
