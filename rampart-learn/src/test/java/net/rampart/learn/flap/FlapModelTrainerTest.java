package net.rampart.learn.flap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FlapModelTrainerTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant CUT = START.plus(Duration.ofDays(8));
    private static final FlapModelParameters PARAMETERS = FlapModelParameters.DEFAULTS.withRounds(60);

    private static LabelledRows rows;
    private static FlapModel model;

    @BeforeAll
    static void train() {
        rows = SyntheticFlapRows.generate(20_000, 42, START.toEpochMilli(), Duration.ofDays(10));
        model = new FlapModelTrainer(PARAMETERS).train(rows, CUT, SyntheticFlapRows.FIGURE_OF_MERIT);
    }

    @Test
    void trainsOnlyOnRowsWhoseLabelsWereKnownAtTheCut() {
        assertThat(model.trainedTo().plus(SyntheticFlapRows.HORIZON)).isBeforeOrEqualTo(CUT);
        assertThat(model.trainedFrom()).isAfterOrEqualTo(START);
        LabelledRows test = rows.splitAt(CUT).test();
        assertThat(model.evaluation().positives()).isEqualTo(test.positives());
        assertThat(model.evaluation().positives() + model.evaluation().negatives()).isEqualTo(test.rowCount());
        assertThat(model.featureNames()).isEqualTo(SyntheticFlapRows.FEATURES);
        assertThat(model.horizon()).isEqualTo(SyntheticFlapRows.HORIZON);
        assertThat(model.treeCount()).isEqualTo(PARAMETERS.rounds());
    }

    @Test
    void beatsTheFigureOfMeritOnTheHeldOutPeriod() {
        FlapEvaluation evaluation = model.evaluation();
        System.out.printf("flap model: %d test rows (%d flaps); model AUC %.3f, F1 %.3f at %.3f; figure of merit AUC %.3f,"
                        + " F1 %.3f at %.1f%n", evaluation.positives() + evaluation.negatives(), evaluation.positives(),
                evaluation.model().auc(), evaluation.model().f1(), evaluation.model().threshold(),
                evaluation.baseline().auc(), evaluation.baseline().f1(), evaluation.baseline().threshold());
        assertThat(evaluation.positives()).isGreaterThan(100);
        assertThat(evaluation.negatives()).isGreaterThan(100);
        assertThat(evaluation.baseline().auc()).isGreaterThan(0.55);  // the baseline carries some signal
        assertThat(evaluation.model().auc()).isGreaterThan(evaluation.baseline().auc() + 0.05);
        assertThat(evaluation.model().f1()).isGreaterThan(evaluation.baseline().f1());
        assertThat(model.threshold()).isBetween(0.0, 1.0);
        assertThat(evaluation.model().threshold()).isEqualTo(model.threshold());
    }

    @Test
    void sameSeedSameModelBytes() {
        FlapModel again = new FlapModelTrainer(PARAMETERS).train(rows, CUT, SyntheticFlapRows.FIGURE_OF_MERIT);
        assertThat(again.xgboostJson()).isEqualTo(model.xgboostJson());
        assertThat(again.toBytes()).isEqualTo(model.toBytes());

        FlapModel otherSeed = new FlapModelTrainer(PARAMETERS.withSeed(7))
                .train(rows, CUT, SyntheticFlapRows.FIGURE_OF_MERIT);
        assertThat(otherSeed.xgboostJson()).isNotEqualTo(model.xgboostJson());  // the seed is used at all
    }

    @Test
    void treeWalkEqualsXgboostPrediction() throws Exception {
        LabelledRows test = rows.splitAt(CUT).test();
        assertThat(hasMissing(test)).isTrue();  // the default directions are exercised
        double[] walked = model.probabilities(test);
        Booster booster = XGBoost.loadModel(model.xgboostJson());
        DMatrix matrix = new DMatrix(test.featureArray(), test.rowCount(), test.featureCount(), Float.NaN);
        try {
            float[][] predicted = booster.predict(matrix);
            double maxDifference = 0;
            float[] row = new float[test.featureCount()];
            for (int i = 0; i < test.rowCount(); i++) {
                maxDifference = Math.max(maxDifference, Math.abs(walked[i] - predicted[i][0]));
                System.arraycopy(test.featureArray(), i * row.length, row, 0, row.length);
                assertThat(model.probability(row)).isEqualTo(walked[i]);
            }
            assertThat(maxDifference).isLessThan(1e-5);
            assertThat(Arrays.stream(walked).distinct().count()).isGreaterThan(100);  // not a constant
        } finally {
            matrix.dispose();
            booster.dispose();
        }
    }

    @Test
    void survivesToBytesAndFromBytes() {
        FlapModel restored = FlapModel.fromBytes(model.toBytes());

        assertThat(restored.featureNames()).isEqualTo(model.featureNames());
        assertThat(restored.parameters()).isEqualTo(model.parameters());
        assertThat(restored.horizon()).isEqualTo(model.horizon());
        assertThat(restored.trainedFrom()).isEqualTo(model.trainedFrom());
        assertThat(restored.trainedTo()).isEqualTo(model.trainedTo());
        assertThat(restored.threshold()).isEqualTo(model.threshold());
        assertThat(restored.evaluation()).isEqualTo(model.evaluation());
        assertThat(restored.xgboostJson()).isEqualTo(model.xgboostJson());
        assertThat(restored.probabilities(rows)).isEqualTo(model.probabilities(rows));
        assertThat(restored.toBytes()).isEqualTo(model.toBytes());
    }

    @Test
    void undefinedMetricsSurviveTheRoundTrip() {
        // A cut after every row leaves no test rows: every held-out figure is undefined.
        FlapModel untested = new FlapModelTrainer(PARAMETERS.withRounds(5))
                .train(rows, START.plus(Duration.ofDays(11)), SyntheticFlapRows.FIGURE_OF_MERIT);
        assertThat(untested.evaluation().positives()).isZero();
        assertThat(untested.evaluation().model().auc()).isNaN();

        FlapModel restored = FlapModel.fromBytes(untested.toBytes());
        assertThat(restored.evaluation()).isEqualTo(untested.evaluation());
        assertThat(restored.evaluation().model().auc()).isNaN();
    }

    @Test
    void fromBytesRejectsDamagedInput() {
        byte[] bytes = model.toBytes();
        assertThatThrownBy(() -> FlapModel.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlapModel.fromBytes(Arrays.copyOf(bytes, 6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> FlapModel.fromBytes(model.xgboostJson()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RFLM");
    }

    @Test
    void refusesATrainingPeriodWithoutFlaps() {
        LabelledRows.Builder builder = LabelledRows.builder(SyntheticFlapRows.FEATURES, SyntheticFlapRows.HORIZON);
        for (int i = 0; i < 100; i++) {
            builder.add(new float[SyntheticFlapRows.FEATURES.size()], false, START.toEpochMilli() + i * 60_000L);
        }
        assertThatThrownBy(() -> new FlapModelTrainer(PARAMETERS).train(builder.build(), CUT, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 flaps");
    }

    @Test
    void probabilityTakesExactlyTheModelsFeatures() {
        assertThatThrownBy(() -> model.probability(new float[SyntheticFlapRows.FEATURES.size() + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean hasMissing(LabelledRows rows) {
        for (float value : rows.featureArray()) {
            if (Float.isNaN(value)) {
                return true;
            }
        }
        return false;
    }
}
