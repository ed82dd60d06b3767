package net.rampart.learn.flap;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains a {@link FlapModel} with XGBoost and measures it on a later period, beside the RFC 2439
 * figure of merit.
 *
 * <p>Every split is by time. Given rows and a cut:
 * <ol>
 *   <li>the rows are split at the cut ({@link LabelledRows#splitAt}): training rows are those whose
 *       label was known by the cut, test rows those taken from the cut on;</li>
 *   <li>the latest {@code validationFraction} of the training rows (by time) become a validation
 *       period, split off the same way; a model trained on the part before it scores it, and the
 *       threshold with the best F1 there becomes the operating threshold. The baseline's threshold
 *       is chosen on the same rows the same way;</li>
 *   <li>the model is trained again, with the same parameters, on all the training rows: it is the
 *       one kept, with the threshold found in step 2 (one more period of data changes the trees,
 *       not what a probability means);</li>
 *   <li>the kept model and the baseline are scored on the test rows.</li>
 * </ol>
 */
public final class FlapModelTrainer {

    private final FlapModelParameters parameters;

    public FlapModelTrainer(FlapModelParameters parameters) {
        this.parameters = parameters;
    }

    public FlapModelParameters parameters() {
        return parameters;
    }

    /**
     * Trains on the rows whose labels were known at {@code cut} and evaluates on the rows from
     * {@code cut} on.
     *
     * @param rows           every labelled row, in any order
     * @param cut            where the training period ends and the test period starts
     * @param baselineColumn the column of the RFC 2439 figure of merit, the baseline to beat
     * @throws IllegalArgumentException when the training or validation rows lack a class
     */
    public FlapModel train(LabelledRows rows, Instant cut, int baselineColumn) {
        if (baselineColumn < 0 || baselineColumn >= rows.featureCount()) {
            throw new IllegalArgumentException("baseline column " + baselineColumn + " of " + rows.featureCount());
        }
        LabelledRows.TimeSplit split = rows.splitAt(cut);
        LabelledRows training = split.train();
        requireBothClasses(training, "training rows (before " + cut + " less the horizon)");

        LabelledRows.TimeSplit validationSplit =
                training.splitAt(training.timeQuantileFromEnd(parameters.validationFraction()));
        LabelledRows fit = validationSplit.train();
        LabelledRows validation = validationSplit.test();
        Instant validationCut = Instant.ofEpochMilli(validationSplit.cutMillis());
        requireBothClasses(fit, "rows before the validation period (before " + validationCut + " less the horizon)");
        if (validation.positives() == 0) {
            throw new IllegalArgumentException("the validation period (from " + validationCut
                    + ") has no flaps to choose a threshold on");
        }
        boolean[] validationLabels = validation.labels();
        TreeEnsemble fitTrees = TreeEnsemble.fromXgboostJson(boost(fit));
        double threshold = FlapEvaluation.bestF1Threshold(probabilities(fitTrees, validation), validationLabels);
        double baselineThreshold =
                FlapEvaluation.bestF1Threshold(validation.column(baselineColumn), validationLabels);

        byte[] model = boost(training);
        TreeEnsemble trees = TreeEnsemble.fromXgboostJson(model);
        LabelledRows test = split.test();
        FlapEvaluation evaluation = FlapEvaluation.of(test.labels(), probabilities(trees, test), threshold,
                test.column(baselineColumn), baselineThreshold);
        return new FlapModel(rows.featureNames(), parameters, rows.horizon(), training.firstTimeMillis(),
                training.lastTimeMillis(), threshold, evaluation, model, trees);
    }

    /** Trains on every row given and returns XGBoost's JSON model. */
    byte[] boost(LabelledRows rows) {
        float[] labels = new float[rows.rowCount()];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = rows.label(row) ? 1f : 0f;
        }
        DMatrix matrix = null;
        Booster booster = null;
        try {
            matrix = new DMatrix(rows.featureArray(), rows.rowCount(), rows.featureCount(), Float.NaN);
            matrix.setLabel(labels);
            Map<String, DMatrix> noWatches = new HashMap<>();
            booster = XGBoost.train(matrix, parameters.boosterParameters(), parameters.rounds(), noWatches, null, null);
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to train: " + e.getMessage(), e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    private static double[] probabilities(TreeEnsemble trees, LabelledRows rows) {
        double[] probabilities = new double[rows.rowCount()];
        for (int row = 0; row < probabilities.length; row++) {
            probabilities[row] = trees.probability(rows.featureArray(), row * rows.featureCount());
        }
        return probabilities;
    }

    private static void requireBothClasses(LabelledRows rows, String what) {
        long positives = rows.positives();
        if (positives == 0 || positives == rows.rowCount()) {
            throw new IllegalArgumentException("the " + what + " are " + rows.rowCount() + " rows with " + positives
                    + " flaps; training needs rows that flapped and rows that did not");
        }
    }
}
