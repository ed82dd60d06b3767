package net.rampart.bench.learn;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.rampart.bench.Args;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.flap.FlapModel;
import net.rampart.learn.flap.FlapModelParameters;
import net.rampart.learn.flap.FlapModelTrainer;
import net.rampart.learn.flap.LabelledRows;

/**
 * How long training on a million route feature rows takes, and how long one prediction takes
 * (issue 21: training on 1 M rows within 60 s, prediction p99 within 1 ms). The rows are
 * synthetic, with the route features' width and a flap rate near the generated histories': what
 * is timed is XGBoost and the tree walk, which do not look at what the numbers mean.
 *
 * <pre>
 * java -cp "target/rampart-bench.jar:target/lib/*" net.rampart.bench.learn.FlapModelBench --rows 1000000
 * </pre>
 */
public final class FlapModelBench {

    private FlapModelBench() {
    }

    public static void main(String[] argv) {
        Map<String, String> args = Args.parse(argv, Map.of("--rows", "1000000", "--predictions", "100000", "--seed", "7"));
        int rows = Args.integer(args, "--rows", 1000);
        int predictions = Args.integer(args, "--predictions", 1000);
        long seed = Long.parseLong(args.get("--seed"));
        List<String> names = RouteFeature.all().stream().map(RouteFeature::column).toList();
        Instant start = Instant.parse("2026-11-01T00:00:00Z");

        long t0 = System.nanoTime();
        LabelledRows data = rows(names, rows, start, seed);
        long built = System.nanoTime();
        // The last quarter of the hours is the test period, as the service splits it.
        Instant cut = start.plus(Duration.ofHours(hours(rows) * 3 / 4));
        FlapModel model = new FlapModelTrainer(FlapModelParameters.DEFAULTS).train(data, cut,
                RouteFeature.FIGURE_OF_MERIT.ordinal());
        long trained = System.nanoTime();
        System.out.printf("rows: %,d x %d features, %,d flaps; built in %.2f s%n", data.rowCount(),
                data.featureCount(), data.positives(), (built - t0) / 1e9);
        System.out.printf("train (two fits: validation, then all training rows; evaluation): %.2f s;"
                        + " test AUC %.3f, figure of merit alone %.3f%n", (trained - built) / 1e9,
                model.evaluation().model().auc(), model.evaluation().baseline().auc());

        // One prediction at a time, as the API makes them: warm-up first, then timed one by one.
        float[] row = new float[names.size()];
        double sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += model.probability(copyRow(data, i % data.rowCount(), row));
        }
        long[] nanos = new long[predictions];
        for (int i = 0; i < predictions; i++) {
            copyRow(data, (i * 7919) % data.rowCount(), row);
            long a = System.nanoTime();
            sink += model.probability(row);
            nanos[i] = System.nanoTime() - a;
        }
        Arrays.sort(nanos);
        System.out.printf("predict one row: p50 %.1f us, p99 %.1f us, max %.1f us over %,d (checksum %.3f)%n",
                nanos[predictions / 2] / 1e3, nanos[(int) (predictions * 0.99)] / 1e3,
                nanos[predictions - 1] / 1e3, predictions, sink);
    }

    private static long hours(int rows) {
        // About 2000 active routes a moment, one moment an hour.
        return Math.max(8, rows / 2000);
    }

    private static float[] copyRow(LabelledRows data, int index, float[] into) {
        for (int c = 0; c < into.length; c++) {
            into[c] = data.feature(index, c);
        }
        return into;
    }

    /**
     * Rows with the route features' shape: counts that grow with a hidden flappiness, a figure of
     * merit that follows recent withdrawals, and a label drawn from the flappiness (about 8 %).
     */
    private static LabelledRows rows(List<String> names, int count, Instant start, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LabelledRows.Builder builder = LabelledRows.builder(names, Duration.ofHours(1));
        float[] f = new float[names.size()];
        long perHour = Math.max(1, count / hours(count));
        for (int i = 0; i < count; i++) {
            double flappiness = Math.pow(random.nextDouble(), 3);
            double rate = flappiness * 6;
            for (int w = 0; w < 3; w++) {
                double scale = w == 0 ? 1.0 / 12 : w == 1 ? 1 : 24;
                f[w] = poisson(random, rate * scale * 1.2);
                f[3 + w] = poisson(random, rate * scale * 0.5);
                f[6 + w] = poisson(random, rate * scale * 0.3);
                f[9 + w] = poisson(random, rate * scale);
            }
            f[12] = 2 + random.nextInt(6);
            f[13] = (float) (random.nextDouble() * flappiness * 3);
            f[14] = 1 + random.nextInt(flappiness > 0.3 ? 3 : 1);
            f[15] = random.nextDouble() < flappiness / 2 ? 1 : 0;
            f[16] = (float) (random.nextDouble() * 86_400 * (1 - flappiness));
            f[17] = (float) (86_400 + random.nextDouble() * 1e6);
            f[18] = poisson(random, flappiness * 200);
            f[19] = f[18] == 0 ? Float.NaN : (float) (3600 / (0.1 + flappiness) * random.nextDouble());
            f[20] = (float) (f[4] * 1000 * random.nextDouble());
            boolean flap = random.nextDouble() < 0.9 * flappiness * flappiness + 0.01;
            builder.add(f, flap, start.toEpochMilli() + (i / perHour) * 3_600_000L);
        }
        return builder.build();
    }

    private static float poisson(SplittableRandom random, double mean) {
        // Knuth's method is fine for the small means here; a normal approximation beyond.
        if (mean > 30) {
            return (float) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
