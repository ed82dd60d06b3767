package net.rampart.server.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.rampart.learn.flap.FlapEvaluation;
import net.rampart.learn.flap.FlapModel;
import net.rampart.learn.flap.FlapModelParameters;
import net.rampart.learn.flap.OnnxExport;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.JsonBody;
import net.rampart.server.http.Page;
import net.rampart.server.http.QueryParameters;
import net.rampart.server.http.RouteTable;
import net.rampart.server.http.TextLimits;
import net.rampart.store.learn.FlapModelTable;
import net.rampart.store.route.HistoryFeatures;

/**
 * Flap prediction: {@code POST /api/v1/ml/predict} (routes, sessions or feature vectors),
 * {@code GET /api/v1/ml/flaps} (what the current model expects to flap now),
 * {@code POST /api/v1/ml/train}, {@code GET /api/v1/ml/models}, one model, and its ONNX export
 * (docs/learning.md, "Flap prediction").
 */
public final class MlRoutes implements ApiRoutes {

    private final FlapModels models;
    private final ObjectMapper json;
    private final Clock clock;

    public MlRoutes(FlapModels models, ObjectMapper json, Clock clock) {
        this.models = models;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void register(RouteTable routes) {
        routes.post("/api/v1/ml/predict", this::predict);
        routes.post("/api/v1/ml/train", this::train);
        routes.get("/api/v1/ml/flaps", this::flaps);
        routes.get("/api/v1/ml/models", this::list);
        routes.get("/api/v1/ml/models/{version}", this::one);
        routes.get("/api/v1/ml/models/{version}/onnx", this::onnx);
    }

    @Override
    public String openApiFragment() {
        return "openapi/ml.json";
    }

    private void predict(Context ctx) throws SQLException {
        JsonNode body = JsonBody.object(json, ctx, "the body must be a JSON object with kind, and keys or vectors,"
                + " such as {\"keys\": [{\"router\": \"r1\", \"peer\": \"192.0.2.1\", \"prefix\": \"203.0.113.0/24\"}]}");
        TextLimits.body(body, Map.of(), Set.of());
        String kind = body.hasNonNull("kind") ? JsonBody.text(body, "kind") : "route";
        if (!FlapModelTable.KINDS.contains(kind)) {
            throw InvalidInputException.field("kind", "must be route or session, not '" + kind + "'");
        }
        boolean hasKeys = body.has("keys");
        boolean hasVectors = body.has("vectors");
        if (hasKeys == hasVectors) {
            throw InvalidInputException.field("keys", "give keys (the routes or sessions to predict) or vectors"
                    + " (their features), one of the two");
        }
        Optional<FlapModelTable.StoredModel> chosen = model(body, kind);
        if (chosen.isEmpty()) {
            noModel(ctx, kind);
            return;
        }
        FlapModelTable.StoredModel stored = chosen.get();
        List<Map<String, Object>> predictions = hasVectors ? vectors(body, stored.model())
                : keys(ctx, body, kind, stored.model());
        if (predictions == null) {
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("kind", kind);
        answer.put("model_version", stored.version());
        answer.put("threshold", stored.model().threshold());
        answer.put("predictions", predictions);
        ctx.json(answer);
    }

    /** The model asked for by {@code version}, or the current one; a version of no such model is refused. */
    private Optional<FlapModelTable.StoredModel> model(JsonNode body, String kind) throws SQLException {
        if (!body.hasNonNull("version")) {
            return models.current(kind);
        }
        JsonNode v = body.get("version");
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw InvalidInputException.field("version", "must be a model version number");
        }
        Optional<FlapModelTable.StoredModel> stored = models.table().version(v.intValue());
        if (stored.isEmpty() || !stored.get().kind().equals(kind)) {
            throw InvalidInputException.field("version", "no " + kind + " model has version " + v.intValue()
                    + " (GET /api/v1/ml/models lists them)");
        }
        return stored;
    }

    private static List<Map<String, Object>> vectors(JsonNode body, FlapModel model) {
        JsonNode list = body.get("vectors");
        if (!list.isArray() || list.isEmpty() || list.size() > FeatureKeys.MAX_KEYS) {
            throw InvalidInputException.field("vectors", "must be an array of 1 to " + FeatureKeys.MAX_KEYS
                    + " feature vectors");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        float[] features = new float[model.featureCount()];
        for (int i = 0; i < list.size(); i++) {
            String name = "vectors[" + i + "]";
            JsonNode vector = list.get(i);
            if (!vector.isArray() || vector.size() != model.featureCount()) {
                throw InvalidInputException.field(name, "must be an array of " + model.featureCount()
                        + " numbers (null for a missing one), in the model's order: "
                        + String.join(", ", model.featureNames()));
            }
            for (int j = 0; j < features.length; j++) {
                JsonNode x = vector.get(j);
                if (x.isNull()) {
                    features[j] = Float.NaN;
                } else if (x.isNumber()) {
                    features[j] = x.floatValue();
                } else {
                    throw InvalidInputException.field(name + "[" + j + "]", "must be a number or null ("
                            + model.featureNames().get(j) + ")");
                }
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("index", i);
            prediction(p, model, features);
            out.add(p);
        }
        return out;
    }

    /** Predictions for keys; null when one has no features (the 404 is answered). */
    private List<Map<String, Object>> keys(Context ctx, JsonNode body, String kind, FlapModel model)
            throws SQLException {
        HistoryFeatures history = models.history();
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        float[] features = new float[model.featureCount()];
        if (kind.equals("route")) {
            List<FeatureKeys.RouteKey> keys = FeatureKeys.routes(body, "keys");
            for (int i = 0; i < keys.size(); i++) {
                FeatureKeys.RouteKey k = keys.get(i);
                List<HistoryFeatures.RouteFeatures> found = history.routes(k.router(), k.peer(), k.prefix(), now);
                if (found.isEmpty()) {
                    FeatureKeys.notFound(ctx, "keys[" + i + "]", "no features of " + k.prefix() + " from peer " + k.peer()
                            + " of router " + k.router());
                    return null;
                }
                for (HistoryFeatures.RouteFeatures f : found) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("router", f.router());
                    p.put("peer", f.peer());
                    p.put("prefix", f.prefix());
                    p.put("view", f.view());
                    p.put("path_id", f.pathId());
                    prediction(p, model, floats(f.values(), features));
                    out.add(p);
                }
            }
        } else {
            List<FeatureKeys.SessionKey> keys = FeatureKeys.sessions(body, "keys");
            for (int i = 0; i < keys.size(); i++) {
                FeatureKeys.SessionKey k = keys.get(i);
                List<HistoryFeatures.SessionFeatures> found = history.sessions(k.router(), k.peer(), now);
                if (found.isEmpty()) {
                    FeatureKeys.notFound(ctx, "keys[" + i + "]", "no peer events of peer " + k.peer() + " of router "
                            + k.router());
                    return null;
                }
                for (HistoryFeatures.SessionFeatures f : found) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("router", f.router());
                    p.put("peer", f.peer());
                    prediction(p, model, floats(f.values(), features));
                    out.add(p);
                }
            }
        }
        if (out.isEmpty()) {
            throw InvalidInputException.field("keys", "must name at least one " + kind);
        }
        return out;
    }

    /** A feature vector as the model takes it, into {@code into}: served features are doubles, its trees split floats. */
    static float[] floats(double[] values, float[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (float) values[i];
        }
        return into;
    }

    private static void prediction(Map<String, Object> into, FlapModel model, float[] features) {
        double p = model.probability(features);
        into.put("probability", p);
        into.put("flap", p >= model.threshold());
    }

    private static void noModel(Context ctx, String kind) {
        ctx.status(HttpStatus.CONFLICT).json(new ApiError("no_model", "no " + kind + " model has been trained"
                + " yet: train one with ./rampart ml train once the history holds flaps"));
    }

    /**
     * The routes with an event in the last day (as of the last feature refresh), or the sessions,
     * that the current model predicts to flap within its window: most likely first, a page at a time.
     */
    private void flaps(Context ctx) throws SQLException {
        String kind = QueryParameters.text(ctx, "kind").orElse("route");
        if (!FlapModelTable.KINDS.contains(kind)) {
            throw InvalidInputException.parameter("kind", "must be route or session, not '" + kind + "'");
        }
        int limit = Page.limit(ctx);
        int offset = Page.offset(ctx);
        Optional<FlapModelTable.StoredModel> stored = models.current(kind);
        if (stored.isEmpty()) {
            noModel(ctx, kind);
            return;
        }
        FlapModel model = stored.get().model();
        Instant now = clock.instant();
        List<Map<String, Object>> flapping = new ArrayList<>();
        float[] features = new float[model.featureCount()];
        if (kind.equals("route")) {
            models.history().activeRoutes(now, f -> {
                double p = model.probability(floats(f.values(), features));
                if (p >= model.threshold()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("router", f.router());
                    row.put("peer", f.peer());
                    row.put("prefix", f.prefix());
                    row.put("view", f.view());
                    row.put("path_id", f.pathId());
                    row.put("probability", p);
                    flapping.add(row);
                }
            });
        } else {
            for (HistoryFeatures.SessionFeatures f : models.history().allSessions(now)) {
                double p = model.probability(floats(f.values(), features));
                if (p >= model.threshold()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("router", f.router());
                    row.put("peer", f.peer());
                    row.put("probability", p);
                    flapping.add(row);
                }
            }
        }
        flapping.sort((a, b) -> Double.compare((Double) b.get("probability"), (Double) a.get("probability")));
        int end = Math.min(flapping.size(), offset + limit);
        ctx.json(Page.cut(offset, offset >= end ? List.of() : flapping.subList(offset, end), flapping.size()));
    }

    private void train(Context ctx) throws SQLException {
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (FlapModels.Outcome o : models.train()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("kind", o.kind());
            out.put("rows", o.rows());
            out.put("model", o.stored().map(m -> summary(m.summarized())).orElse(null));
            out.put("skipped", o.skipped());
            outcomes.add(out);
        }
        ctx.json(Map.of("trainings", outcomes));
    }

    private void list(Context ctx) throws SQLException {
        int offset = Page.offset(ctx);
        List<Map<String, Object>> page = models.table().page(offset, Page.limit(ctx)).stream()
                .map(MlRoutes::summary).toList();
        ctx.json(Page.cut(offset, page, models.table().count()));
    }

    private Optional<FlapModelTable.StoredModel> byPath(Context ctx) throws SQLException {
        String text = ctx.pathParam("version");
        int version;
        try {
            version = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw InvalidInputException.parameter("version", "must be a model version number, not '" + text + "'");
        }
        Optional<FlapModelTable.StoredModel> stored = models.table().version(version);
        if (stored.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("not_found", "no model has version " + version));
        }
        return stored;
    }

