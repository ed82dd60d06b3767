package net.rampart.learn.flap;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Made-up flap training rows with real signal, seeded: routes whose recent withdrawals, path
 * churn on long paths and short time between failures make a flap in the next hour likely. The
 * RFC 2439 figure of merit follows the withdrawals (with noise, as a decayed penalty does) and so
 * carries part of the signal, not all of it. Some values are missing, as in real features: the
 * path length of a route never seen announced, the MTBF of a route never withdrawn. Row times are
 * spread at random over the period and not sorted.
 */
final class SyntheticFlapRows {

    static final List<String> FEATURES =
            List.of("figure_of_merit", "withdrawals_1h", "path_changes_24h", "path_length", "mtbf_seconds", "noise");
    static final int FIGURE_OF_MERIT = 0;
    static final Duration HORIZON = Duration.ofHours(1);

    private SyntheticFlapRows() {
    }

    static LabelledRows generate(int rows, long seed, long startMillis, Duration span) {
        SplittableRandom random = new SplittableRandom(seed);
        LabelledRows.Builder builder = LabelledRows.builder(FEATURES, HORIZON);
        float[] row = new float[FEATURES.size()];
        for (int i = 0; i < rows; i++) {
            double withdrawals = Math.floor(-Math.log(1 - random.nextDouble()) * 1.2);
            double pathChanges = Math.floor(random.nextDouble() * random.nextDouble() * 30);
            double pathLength = random.nextDouble() < 0.1 ? Double.NaN : 1 + random.nextInt(9);
            double mtbf = random.nextDouble() < 0.3 ? Double.NaN : Math.exp(8 + 2 * random.nextGaussian());
            double figureOfMerit = 1000 * withdrawals * random.nextDouble() + 50 * Math.abs(random.nextGaussian());
            double logit = -3.2
                    + 0.5 * Math.min(withdrawals, 5)
                    + (pathChanges > 10 && pathLength >= 5 ? 2.2 : 0)
                    + (Double.isNaN(mtbf) ? -0.8 : mtbf < 1200 ? 1.6 : 0)
                    + (Double.isNaN(pathLength) ? 0.7 : 0);
            boolean flapped = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            row[0] = (float) figureOfMerit;
            row[1] = (float) withdrawals;
            row[2] = (float) pathChanges;
            row[3] = (float) pathLength;
            row[4] = (float) mtbf;
            row[5] = (float) random.nextGaussian();
            builder.add(row, flapped, startMillis + random.nextLong(span.toMillis()));
        }
        return builder.build();
    }
}
