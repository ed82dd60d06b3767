package net.rampart.server.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.features.SessionFeature;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.JsonBody;
import net.rampart.server.http.RouteTable;
import net.rampart.server.http.TextLimits;
import net.rampart.store.route.HistoryFeatures;

/**
 * {@code POST /api/v1/features/serve}: the current features of routes and sessions;
 * {@code POST /api/v1/features/materialize}: bring the feature tables up to date now
 * (docs/learning.md, "Features").
 */
public final class FeatureRoutes implements ApiRoutes {

    private final FeatureRefresh refresh;
    private final ObjectMapper json;
    private final Clock clock;

    public FeatureRoutes(FeatureRefresh refresh, ObjectMapper json, Clock clock) {
        this.refresh = refresh;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void register(RouteTable routes) {
        routes.post("/api/v1/features/serve", this::serve);
        routes.post("/api/v1/features/materialize", this::materialize);
    }

    @Override
    public String openApiFragment() {
        return "openapi/features.json";
    }

    private void serve(Context ctx) throws SQLException {
        JsonNode body = JsonBody.object(json, ctx, "the body must be a JSON object with routes and/or sessions,"
                + " such as {\"routes\": [{\"router\": \"r1\", \"peer\": \"192.0.2.1\", \"prefix\": \"203.0.113.0/24\"}]}");
        TextLimits.body(body, Map.of(), Set.of());
        Instant asOf = at(body).orElse(clock.instant());
        List<FeatureKeys.RouteKey> routes = FeatureKeys.routes(body, "routes");
        List<FeatureKeys.SessionKey> sessions = FeatureKeys.sessions(body, "sessions");
        if (routes.isEmpty() && sessions.isEmpty()) {
            throw InvalidInputException.field("routes", "ask for at least one route or session");
        }
        if (routes.size() + sessions.size() > FeatureKeys.MAX_KEYS) {
            throw InvalidInputException.field("routes", "at most " + FeatureKeys.MAX_KEYS
                    + " routes and sessions in all");
        }
        HistoryFeatures features = refresh.features();
        List<Map<String, Object>> routeAnswers = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            FeatureKeys.RouteKey r = routes.get(i);
            List<HistoryFeatures.RouteFeatures> found = features.routes(r.router(), r.peer(), r.prefix(), asOf);
            if (found.isEmpty()) {
                FeatureKeys.notFound(ctx, "routes[" + i + "]", "no features of " + r.prefix() + " from peer " + r.peer()
                        + " of router " + r.router() + ": route history holds none of it");
                return;
            }
            found.forEach(f -> routeAnswers.add(routeJson(f)));
        }
        List<Map<String, Object>> sessionAnswers = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            FeatureKeys.SessionKey s = sessions.get(i);
            List<HistoryFeatures.SessionFeatures> found = features.sessions(s.router(), s.peer(), asOf);
            if (found.isEmpty()) {
                FeatureKeys.notFound(ctx, "sessions[" + i + "]", "no peer events of peer " + s.peer() + " of router "
                        + s.router() + " up to " + asOf);
                return;
            }
            found.forEach(f -> sessionAnswers.add(sessionJson(f)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("as_of", asOf);
        answer.put("routes", routeAnswers);
        answer.put("sessions", sessionAnswers);
        ctx.json(answer);
    }

    private void materialize(Context ctx) throws SQLException, InterruptedException {
        Optional<HistoryFeatures.Refresh> done = refresh.refreshNow();
        if (done.isEmpty()) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30")
                    .json(new ApiError("history_busy", "a route history batch stayed in flight for 30 s, so where"
                            + " history ends is not known yet; try again shortly"));
            return;
        }
        HistoryFeatures.Refresh r = done.get();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("as_of", r.asOf());
        answer.put("history_rows", r.historyRows());
        answer.put("routes_written", r.routesWritten());
        answer.put("sessions_written", r.sessionsWritten());
        answer.put("from_seq", r.fromSeq());
        answer.put("to_seq", r.toSeq());
        ctx.json(answer);
    }

    private static Optional<Instant> at(JsonNode body) {
        if (!body.hasNonNull("at")) {
            return Optional.empty();
        }
        String text = JsonBody.text(body, "at");
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw InvalidInputException.field("at", "must be an ISO 8601 UTC time such as 2026-12-01T08:00:00Z");
        }
    }

    private static Map<String, Object> routeJson(HistoryFeatures.RouteFeatures f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("router", f.router());
        out.put("peer", f.peer());
        out.put("prefix", f.prefix());
        out.put("view", f.view());
        out.put("path_id", f.pathId());
        Map<String, Object> values = new LinkedHashMap<>();
        for (RouteFeature feature : RouteFeature.all()) {
            values.put(feature.column(), FeatureKeys.number(f.values()[feature.ordinal()]));
        }
        out.put("features", values);
        return out;
    }

    private static Map<String, Object> sessionJson(HistoryFeatures.SessionFeatures f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("router", f.router());
        out.put("peer", f.peer());
        Map<String, Object> values = new LinkedHashMap<>();
        for (SessionFeature feature : SessionFeature.all()) {
            values.put(feature.column(), FeatureKeys.number(f.values()[feature.ordinal()]));
        }
        out.put("features", values);
        return out;
    }
}
