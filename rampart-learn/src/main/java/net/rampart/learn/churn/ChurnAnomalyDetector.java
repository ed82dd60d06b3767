package net.rampart.learn.churn;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the minutes of an update-rate series that leave its daily and weekly shape.
 *
 * <p>Counts are first put on a scale where their noise is about even: the Anscombe transform
 * {@code 2 sqrt(x + 3/8)} gives a Poisson count a standard deviation close to 1 whatever its
 * mean, so a drop at night and a spike at noon are judged alike. The transformed series is
 * decomposed ({@link SeasonalDecomposition}, STL per period); the remainder's median {@code m}
 * and MAD give a robust scale {@code sigma = max(1.4826 MAD, minSigma)}, and a minute is an
 * anomaly when {@code |remainder - m| > threshold * sigma}. The expected value reported is the
 * shape's value (trend + seasonal + m) taken back to counts.
 *
 * @param threshold the residual test's cut-off in MAD-sigmas (default 5)
 * @param minSigma  the least scale, on the transformed scale, so that a nearly constant series
 *                  (MAD 0) does not flag its every wobble (default 0.5)
 */
public record ChurnAnomalyDetector(SeasonalDecomposition decomposition, double threshold, double minSigma) {
    public static final double DEFAULT_THRESHOLD = 5.0;
    public static final double DEFAULT_MIN_SIGMA = 0.5;

    public ChurnAnomalyDetector {
        if (!(threshold > 0) || !(minSigma > 0)) {
            throw new IllegalArgumentException("threshold and minSigma must be positive");
        }
    }

    public static ChurnAnomalyDetector withDefaults() {
        return new ChurnAnomalyDetector(SeasonalDecomposition.dailyWeeklyMinutes(), DEFAULT_THRESHOLD, DEFAULT_MIN_SIGMA);
    }

    static double stabilize(double count) {
        return 2 * Math.sqrt(Math.max(count, 0) + 0.375);
    }

    static double unstabilize(double value) {
        double half = Math.max(value, 0) / 2;
        return Math.max(half * half - 0.375, 0);
    }

    /**
     * The anomalous minutes of {@code counts}, whose first value is the count of {@code firstMinute}
     * (epoch minutes), in time order.
     */
    public List<ChurnAnomaly> detect(long firstMinute, double[] counts) {
        int n = counts.length;
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = stabilize(counts[t]);
        }
        SeasonalDecomposition.Parts parts = decomposition.decompose(y);
        double[] remainder = parts.remainder();
        List<ChurnAnomaly> anomalies = new ArrayList<>();
        if (n == 0) {
            return anomalies;
        }
        double median = RobustStatistics.median(remainder);
        double sigma = Math.max(RobustStatistics.MAD_TO_SIGMA * RobustStatistics.mad(remainder, median), minSigma);
        for (int t = 0; t < n; t++) {
            double score = (remainder[t] - median) / sigma;
            if (Math.abs(score) > threshold) {
                double expected = unstabilize(parts.expected(t) + median);
                anomalies.add(new ChurnAnomaly(firstMinute + t, expected, counts[t], score));
            }
        }
        return anomalies;
    }
}
