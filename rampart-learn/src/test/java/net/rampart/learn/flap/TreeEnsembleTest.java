package net.rampart.learn.flap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tree walk on a hand-written model, where every path's answer is known. */
class TreeEnsembleTest {

    // Two trees over two features; base score 0.5 (margin 0).
    // Tree 0: x0 < 0.5 (missing goes left) ? -1 : (x1 < 3 (missing goes right) ? 0.25 : 2).
    // Tree 1: a single leaf, 0.5.
    private static final String MODEL = """
            {"learner": {
              "objective": {"name": "binary:logistic"},
              "learner_model_param": {"base_score": "[5E-1]", "num_feature": "2", "num_class": "0"},
              "gradient_booster": {"name": "gbtree", "model": {"trees": [
                {"left_children": [1, -1, 3, -1, -1], "right_children": [2, -1, 4, -1, -1],
                 "split_indices": [0, 0, 1, 0, 0], "split_conditions": [0.5, -1.0, 3.0, 0.25, 2.0],
                 "default_left": [1, 0, 0, 0, 0], "split_type": [0, 0, 0, 0, 0]},
                {"left_children": [-1], "right_children": [-1], "split_indices": [0],
                 "split_conditions": [0.5], "default_left": [0], "split_type": [0]}
              ]}}}}
            """;

    private final TreeEnsemble trees = TreeEnsemble.fromXgboostJson(MODEL.getBytes(StandardCharsets.UTF_8));

    @Test
    void walksEachPath() {
        assertThat(trees.featureCount).isEqualTo(2);
        assertThat(trees.treeCount()).isEqualTo(2);
        assertThat(margin(0.4f, 100f)).isEqualTo(-1 + 0.5);
        assertThat(margin(0.5f, 1f)).isEqualTo(0.25 + 0.5);     // equal to the condition goes right
        assertThat(margin(0.7f, 3f)).isEqualTo(2 + 0.5);
        assertThat(margin(Float.NaN, 1f)).isEqualTo(-1 + 0.5);   // missing: default left
        assertThat(margin(0.7f, Float.NaN)).isEqualTo(2 + 0.5);  // missing: default right
        assertThat(trees.probability(new float[] {0.7f, 3f}, 0)).isCloseTo(1 / (1 + Math.exp(-2.5)), within(1e-15));
    }

    @Test
    void readsARowAtAnOffset() {
        assertThat(trees.margin(new float[] {9f, 9f, 0.4f, 0f}, 2)).isEqualTo(-0.5);
    }

    @Test
    void rejectsWhatItCannotWalk() {
        assertThatThrownBy(() -> TreeEnsemble.fromXgboostJson(
                MODEL.replace("binary:logistic", "reg:squarederror").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("objective");
        assertThatThrownBy(() -> TreeEnsemble.fromXgboostJson(
                MODEL.replace("\"split_indices\": [0, 0, 1", "\"split_indices\": [0, 0, 7")
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature 7");
        assertThatThrownBy(() -> TreeEnsemble.fromXgboostJson("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private double margin(float x0, float x1) {
        return trees.margin(new float[] {x0, x1}, 0);
    }
}