    private void one(Context ctx) throws SQLException {
        byPath(ctx).ifPresent(m -> ctx.json(summary(m.summarized())));
    }

    private void onnx(Context ctx) throws SQLException {
        Optional<FlapModelTable.StoredModel> stored = byPath(ctx);
        if (stored.isEmpty()) {
            return;
        }
        byte[] onnx = OnnxExport.toOnnx(stored.get().model());
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"rampart-flap-" + stored.get().kind() + "-v"
                + stored.get().version() + ".onnx\"");
        ctx.result(onnx);
    }

    /** A stored model as the API shows it. */
    static Map<String, Object> summary(FlapModelTable.StoredSummary m) {
        FlapModel.Summary model = m.summary();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", m.version());
        out.put("kind", m.kind());
        out.put("trained_at", m.trainedAt());
        out.put("history_from", m.historyFrom());
        out.put("history_to", m.historyTo());
        out.put("test_from", m.testFrom());
        out.put("flap_window_seconds", model.horizon().toSeconds());
        out.put("flap_min_changes", m.minChanges());
        out.put("training_rows", m.trainingRows());
        out.put("test_rows", m.testRows());
        out.put("threshold", FeatureKeys.number(model.threshold()));
        out.put("features", model.featureNames());
        FlapModelParameters p = model.parameters();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rounds", p.rounds());
        parameters.put("max_depth", p.maxDepth());
        parameters.put("eta", p.eta());
        parameters.put("subsample", p.subsample());
        parameters.put("colsample_bytree", p.colsampleByTree());
        parameters.put("seed", p.seed());
        parameters.put("validation_fraction", p.validationFraction());
        out.put("parameters", parameters);
        FlapEvaluation e = model.evaluation();
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("positives", e.positives());
        evaluation.put("negatives", e.negatives());
        evaluation.put("model", scores(e.model()));
        evaluation.put("baseline", scores(e.baseline()));
        out.put("evaluation", evaluation);
        return out;
    }

    private static Map<String, Object> scores(FlapEvaluation.Scores s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("auc", finite(s.auc()));
        out.put("threshold", finite(s.threshold()));
        out.put("precision", finite(s.precision()));
        out.put("recall", finite(s.recall()));
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
