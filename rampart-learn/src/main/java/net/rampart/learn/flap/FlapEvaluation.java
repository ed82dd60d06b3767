package net.rampart.learn.flap;

import java.util.Arrays;

/**
 * How well a flap model ranks and classifies a held-out period, beside the baseline it has to
 * beat: the RFC 2439 figure of merit alone, the penalty routers already damp flaps with.
 *
 * <p>A score at or above a threshold predicts a flap. Metrics that a set cannot define (AUC with
 * only one class, precision with nothing predicted) are {@link Double#NaN}.
 *
 * @param positives rows that flapped within the horizon
 * @param negatives rows that did not
 * @param model     the model's probabilities, at the model's threshold
 * @param baseline  the figure of merit, at its own threshold chosen the same way
 */
public record FlapEvaluation(long positives, long negatives, Scores model, Scores baseline) {

    /**
     * One scorer's figures on a set.
     *
     * @param auc       area under the ROC curve: the chance that a random positive scores above a random negative
     * @param threshold the operating threshold: a score at or above it predicts a flap
     * @param precision flaps among the rows predicted to flap
     * @param recall    predicted flaps among the rows that flapped
     */
    public record Scores(double auc, double threshold, double precision, double recall) {

        /** The figures of {@code scores} against {@code labels} at {@code threshold}. */
        public static Scores of(double[] scores, boolean[] labels, double threshold) {
            return new Scores(FlapEvaluation.auc(scores, labels), threshold,
                    FlapEvaluation.precision(scores, labels, threshold),
                    FlapEvaluation.recall(scores, labels, threshold));
        }

        public double f1() {
            return FlapEvaluation.f1(precision, recall);
        }
    }

    /** Model and baseline scored against the same labels. */
    public static FlapEvaluation of(boolean[] labels, double[] modelScores, double modelThreshold,
                                    double[] baselineScores, double baselineThreshold) {
        long positives = countTrue(labels);
        return new FlapEvaluation(positives, labels.length - positives,
                Scores.of(modelScores, labels, modelThreshold), Scores.of(baselineScores, labels, baselineThreshold));
    }

    /**
     * ROC AUC as the Mann-Whitney statistic: over every (positive, negative) pair, 1 when the
     * positive scores higher, 1/2 on a tie, divided by the number of pairs (the rank-sum AUC with
     * tied ranks averaged). NaN when either class is absent; a NaN score ranks below every number.
     */
    public static double auc(double[] scores, boolean[] labels) {
        checkLengths(scores, labels);
        double[] positive = sortedScores(scores, labels, true);
        double[] negative = sortedScores(scores, labels, false);
        if (positive.length == 0 || negative.length == 0) {
            return Double.NaN;
        }
        double wins = 0;
        int p = 0;
        int n = 0;
        while (p < positive.length) {
            double value = positive[p];
            while (n < negative.length && negative[n] < value) {
                n++;
            }
            int tiedNegatives = 0;
            while (n + tiedNegatives < negative.length && negative[n + tiedNegatives] == value) {
                tiedNegatives++;
            }
            int tiedPositives = 0;
            while (p < positive.length && positive[p] == value) {
                tiedPositives++;
                p++;
            }
            wins += tiedPositives * (n + tiedNegatives / 2.0);
        }
        return wins / ((double) positive.length * negative.length);
    }

    /** Positives among the rows scored at or above {@code threshold}; NaN when there are none (NaN scores as -infinity). */
    public static double precision(double[] scores, boolean[] labels, double threshold) {
        checkLengths(scores, labels);
        long predicted = 0;
        long truePositives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (rankable(scores[i]) >= threshold) {
                predicted++;
                if (labels[i]) {
                    truePositives++;
                }
            }
        }
        return predicted == 0 ? Double.NaN : (double) truePositives / predicted;
    }

    /** Rows scored at or above {@code threshold} among the positives; NaN when there are no positives. */
    public static double recall(double[] scores, boolean[] labels, double threshold) {
        checkLengths(scores, labels);
        long positives = 0;
        long truePositives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i]) {
                positives++;
                if (rankable(scores[i]) >= threshold) {
                    truePositives++;
                }
            }
        }
        return positives == 0 ? Double.NaN : (double) truePositives / positives;
    }

    /** The harmonic mean of precision and recall; 0 when either is 0 or undefined. */
    public static double f1(double precision, double recall) {
        if (!(precision > 0) || !(recall > 0)) {
            return 0;
        }
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * The threshold with the best F1 on these rows: every distinct score is tried as a threshold
     * (score &gt;= threshold predicts a flap), and on equal F1 the highest threshold wins, the one
     * that raises fewer alerts. NaN when there are no positives (no threshold finds anything).
     */
    public static double bestF1Threshold(double[] scores, boolean[] labels) {
        checkLengths(scores, labels);
        double[] positive = sortedScores(scores, labels, true);
        double[] negative = sortedScores(scores, labels, false);
        if (positive.length == 0) {
            return Double.NaN;
        }
        // Lower the threshold one distinct score at a time, from the highest: each step adds its rows.
        double bestThreshold = Double.NaN;
        double bestF1 = -1;
        int p = positive.length - 1;
        int n = negative.length - 1;
        while (p >= 0 || n >= 0) {
            double value = Math.max(p >= 0 ? positive[p] : Double.NEGATIVE_INFINITY,
                    n >= 0 ? negative[n] : Double.NEGATIVE_INFINITY);
            while (p >= 0 && positive[p] == value) {
                p--;
            }
            while (n >= 0 && negative[n] == value) {
                n--;
            }
            long truePositives = positive.length - 1 - p;
            long predicted = truePositives + negative.length - 1 - n;
            double f1 = f1((double) truePositives / predicted, (double) truePositives / positive.length);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestThreshold = value;
            }
        }
        return bestThreshold;
    }

    /** The scores of one class, ascending, NaN as negative infinity. */
    private static double[] sortedScores(double[] scores, boolean[] labels, boolean label) {
        int count = 0;
        for (boolean l : labels) {
            if (l == label) {
                count++;
            }
        }
        double[] selected = new double[count];
        int i = 0;
        for (int row = 0; row < scores.length; row++) {
            if (labels[row] == label) {
                selected[i++] = rankable(scores[row]);
            }
        }
        Arrays.sort(selected);
        return selected;
    }

    private static double rankable(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }

    private static long countTrue(boolean[] labels) {
        long count = 0;
        for (boolean label : labels) {
            if (label) {
                count++;
            }
        }
        return count;
    }

    private static void checkLengths(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
    }
}
