package net.rampart.server.learn;

import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.Page;
import net.rampart.server.http.QueryParameters;
import net.rampart.server.http.RouteTable;
import net.rampart.store.learn.ChurnAnomalyTable;

/**
 * {@code GET /api/v1/anomalies}: the churn anomalies stored, newest minute first, since a time
 * and of one scope or scope kind (docs/learning.md, "Churn anomalies").
 */
public final class AnomalyRoutes implements ApiRoutes {

    /**
     * What {@code scope} takes before the colon, and the kind each names in the table: {@code group}
     * as the learn module writes a scope, {@code prefix_group} as the answer's {@code scope_kind} does.
     */
    private static final Map<String, String> SCOPE_KINDS = Map.of(
            "router", "router", "peer", "peer", "group", "prefix_group", "prefix_group", "prefix_group");

    private final ChurnAnomalyTable table;

    public AnomalyRoutes(ChurnAnomalyTable table) {
        this.table = table;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/anomalies", this::list);
    }

    @Override
    public String openApiFragment() {
        return "openapi/learn.json";
    }

    private void list(Context ctx) throws SQLException {
        Instant since = QueryParameters.instant(ctx, "since").orElse(Instant.EPOCH);
        ChurnAnomalyTable.Filter filter = QueryParameters.text(ctx, "scope")
                .map(text -> scope(since, text)).orElse(new ChurnAnomalyTable.Filter(since, null, null));
        int limit = Page.limit(ctx);
        int offset = Page.offset(ctx);
        ChurnAnomalyTable.RowPage page = table.page(filter, offset, limit);
        ctx.json(Page.cut(offset, page.rows().stream().map(AnomalyRoutes::json).toList(), page.matched()));
    }

    /** {@code router}, {@code peer} or {@code group} for every scope of a kind; {@code KIND:NAME} for one. */
    private static ChurnAnomalyTable.Filter scope(Instant since, String text) {
        int colon = text.indexOf(':');
        String kind = SCOPE_KINDS.get(colon < 0 ? text : text.substring(0, colon));
        String name = colon < 0 ? null : text.substring(colon + 1);
        if (kind == null || (name != null && name.isEmpty())) {
            throw InvalidInputException.parameter("scope", "must be router, peer or group (prefix_group), or one"
                    + " scope as router:NAME, peer:ROUTER/PEER or group:NAME, not '" + text + "'");
        }
        return new ChurnAnomalyTable.Filter(since, kind, name);
    }

    private static Map<String, Object> json(ChurnAnomalyTable.Anomaly a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scope_kind", a.scopeKind());
        row.put("scope", a.scopeName());
        row.put("minute", a.minute());
        row.put("expected", a.expected());
        row.put("observed", a.observed());
        row.put("score", a.score());
        row.put("detected_at", a.detectedAt());
        return row;
    }
}
