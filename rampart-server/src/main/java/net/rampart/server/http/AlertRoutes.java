package net.rampart.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.route.SuppressedRoute;
import net.rampart.server.detect.DetectJson;
import net.rampart.server.detect.Detection;
import net.rampart.server.security.ApiGuard;
import net.rampart.wire.ip.IpPrefix;

/**
 * The detect area's API: the monitors in force, the alerts, and the changes people make to them
 * (acknowledge, resolve, ignore). With detection off, the monitors say so and there are no
 * alerts. Every field is listed in docs/detection.md.
 */
public final class AlertRoutes implements ApiRoutes {

    /** What the state filter takes: the states, and {@code active} for every one but resolved. */
    private static final String ACTIVE = "active";

    private final Detection detection;
    private final ObjectMapper json;
    private final Clock clock;

    /** @param detection null when detection is off */
    public AlertRoutes(Detection detection, ObjectMapper json, Clock clock) {
        this.detection = detection;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/monitors", this::monitors);
        routes.get("/api/v1/monitors/flaps", this::flaps);
        routes.get("/api/v1/alerts", this::list);
        routes.get("/api/v1/alerts/{id}", this::show);
        routes.post("/api/v1/alerts/{id}/acknowledge", ctx -> change(ctx, Alerts::acknowledge));
        routes.post("/api/v1/alerts/{id}/resolve", ctx -> change(ctx, Alerts::resolve));
        routes.post("/api/v1/alerts/{id}/ignore", ctx -> change(ctx, Alerts::ignore));
    }

    @Override
    public String openApiFragment() {
        return "openapi/detect.json";
    }

    private void monitors(Context ctx) {
        ctx.json(detection == null ? DetectJson.detectionOff() : DetectJson.monitors(detection.monitors()));
    }

    /**
     * The routes the flap detector holds suppressed, by prefix then vantage point, optionally
     * those of one prefix and its more-specifics; none with detection off.
     */
    private void flaps(Context ctx) {
        Optional<IpPrefix> prefix = QueryParameters.text(ctx, "prefix").map(AlertRoutes::prefix);
        List<SuppressedRoute> routes = detection == null ? List.of() : detection.suppressedRoutes();
        ctx.json(Page.of(ctx, routes.stream().filter(r -> prefix.isEmpty() || prefix.get().covers(r.prefix()))
                .map(DetectJson::suppressedRoute).toList()));
    }

    /**
     * Alerts, newest first, paged by key: the cursor names the last alert of the previous page,
     * so that alerts opened meanwhile shift no page.
     */
    private void list(Context ctx) {
        Predicate<Alert> filter = filter(ctx);
        int limit = Page.limit(ctx);
        long after = Page.key(ctx).map(key -> cursorId(ctx, key)).orElse(Long.MAX_VALUE);
        List<Alert> matched = alerts().filter(filter).sorted((a, b) -> Long.compare(b.id(), a.id())).toList();
        List<Alert> rest = matched.stream().filter(a -> a.id() < after).limit(limit + 1L).toList();
        List<Alert> page = rest.subList(0, Math.min(limit, rest.size()));
        String nextKey = rest.size() > limit ? Long.toString(page.get(page.size() - 1).id()) : null;
        ctx.json(Page.keyed(page.stream().map(DetectJson::alert).toList(), matched.size(), nextKey));
    }

    private Stream<Alert> alerts() {
        return detection == null ? Stream.empty() : detection.alerts().all().stream();
    }

    /** A key cursor holds the id of an alert this service has: anything else was not handed out. */
    private long cursorId(Context ctx, String key) {
        try {
            long id = Long.parseLong(key);
            if (detection != null && detection.alerts().byId(id).isPresent()) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Page.notHandedOut(ctx.queryParam("cursor"));
    }

    private static Predicate<Alert> filter(Context ctx) {
        Predicate<Alert> filter = a -> true;
        Optional<String> state = QueryParameters.choice(ctx, "state", Stream.concat(
                Arrays.stream(AlertState.values()).map(DetectJson::state), Stream.of(ACTIVE)).toArray(String[]::new));
        if (state.isPresent()) {
            filter = filter.and(state.get().equals(ACTIVE) ? a -> a.state().active()
                    : a -> DetectJson.state(a.state()).equals(state.get()));
        }
        Optional<String> type = QueryParameters.choice(ctx, "type",
                Arrays.stream(AlertType.values()).map(AlertType::wireName).toArray(String[]::new));
        if (type.isPresent()) {
            filter = filter.and(a -> a.type().wireName().equals(type.get()));
        }
        Optional<IpPrefix> prefix = QueryParameters.text(ctx, "prefix").map(AlertRoutes::prefix);
        if (prefix.isPresent()) {
            filter = filter.and(a -> prefix.get().covers(a.finding().prefix()));
        }
        Optional<Instant> since = QueryParameters.instant(ctx, "since");
        if (since.isPresent()) {
            long sinceMillis = since.get().toEpochMilli();
            filter = filter.and(a -> a.updatedAt() >= sinceMillis);
        }
        return filter;
    }

    /** Canonical CIDR, as every prefix the API takes; host bits set is an error. */
    private static IpPrefix prefix(String text) {
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter("prefix", e.getMessage());
        }
        if (!prefix.toString().equalsIgnoreCase(text)) {
            throw InvalidInputException.parameter("prefix", "'" + text + "' is not canonical; did you mean "
                    + prefix + "?");
        }
        return prefix;
    }

    private void show(Context ctx) {
        long id = id(ctx);
        Optional<Alert> alert = detection == null ? Optional.empty() : detection.alerts().byId(id);
        if (alert.isEmpty()) {
            notFound(ctx, id);
            return;
        }
        ctx.json(DetectJson.alertWithHistory(alert.get()));
    }

    /** A change people make to an alert: who and why, from the body, kept in its timeline. */
    @FunctionalInterface
    private interface Change {
        Optional<Alert> apply(Alerts alerts, long id, String by, long timeMillis, String note);
    }

    private void change(Context ctx, Change change) {
        long id = id(ctx);
        JsonNode body = body(ctx);
        String operator = JsonBody.text(body, "operator").strip();
        if (operator.isEmpty()) {
            throw InvalidInputException.field("operator", "required");
        }
        String reason = JsonBody.text(body, "reason").strip();
        if (detection == null) {
            notFound(ctx, id);
            return;
        }
        Optional<Alert> changed;
        try {
            changed = change.apply(detection.alerts(), id, actor(ctx, operator), clock.millis(), reason);
        } catch (IllegalStateException e) {
            ctx.status(HttpStatus.CONFLICT).json(new ApiError("invalid_state_change", e.getMessage()));
            return;
        }
        if (changed.isEmpty()) {
            notFound(ctx, id);
            return;
        }
        ctx.json(DetectJson.alertWithHistory(changed.get()));
    }

    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.parameter("id", "must be an alert id, a whole number from 1, not '" + text + "'");
    }

    private static void notFound(Context ctx, long id) {
        ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("not_found", "no alert " + id));
    }

    private JsonNode body(Context ctx) {
        JsonNode body = JsonBody.object(json, ctx, "the body must be a JSON object with operator and reason");
        TextLimits.body(body, Map.of("operator", TextLimits.NAME, "reason", TextLimits.REASON), Set.of());
        return body;
    }

    /** Who changed the alert, for its timeline: the operator the request names, and the token it came with. */
    private static String actor(Context ctx, String operator) {
        return operator + ApiGuard.principal(ctx).map(p -> " via " + p.actor()).orElse("");
    }
}
