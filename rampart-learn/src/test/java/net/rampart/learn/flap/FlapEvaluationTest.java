package net.rampart.learn.flap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Metrics on hand-made cases whose answers were worked out by hand. */
class FlapEvaluationTest {

    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    void aucCountsPairsRankedRightly() {
        // Pairs (positive, negative): 0.35>0.1 yes, 0.35>0.4 no, 0.8 beats both: 3 of 4.
        assertThat(FlapEvaluation.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {F, F, T, T})).isEqualTo(0.75);
        assertThat(FlapEvaluation.auc(new double[] {0.1, 0.2, 0.3}, new boolean[] {F, T, T})).isEqualTo(1.0);
        assertThat(FlapEvaluation.auc(new double[] {0.1, 0.2, 0.3}, new boolean[] {T, F, F})).isEqualTo(0.0);
    }

    @Test
    void aucCountsTiesAsHalf() {
        assertThat(FlapEvaluation.auc(new double[] {0.5, 0.5}, new boolean[] {F, T})).isEqualTo(0.5);
        // Positive 0.5: beats 0.2, ties 0.5 (1.5); positive 0.9 beats both (2): 3.5 of 4.
        assertThat(FlapEvaluation.auc(new double[] {0.2, 0.5, 0.5, 0.9}, new boolean[] {F, F, T, T}))
                .isEqualTo(0.875);
        // Order of the rows does not matter.
        assertThat(FlapEvaluation.auc(new double[] {0.5, 0.9, 0.2, 0.5}, new boolean[] {T, T, F, F}))
                .isEqualTo(0.875);
        // Every score equal: no better than chance.
        assertThat(FlapEvaluation.auc(new double[] {1, 1, 1, 1, 1}, new boolean[] {T, F, F, T, F})).isEqualTo(0.5);
    }

    @Test
    void aucRanksNaNLowestAndIsUndefinedWithOneClass() {
        assertThat(FlapEvaluation.auc(new double[] {Double.NaN, 0.0}, new boolean[] {F, T})).isEqualTo(1.0);
        assertThat(FlapEvaluation.auc(new double[] {0.1, 0.2}, new boolean[] {T, T})).isNaN();
        assertThat(FlapEvaluation.auc(new double[] {0.1, 0.2}, new boolean[] {F, F})).isNaN();
    }

    @Test
    void precisionAndRecallAtAThreshold() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.2};
        boolean[] labels = {T, F, T, T, F};
        // At 0.65: 0.9, 0.8, 0.7 predicted; 2 of them flapped; 2 of the 3 flaps found.
        assertThat(FlapEvaluation.precision(scores, labels, 0.65)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(FlapEvaluation.recall(scores, labels, 0.65)).isCloseTo(2.0 / 3, within(1e-12));
        // The threshold itself predicts a flap.
        assertThat(FlapEvaluation.precision(scores, labels, 0.6)).isEqualTo(0.75);
        assertThat(FlapEvaluation.recall(scores, labels, 0.6)).isEqualTo(1.0);
        // Nothing predicted: precision undefined, recall nothing.
        assertThat(FlapEvaluation.precision(scores, labels, 0.95)).isNaN();
        assertThat(FlapEvaluation.recall(scores, labels, 0.95)).isEqualTo(0.0);
        assertThat(FlapEvaluation.recall(scores, new boolean[5], 0.5)).isNaN();
    }

    @Test
    void bestF1ThresholdTriesEveryDistinctScore() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.2};
        boolean[] labels = {T, F, T, T, F};
        // F1 at 0.9: 0.5; 0.8: 0.4; 0.7: 2/3; 0.6: 6/7; 0.2: 0.75.
        assertThat(FlapEvaluation.bestF1Threshold(scores, labels)).isEqualTo(0.6);
        // Shuffled rows, same answer.
        assertThat(FlapEvaluation.bestF1Threshold(new double[] {0.2, 0.6, 0.9, 0.7, 0.8},
                new boolean[] {F, T, T, T, F})).isEqualTo(0.6);
    }

    @Test
    void bestF1ThresholdKeepsTiedScoresTogetherAndPrefersTheHigherOnEqualF1() {
        // At 0.5 both rows come in together: precision 1/2, recall 1, F1 2/3; at 0.1: 1/3, 1, 1/2.
        assertThat(FlapEvaluation.bestF1Threshold(new double[] {0.5, 0.5, 0.1}, new boolean[] {T, F, F}))
                .isEqualTo(0.5);
        // At 0.9: precision 1, recall 1/2, F1 2/3; at 0.4: 2/4, 1, F1 2/3 as well; the higher wins.
        assertThat(FlapEvaluation.bestF1Threshold(new double[] {0.9, 0.4, 0.4, 0.4}, new boolean[] {T, T, F, F}))
                .isEqualTo(0.9);
        assertThat(FlapEvaluation.bestF1Threshold(new double[] {0.9, 0.4}, new boolean[] {F, F})).isNaN();
    }

    @Test
    void evaluationCountsBothClassesAndScoresModelAndBaseline() {
        boolean[] labels = {T, F, T, T, F};
        FlapEvaluation evaluation = FlapEvaluation.of(labels, new double[] {0.9, 0.8, 0.7, 0.6, 0.2}, 0.65,
                new double[] {0, 0, 0, 0, 0}, 0);
        assertThat(evaluation.positives()).isEqualTo(3);
        assertThat(evaluation.negatives()).isEqualTo(2);
        assertThat(evaluation.model().auc()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(evaluation.model().f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(evaluation.baseline().auc()).isEqualTo(0.5);
        assertThat(evaluation.baseline().precision()).isEqualTo(0.6);
        assertThat(evaluation.baseline().recall()).isEqualTo(1.0);
    }
}
