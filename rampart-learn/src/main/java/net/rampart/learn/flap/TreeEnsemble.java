package net.rampart.learn.flap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The trees of an XGBoost {@code binary:logistic} model, read from its JSON form into flat arrays,
 * and a plain-Java walk of them: a prediction allocates nothing and takes microseconds, where a
 * call into the native library costs tens.
 *
 * <p>Every tree's nodes sit one after another in the same arrays; a tree's root is
 * {@link #roots}{@code [t]}, children are absolute indices, and a leaf has no left child (-1).
 * At a split, a missing (NaN) value goes the default way, otherwise {@code x < condition} goes
 * left, exactly as XGBoost compares (in float). The margin is the logit of the model's base score
 * plus one leaf value per tree; the probability is its logistic.
 */
final class TreeEnsemble {

    final int featureCount;
    /** The base score as XGBoost writes it: a probability. */
    final float baseScore;
    /** logit(base score): the margin before any tree. */
    final double baseMargin;
    /** Each tree's first node. */
    final int[] roots;
    final int[] splitFeature;
    /** The split condition at a branch, the leaf's value at a leaf. */
    final float[] condition;
    final int[] left;
    final int[] right;
    final boolean[] defaultLeft;

    private TreeEnsemble(int featureCount, float baseScore, int[] roots, int[] splitFeature, float[] condition,
                         int[] left, int[] right, boolean[] defaultLeft) {
        this.featureCount = featureCount;
        this.baseScore = baseScore;
        this.baseMargin = Math.log(baseScore / (1.0 - baseScore));
        this.roots = roots;
        this.splitFeature = splitFeature;
        this.condition = condition;
        this.left = left;
        this.right = right;
        this.defaultLeft = defaultLeft;
    }

    /** Reads XGBoost's JSON model ({@code Booster.toByteArray("json")}). */
    static TreeEnsemble fromXgboostJson(byte[] json) {
        JsonNode learner;
        try {
            learner = new ObjectMapper().readTree(json).path("learner");
        } catch (IOException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model: " + e.getMessage(), e);
        }
        String objective = learner.path("objective").path("name").asText();
        if (!objective.equals("binary:logistic")) {
            throw new IllegalArgumentException("objective is " + objective + ", expected binary:logistic");
        }
        JsonNode modelParameters = learner.path("learner_model_param");
        // XGBoost 3 writes the base score as a one-element vector in a string, "[1.0073E-1]"; 1.x and 2.x as "1.0073E-1".
        String baseScoreText = modelParameters.path("base_score").asText().replace("[", "").replace("]", "");
        float baseScore = Float.parseFloat(baseScoreText);
        if (!(baseScore > 0 && baseScore < 1)) {
            throw new IllegalArgumentException("base score is not a probability: " + baseScoreText);
        }
        int featureCount = modelParameters.path("num_feature").asInt();
        JsonNode model = learner.path("gradient_booster").path("model");
        if (!learner.path("gradient_booster").path("name").asText().equals("gbtree")) {
            throw new IllegalArgumentException("booster is " + learner.path("gradient_booster").path("name").asText()
                    + ", expected gbtree");
        }
        JsonNode trees = model.path("trees");
        int nodes = 0;
        for (JsonNode tree : trees) {
            nodes += tree.path("left_children").size();
        }
        int[] roots = new int[trees.size()];
        int[] splitFeature = new int[nodes];
        float[] condition = new float[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        boolean[] defaultLeft = new boolean[nodes];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            JsonNode lefts = tree.path("left_children");
            JsonNode rights = tree.path("right_children");
            JsonNode features = tree.path("split_indices");
            JsonNode conditions = tree.path("split_conditions");
            JsonNode defaults = tree.path("default_left");
            JsonNode types = tree.path("split_type");
            int size = lefts.size();
            if (rights.size() != size || features.size() != size || conditions.size() != size || defaults.size() != size) {
                throw new IllegalArgumentException("tree " + t + " has arrays of different lengths");
            }
            roots[t] = offset;
            for (int i = 0; i < size; i++) {
                int node = offset + i;
                if (types.size() == size && types.get(i).asInt() != 0) {
                    throw new IllegalArgumentException("tree " + t + " has a categorical split, which is not supported");
                }
                int l = lefts.get(i).asInt();
                int r = rights.get(i).asInt();
                boolean leaf = l == -1;
                if (!leaf && (l <= i || l >= size || r <= i || r >= size)) {
                    throw new IllegalArgumentException("tree " + t + " node " + i + " has children out of order");
                }
                int feature = features.get(i).asInt();
                if (!leaf && (feature < 0 || feature >= featureCount)) {
                    throw new IllegalArgumentException("tree " + t + " node " + i + " splits on feature " + feature);
                }
                left[node] = leaf ? -1 : offset + l;
                right[node] = leaf ? -1 : offset + r;
                splitFeature[node] = feature;
                condition[node] = (float) conditions.get(i).asDouble();
                defaultLeft[node] = defaults.get(i).asInt() != 0;
            }
            offset += size;
        }
        return new TreeEnsemble(featureCount, baseScore, roots, splitFeature, condition, left, right, defaultLeft);
    }

    int treeCount() {
        return roots.length;
    }

    int nodeCount() {
        return left.length;
    }

    /** The first node after tree {@code t}. */
    int treeEnd(int t) {
        return t + 1 < roots.length ? roots[t + 1] : left.length;
    }

    boolean isLeaf(int node) {
        return left[node] == -1;
    }

    /** The raw score (log-odds) of one row: {@code features[offset .. offset + featureCount)}. */
    double margin(float[] features, int offset) {
        double margin = baseMargin;
        for (int root : roots) {
            int node = root;
            while (left[node] != -1) {
                float value = features[offset + splitFeature[node]];
                if (Float.isNaN(value)) {
                    node = defaultLeft[node] ? left[node] : right[node];
                } else {
                    node = value < condition[node] ? left[node] : right[node];
                }
            }
            margin += condition[node];
        }
        return margin;
    }

    double probability(float[] features, int offset) {
        return 1.0 / (1.0 + Math.exp(-margin(features, offset)));
    }
}
