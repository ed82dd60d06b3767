package net.rampart.learn.flap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained flap model: the chance that a route flaps within {@link #horizon()}, from its
 * features, and the threshold above which that chance raises a prediction.
 *
 * <p>It keeps what serving after a restart needs: the feature names (the order a feature vector
 * must have), the training parameters and period, the threshold, the held-out evaluation, and
 * the XGBoost model itself in XGBoost's JSON form, which {@code XGBoost.loadModel} reads back
 * unchanged. Predictions do not call XGBoost: they walk the trees in plain Java, without
 * allocating, and are safe from any number of threads.
 */
public final class FlapModel {

    /** "RFLM": the first four bytes of {@link #toBytes()}. */
    private static final int MAGIC = 0x52464C4D;
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most metadata {@link #toBytes()} writes: feature names, parameters and figures take a few KB. */
    private static final int MAX_METADATA_BYTES = 64 * 1024;
    /** Enough of the start of {@link #toBytes()} for {@link #summaryOf(byte[])}. */
    public static final int SUMMARY_BYTES = 3 * Integer.BYTES + MAX_METADATA_BYTES;

    /**
     * What a model says of itself, without its trees: what a list of models shows.
     *
     * @param featureNames      the features, in the order the model takes them
     * @param horizon           the label window
     * @param trainedFromMillis the earliest training row's time
     * @param trainedToMillis   the latest training row's time
     * @param threshold         the operating threshold
     * @param evaluation        the held-out figures, beside the baseline's
     */
    public record Summary(List<String> featureNames, FlapModelParameters parameters, Duration horizon,
                          long trainedFromMillis, long trainedToMillis, double threshold, FlapEvaluation evaluation) {
        public Summary {
            featureNames = List.copyOf(featureNames);
        }
    }

    private final List<String> featureNames;
    private final FlapModelParameters parameters;
    private final Duration horizon;
    private final long trainedFromMillis;
    private final long trainedToMillis;
    private final double threshold;
    private final FlapEvaluation evaluation;
    private final byte[] xgboostJson;
    private final TreeEnsemble trees;

    /**
     * @param featureNames      the names of the features, in the order {@link #probability} takes them
     * @param parameters        how the model was trained
     * @param horizon           how far ahead a prediction looks: the label window
     * @param trainedFromMillis the earliest training row's time, epoch millis
     * @param trainedToMillis   the latest training row's time, epoch millis
     * @param threshold         the probability at or above which a flap is predicted
     * @param evaluation        the model and the figure-of-merit baseline on the held-out period
     * @param xgboostJson       the trees, as XGBoost writes them ({@code Booster.toByteArray("json")})
     */
    public FlapModel(List<String> featureNames, FlapModelParameters parameters, Duration horizon,
                     long trainedFromMillis, long trainedToMillis, double threshold, FlapEvaluation evaluation,
                     byte[] xgboostJson) {
        this(featureNames, parameters, horizon, trainedFromMillis, trainedToMillis, threshold, evaluation,
                xgboostJson.clone(), null);
    }

    /** With the trees already read from {@code xgboostJson} (null: read them), which this object now owns. */
    FlapModel(List<String> featureNames, FlapModelParameters parameters, Duration horizon, long trainedFromMillis,
              long trainedToMillis, double threshold, FlapEvaluation evaluation, byte[] xgboostJson,
              TreeEnsemble trees) {
        this.featureNames = List.copyOf(featureNames);
        this.parameters = parameters;
        this.horizon = horizon;
        this.trainedFromMillis = trainedFromMillis;
        this.trainedToMillis = trainedToMillis;
        this.threshold = threshold;
        this.evaluation = evaluation;
        this.xgboostJson = xgboostJson;
        this.trees = trees != null ? trees : TreeEnsemble.fromXgboostJson(xgboostJson);
        if (this.trees.featureCount != this.featureNames.size()) {
            throw new IllegalArgumentException("the trees take " + this.trees.featureCount + " features but "
                    + this.featureNames.size() + " are named");
        }
    }

    /**
     * The chance that the route flaps within the horizon. {@code features} holds one value per
     * {@link #featureNames()} entry, in that order, NaN for a missing one.
     */
    public double probability(float[] features) {
        if (features.length != trees.featureCount) {
            throw new IllegalArgumentException(features.length + " features, the model takes " + trees.featureCount);
        }
        return trees.probability(features, 0);
    }


    /** The probability of every row of {@code rows}, which must have this model's features. */
    public double[] probabilities(LabelledRows rows) {
        if (!rows.featureNames().equals(featureNames)) {
            throw new IllegalArgumentException("rows have features " + rows.featureNames() + ", the model takes "
                    + featureNames);
        }
        float[] features = rows.featureArray();
        double[] probabilities = new double[rows.rowCount()];
        for (int row = 0; row < probabilities.length; row++) {
            probabilities[row] = trees.probability(features, row * featureNames.size());
        }
        return probabilities;
    }

    public Summary summary() {
        return new Summary(featureNames, parameters, horizon, trainedFromMillis, trainedToMillis, threshold,
                evaluation);
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int featureCount() {
        return featureNames.size();
    }

    public FlapModelParameters parameters() {
        return parameters;
    }

    public Duration horizon() {
        return horizon;
    }

    public Instant trainedFrom() {
        return Instant.ofEpochMilli(trainedFromMillis);
    }

    public Instant trainedTo() {
        return Instant.ofEpochMilli(trainedToMillis);
    }

    public double threshold() {
        return threshold;
    }

    public FlapEvaluation evaluation() {
        return evaluation;
    }

    public int treeCount() {
        return trees.treeCount();
    }

    /** The model in XGBoost's JSON form, loadable by {@code XGBoost.loadModel(byte[])}. */
    public byte[] xgboostJson() {
        return xgboostJson.clone();
    }

    TreeEnsemble trees() {
        return trees;
    }

    /**
     * Everything needed to serve this model again: {@code "RFLM"}, a format version (int), the
     * length-prefixed metadata as JSON, and the length-prefixed XGBoost JSON model, untouched.
     */
    public byte[] toBytes() {
        ObjectNode metadata = JSON.createObjectNode();
        ArrayNode names = metadata.putArray("features");
        featureNames.forEach(names::add);
        ObjectNode p = metadata.putObject("parameters");
        p.put("rounds", parameters.rounds());
        p.put("max_depth", parameters.maxDepth());
        p.put("eta", parameters.eta());
        p.put("subsample", parameters.subsample());
        p.put("colsample_bytree", parameters.colsampleByTree());
        p.put("seed", parameters.seed());
        p.put("threads", parameters.threads());
        p.put("validation_fraction", parameters.validationFraction());
        metadata.put("horizon_millis", horizon.toMillis());
        metadata.put("trained_from_millis", trainedFromMillis);
        metadata.put("trained_to_millis", trainedToMillis);
        metadata.put("threshold", threshold);
        ObjectNode e = metadata.putObject("evaluation");
        e.put("positives", evaluation.positives());
        e.put("negatives", evaluation.negatives());
        writeScores(e.putObject("model"), evaluation.model());
        writeScores(e.putObject("baseline"), evaluation.baseline());
        try {
            byte[] metadataBytes = JSON.writeValueAsBytes(metadata);
            if (metadataBytes.length > MAX_METADATA_BYTES) {
                throw new IllegalStateException("flap model metadata of " + metadataBytes.length + " bytes");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(metadataBytes.length + xgboostJson.length + 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(metadataBytes.length);
            out.write(metadataBytes);
            out.writeInt(xgboostJson.length);
            out.write(xgboostJson);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException impossible) {  // in memory
            throw new UncheckedIOException(impossible);
        }
    }

    /** Reads what {@link #toBytes()} wrote; a damaged or foreign input is an {@link IllegalArgumentException}. */
    public static FlapModel fromBytes(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            Summary summary = summary(in);
            byte[] model = lengthPrefixed(in, "model");
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the model");
            }
            return new FlapModel(summary.featureNames(), summary.parameters(), summary.horizon(),
                    summary.trainedFromMillis(), summary.trainedToMillis(), summary.threshold(), summary.evaluation(),
                    model, null);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("flap model is truncated", e);
        }
    }

    /**
     * The summary of a model from the start of what {@link #toBytes()} wrote: its first
     * {@link #SUMMARY_BYTES} or more, the trees not read.
     */
    public static Summary summaryOf(byte[] start) {
        try {
            return summary(ByteBuffer.wrap(start));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("flap model is truncated", e);
        }
    }

    private static Summary summary(ByteBuffer in) {
        if (in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a flap model: the first bytes are not RFLM");
        }
        int version = in.getInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("flap model format " + version + " is not " + FORMAT_VERSION);
        }
        JsonNode metadata;
        try {
            metadata = JSON.readTree(lengthPrefixed(in, "metadata"));
        } catch (IOException e) {
            throw new IllegalArgumentException("flap model metadata is not JSON: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : required(metadata, "features")) {
            names.add(name.asText());
        }
        JsonNode p = required(metadata, "parameters");
        FlapModelParameters parameters = new FlapModelParameters(required(p, "rounds").asInt(),
                required(p, "max_depth").asInt(), required(p, "eta").asDouble(), required(p, "subsample").asDouble(),
                required(p, "colsample_bytree").asDouble(), required(p, "seed").asLong(),
                required(p, "threads").asInt(), required(p, "validation_fraction").asDouble());
        JsonNode e = required(metadata, "evaluation");
        FlapEvaluation evaluation = new FlapEvaluation(required(e, "positives").asLong(),
                required(e, "negatives").asLong(), readScores(required(e, "model")),
                readScores(required(e, "baseline")));
        return new Summary(names, parameters, Duration.ofMillis(required(metadata, "horizon_millis").asLong()),
                required(metadata, "trained_from_millis").asLong(), required(metadata, "trained_to_millis").asLong(),
                required(metadata, "threshold").asDouble(), evaluation);
    }

    private static void writeScores(ObjectNode node, FlapEvaluation.Scores scores) {
        // NaN (undefined) is written as the string "NaN", which asDouble() reads back.
        node.put("auc", scores.auc());
        node.put("threshold", scores.threshold());
        node.put("precision", scores.precision());
        node.put("recall", scores.recall());
    }

    private static FlapEvaluation.Scores readScores(JsonNode node) {
        return new FlapEvaluation.Scores(required(node, "auc").asDouble(), required(node, "threshold").asDouble(),
                required(node, "precision").asDouble(), required(node, "recall").asDouble());
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("flap model metadata has no " + field);
        }
        return value;
    }

    private static byte[] lengthPrefixed(ByteBuffer in, String what) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException(what + " length " + length + " exceeds the " + in.remaining()
                    + " bytes left");
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    @Override
    public String toString() {
        return "FlapModel[" + featureNames.size() + " features, " + trees.treeCount() + " trees, horizon " + horizon
                + ", trained " + trainedFrom() + " .. " + trainedTo() + ", threshold " + threshold + ", "
                + evaluation + "]";
    }
}
