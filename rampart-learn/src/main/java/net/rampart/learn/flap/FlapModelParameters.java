package net.rampart.learn.flap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a flap model is trained: XGBoost's gradient-boosted trees ({@code binary:logistic},
 * {@code tree_method=hist}) with these settings, and the share of the training period, at its
 * end, that picks the operating threshold.
 *
 * <p>Training is deterministic for a given seed and data: the same rows give the same model bytes.
 *
 * @param rounds             boosting rounds (trees)
 * @param maxDepth           deepest a tree may grow
 * @param eta                learning rate: how much of each tree is added
 * @param subsample          share of rows each tree sees
 * @param colsampleByTree    share of features each tree sees
 * @param seed               random seed for the subsampling
 * @param threads            native threads XGBoost trains with
 * @param validationFraction the latest share of the training rows (by time) that chooses the threshold
 */
public record FlapModelParameters(int rounds, int maxDepth, double eta, double subsample, double colsampleByTree,
                                  long seed, int threads, double validationFraction) {

    /** 100 trees of depth 6 at eta 0.1, 80% of rows and features per tree, 2 threads, the last 20% to validate. */
    public static final FlapModelParameters DEFAULTS = new FlapModelParameters(100, 6, 0.1, 0.8, 0.8, 1, 2, 0.2);

    public FlapModelParameters {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1: " + rounds);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("max depth must be at least 1: " + maxDepth);
        }
        if (!(eta > 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in (0, 1]: " + eta);
        }
        if (!(subsample > 0 && subsample <= 1)) {
            throw new IllegalArgumentException("subsample must be in (0, 1]: " + subsample);
        }
        if (!(colsampleByTree > 0 && colsampleByTree <= 1)) {
            throw new IllegalArgumentException("colsample_bytree must be in (0, 1]: " + colsampleByTree);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1): " + validationFraction);
        }
    }

    public FlapModelParameters withRounds(int rounds) {
        return new FlapModelParameters(rounds, maxDepth, eta, subsample, colsampleByTree, seed, threads,
                validationFraction);
    }

    public FlapModelParameters withSeed(long seed) {
        return new FlapModelParameters(rounds, maxDepth, eta, subsample, colsampleByTree, seed, threads,
                validationFraction);
    }

    /** XGBoost's booster parameters (the rounds are given to training separately). */
    Map<String, Object> boosterParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("objective", "binary:logistic");
        parameters.put("tree_method", "hist");
        parameters.put("max_depth", maxDepth);
        parameters.put("eta", eta);
        parameters.put("subsample", subsample);
        parameters.put("colsample_bytree", colsampleByTree);
        parameters.put("seed", seed);
        parameters.put("nthread", threads);
        parameters.put("verbosity", 0);
        return parameters;
    }
}
