package net.rampart.server.collector;

import io.javalin.http.Context;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.Page;
import net.rampart.server.http.QueryParameters;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.RouteTable;
import net.rampart.store.route.RouteHistoryQueries;
import net.rampart.store.route.SessionHistoryQueries;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.DurationText;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Route and peer history from PostgreSQL: {@code /api/v1/routes/{prefix}/history},
 * {@code /api/v1/churn}, {@code /api/v1/peer-events} and {@code /api/v1/peer-statistics}.
 */
public final class HistoryRoutes implements ApiRoutes {

    /** The answer reports the window in whole seconds ({@code window_seconds}), so it is at least one. */
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(31);
    private static final int MAX_TOP = 1000;

    private final RouteHistoryQueries queries;
    private final SessionHistoryQueries sessions;

    public HistoryRoutes(RouteHistoryQueries queries, SessionHistoryQueries sessions) {
        this.queries = queries;
        this.sessions = sessions;
    }

    @Override
    public void register(RouteTable routes) {
        // <prefix> may contain the CIDR's slash: /api/v1/routes/192.0.2.0/24/history
        routes.get("/api/v1/routes/<prefix>/history", this::history);
        routes.get("/api/v1/churn", this::churn);
        routes.get("/api/v1/peer-events", this::peerEvents);
        routes.get("/api/v1/peer-statistics", this::peerStatistics);
    }

    private void peerEvents(Context ctx) throws SQLException {
        int offset = Page.offset(ctx);
        var page = sessions.peerEvents(peerFilter(ctx), offset, Page.limit(ctx));
        ctx.json(Page.cut(offset, page.rows(), page.matched()));
    }

    private void peerStatistics(Context ctx) throws SQLException {
        int offset = Page.offset(ctx);
        var page = sessions.peerStatistics(peerFilter(ctx), offset, Page.limit(ctx));
        ctx.json(Page.cut(offset, page.rows(), page.matched()));
    }

    /** {@code router} (its name, as /api/v1/routers gives it), {@code peer} (an address) and {@code since}. */
    private static SessionHistoryQueries.PeerFilter peerFilter(Context ctx) {
        String peer = QueryParameters.text(ctx, "peer").map(text -> {
            try {
                return AddressText.of(AddressText.parse(text));
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.parameter("peer", e.getMessage());
            }
        }).orElse(null);
        return new SessionHistoryQueries.PeerFilter(QueryParameters.text(ctx, "router").orElse(null), peer,
                QueryParameters.instant(ctx, "since").orElse(Instant.EPOCH));
    }

    private void history(Context ctx) throws SQLException {
        String prefix = CidrParameter.parse("prefix", ctx.pathParam("prefix")).text();
        Instant since = QueryParameters.instant(ctx, "since").orElse(Instant.EPOCH);
        int offset = Page.offset(ctx);
        var page = queries.history(prefix, since, offset, Page.limit(ctx));
        ctx.json(Page.cut(offset, page.rows(), page.matched()));
    }

    private void churn(Context ctx) throws SQLException {
        Duration window = QueryParameters.text(ctx, "window").map(HistoryRoutes::window).orElse(Duration.ofHours(1));
        int top = QueryParameters.text(ctx, "top").map(HistoryRoutes::top).orElse(10);
        ctx.json(Map.of("window_seconds", window.toSeconds(), "items", queries.churn(window, top)));
    }

    private static Duration window(String text) {
        try {
            Duration window = DurationText.parse(text);
            if (window.compareTo(MIN_WINDOW) >= 0 && window.compareTo(MAX_WINDOW) <= 0) {
                return window;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidInputException.parameter("window", "must be a duration such as 15m, 1h or 7d, from 1s to 31d, not '" + text + "'");
    }

    private static int top(String text) {
        try {
            int top = Integer.parseInt(text);
            if (top >= 1 && top <= MAX_TOP) {
                return top;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.parameter("top", "must be a whole number from 1 to " + MAX_TOP + ", not '" + text + "'");
    }

    @Override
    public String openApiFragment() {
        return "openapi/history.json";
    }
}
