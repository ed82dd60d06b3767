package net.rampart.server.security;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every matched request before its handler: the bearer token, the scope the route
 * needs, and the token's request rate. A refused request gets 401, 403 or 429 with a JSON body
 * and never reaches the handler; an accepted one carries its {@link Principal} for attribution.
 */
public final class ApiGuard {

    private static final Logger log = LoggerFactory.getLogger(ApiGuard.class);
    private static final String PRINCIPAL = "rampart.principal";
    private static final String BEARER = "Bearer ";
    private static final int MAX_BUCKETS = 10_000;

    private final ApiTokens tokens;
    private final AccessRules rules;
    private final int requestsPerSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final Counter rateLimited;

    public ApiGuard(ApiTokens tokens, AccessRules rules, int requestsPerSecond, int burst, MeterRegistry metrics) {
        this.tokens = tokens;
        this.rules = rules;
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
        this.metrics = metrics;
        this.rateLimited = Counter.builder("rampart.http.rate.limited")
                .description("API requests refused with 429 because their token exceeded its rate").register(metrics);
    }

    public AccessRules rules() {
        return rules;
    }

    /** The token a request was made with, when the route needed one. */
    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    public void check(Context ctx) throws SQLException {
        Optional<Scope> required = rules.required(ctx.method().name(), ctx.endpointHandlerPath());
        if (required.isEmpty()) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            unauthorized(ctx, "missing", "this route needs a bearer token: Authorization: Bearer <token>");
            return;
        }
        Optional<Principal> principal = tokens.authenticate(header.substring(BEARER.length()).strip());
        if (principal.isEmpty()) {
            unauthorized(ctx, "invalid", "the bearer token is unknown or revoked");
            return;
        }
        Principal p = principal.get();
        if (!p.scope().includes(required.get())) {
            refuse(ctx, "scope");
            ctx.status(HttpStatus.FORBIDDEN).json(new ApiError("insufficient_scope", "this route needs a token with scope '"
                    + required.get().label() + "'; this token has '" + p.scope().label() + "'"));
            ctx.skipRemainingHandlers();
            return;
        }
        long retryAfter = bucket(p.tokenId()).tryAcquire(1);
        if (retryAfter > 0) {
            rateLimited.increment();
            ctx.header("Retry-After", Long.toString(retryAfter));
            ctx.status(HttpStatus.TOO_MANY_REQUESTS).json(new ApiError("rate_limited", "token " + p.tokenId()
                    + " exceeded " + requestsPerSecond + " requests per second; retry after " + retryAfter + " s"));
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(PRINCIPAL, p);
    }

    private TokenBucket bucket(String tokenId) {
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(tokenId, id -> new TokenBucket(requestsPerSecond, burst));
    }

    private void unauthorized(Context ctx, String reason, String message) {
        refuse(ctx, reason);
        ctx.header("WWW-Authenticate", "Bearer realm=\"rampart\"");
        ctx.status(HttpStatus.UNAUTHORIZED).json(new ApiError("unauthorized", message));
        ctx.skipRemainingHandlers();
    }

    private void refuse(Context ctx, String reason) {
        Counter.builder("rampart.http.auth.failures")
                .description("API requests refused for authentication (missing, invalid) or scope")
                .tag("reason", reason).register(metrics).increment();
        log.atDebug().addKeyValue("event", "http_request_refused").addKeyValue("reason", reason)
                .addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("source", ctx.ip()).log("API request refused");
    }
}
