package net.rampart.learn.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChurnAnomalyDetectorTest {
    private static final long SEED = 20261207L;
    private static final int WEEKS = 4;
    private static final double BASE_RATE = 80; // updates per minute at the daily mean of a weekday
    private static final int ANOMALIES = 40;
    private static final long FIRST_MINUTE = 29_000_000L; // any epoch minute: the shape is in the series

    /** Precision and recall of the default detector on the synthetic series, printed for docs/learning.md. */
    @Test
    void findsInjectedSpikesAndDropsOnTheSyntheticSeasonalSeries() {
        SyntheticChurnSeries series = SyntheticChurnSeries.generate(SEED, WEEKS, BASE_RATE, ANOMALIES);
        List<ChurnAnomaly> found = ChurnAnomalyDetector.withDefaults().detect(FIRST_MINUTE, series.counts());

        int truePositiveMinutes = 0;
        boolean[] hit = new boolean[series.injected().size()];
        for (ChurnAnomaly a : found) {
            int t = (int) (a.minute() - FIRST_MINUTE);
            for (int i = 0; i < hit.length; i++) {
                SyntheticChurnSeries.Injected injected = series.injected().get(i);
                if (injected.contains(t)) {
                    truePositiveMinutes++;
                    hit[i] = true;
                    // The direction and the values reported match what was injected.
                    assertThat(a.drop()).isEqualTo(injected.kind() == SyntheticChurnSeries.Kind.DROP);
                    assertThat(a.observed()).isEqualTo(series.counts()[t]);
                }
            }
        }
        int spikes = 0;
        int spikesFound = 0;
        int dropsFound = 0;
        int found2 = 0;
        for (int i = 0; i < hit.length; i++) {
            boolean spike = series.injected().get(i).kind() == SyntheticChurnSeries.Kind.SPIKE;
            spikes += spike ? 1 : 0;
            if (hit[i]) {
                found2++;
                if (spike) {
                    spikesFound++;
                } else {
                    dropsFound++;
                }
            }
        }
        double precision = found.isEmpty() ? 0 : (double) truePositiveMinutes / found.size();
        double recall = (double) found2 / hit.length;
        System.out.printf("churn anomalies: series %d minutes (%d weeks), %d injected (%d spikes, %d drops); "
                        + "flagged %d minutes, %d inside an injected anomaly: minute precision %.3f; "
                        + "anomalies found %d/%d: recall %.3f (spikes %d/%d, drops %d/%d)%n",
                series.counts().length, WEEKS, hit.length, spikes, hit.length - spikes, found.size(),
                truePositiveMinutes, precision, found2, hit.length, recall, spikesFound, spikes,
                dropsFound, hit.length - spikes);

        assertThat(precision).as("minute precision").isGreaterThanOrEqualTo(0.90);
        assertThat(recall).as("event recall").isGreaterThanOrEqualTo(0.90);
    }

    private static long inMaintenance(List<ChurnAnomaly> found) {
        return found.stream().filter(a -> {
            int inWeek = (int) ((a.minute() - FIRST_MINUTE) % SeasonalDecomposition.WEEK_MINUTES);
            return inWeek >= SyntheticChurnSeries.MAINTENANCE_START
                    && inWeek < SyntheticChurnSeries.MAINTENANCE_START + SyntheticChurnSeries.MAINTENANCE_MINUTES;
        }).count();
    }

    @Test
    void theWeeklyMaintenanceWindowIsPartOfTheShapeNotAnAnomaly() {
        SyntheticChurnSeries series = SyntheticChurnSeries.generate(SEED, WEEKS, BASE_RATE, 0);
        List<ChurnAnomaly> found = ChurnAnomalyDetector.withDefaults().detect(FIRST_MINUTE, series.counts());
        // Without the weekly period the window (20 minutes at 2.5 times the rate, every Tuesday) recurs as anomalies.
        ChurnAnomalyDetector dailyOnly = new ChurnAnomalyDetector(
                new SeasonalDecomposition(new int[] {SeasonalDecomposition.DAY_MINUTES}, new int[] {35}, 0, new int[] {5}, 1, 5),
                ChurnAnomalyDetector.DEFAULT_THRESHOLD, ChurnAnomalyDetector.DEFAULT_MIN_SIGMA);
        List<ChurnAnomaly> foundDailyOnly = dailyOnly.detect(FIRST_MINUTE, series.counts());
        System.out.printf("churn anomalies: clean series, %d minutes flagged, %d of the %d maintenance minutes; "
                        + "daily period only: %d flagged, %d in maintenance%n",
                found.size(), inMaintenance(found), WEEKS * SyntheticChurnSeries.MAINTENANCE_MINUTES,
                foundDailyOnly.size(), inMaintenance(foundDailyOnly));
        assertThat(found.size()).isLessThanOrEqualTo(5);
        assertThat(inMaintenance(found)).isLessThanOrEqualTo(2); // at most its blurred edge
        assertThat(inMaintenance(foundDailyOnly)).isGreaterThanOrEqualTo(WEEKS * SyntheticChurnSeries.MAINTENANCE_MINUTES / 4);
    }

    @Test
    void theExpectedValueFollowsTheShape() {
        SyntheticChurnSeries series = SyntheticChurnSeries.generate(SEED, WEEKS, BASE_RATE, ANOMALIES);
        List<ChurnAnomaly> found = ChurnAnomalyDetector.withDefaults().detect(FIRST_MINUTE, series.counts());
        // Where an anomaly was injected, the expected value is the shape's, not the anomaly's.
        double[] ratios = found.stream()
                .filter(a -> series.injected().stream().anyMatch(i -> i.contains((int) (a.minute() - FIRST_MINUTE))))
                .mapToDouble(a -> a.expected() / SyntheticChurnSeries.rate((int) (a.minute() - FIRST_MINUTE), BASE_RATE))
                .sorted().toArray();
        assertThat(ratios).hasSizeGreaterThan(100);
        double median = RobustStatistics.median(ratios);
        double p10 = ratios[ratios.length / 10];
        double p90 = ratios[ratios.length * 9 / 10];
        System.out.printf("churn anomalies: expected / true shape inside injected anomalies: "
                + "min %.2f, p10 %.2f, median %.2f, p90 %.2f, max %.2f%n",
                ratios[0], p10, median, p90, ratios[ratios.length - 1]);
        assertThat(median).isBetween(0.9, 1.1);
        assertThat(p10).isGreaterThan(0.7);
        assertThat(p90).isLessThan(1.4);
    }

    @Test
    void sameSeedSameSeriesAndSameAnomalies() {
        SyntheticChurnSeries a = SyntheticChurnSeries.generate(7, 3, BASE_RATE, 20);
        SyntheticChurnSeries b = SyntheticChurnSeries.generate(7, 3, BASE_RATE, 20);
        SyntheticChurnSeries c = SyntheticChurnSeries.generate(8, 3, BASE_RATE, 20);
        assertThat(a.counts()).containsExactly(b.counts());
        assertThat(a.injected()).isEqualTo(b.injected());
        assertThat(Arrays.equals(a.counts(), c.counts())).isFalse();
        ChurnAnomalyDetector detector = ChurnAnomalyDetector.withDefaults();
        assertThat(detector.detect(0, a.counts())).isEqualTo(detector.detect(0, b.counts()));
    }

    @Test
    void aQuietSeriesWithOneBurstFlagsOnlyTheBurst() {
        // 15 days of about 3 updates a minute, no shape: the weekly period needs three weeks and is left out.
        SplittableRandom random = new SplittableRandom(3);
        double[] counts = new double[15 * SeasonalDecomposition.DAY_MINUTES];
        for (int t = 0; t < counts.length; t++) {
            int k = 0;
            for (double product = random.nextDouble(); product > Math.exp(-3); product *= random.nextDouble()) {
                k++;
            }
            counts[t] = k;
        }
        counts[5000] = 60;
        List<ChurnAnomaly> found = ChurnAnomalyDetector.withDefaults().detect(100, counts);
        assertThat(found).extracting(ChurnAnomaly::minute).containsExactly(5100L);
        assertThat(found.get(0).observed()).isEqualTo(60);
        assertThat(found.get(0).expected()).isBetween(2.0, 4.5);
        assertThat(found.get(0).drop()).isFalse();
    }

    @Test
    void rejectsANonPositiveThreshold() {
        assertThatThrownBy(() -> new ChurnAnomalyDetector(SeasonalDecomposition.dailyWeeklyMinutes(), 0, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
