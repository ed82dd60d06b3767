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
 * Checks every matched request before its handler: the bearer token or the dashboard's session
 * cookie, the scope the route needs, and the token's request rate. A refused request gets 401,
 * 403 or 429 with a JSON body and never reaches the handler; an accepted one carries its
 * {@link Principal} for attribution. A request authenticated by the cookie (which a browser
 * attaches by itself) that may change something must also carry the session's CSRF token in
 * {@link Sessions#CSRF_HEADER}; a bearer token is never attached by a browser, so it needs none.
 */
public final class ApiGuard {

    private static final Logger log = LoggerFactory.getLogger(ApiGuard.class);
    private static final String PRINCIPAL = "rampart.principal";
    private static final String SESSION = "rampart.session";
    private static final String STILL_ALLOWED = "rampart.still.allowed";
    private static final String BEARER = "Bearer ";
    private static final int MAX_BUCKETS = 10_000;

    private final ApiTokens tokens;
    private final Sessions sessions;
    private final AccessRules rules;
    private final int requestsPerSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final Counter rateLimited;

    public ApiGuard(ApiTokens tokens, Sessions sessions, AccessRules rules, int requestsPerSecond, int burst,
                    MeterRegistry metrics) {
        this.tokens = tokens;
        this.sessions = sessions;
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

    /** The dashboard session a request was authenticated by; empty for a bearer token or a public route. */
    public static Optional<Sessions.Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }

    /**
     * Whether what let this request in still holds: its session is live and its token not
     * revoked. A long request (the event stream) asks again from time to time, so signing out or
     * revoking a token ends it rather than leaving it open for its whole length. True for a
     * request that needed no token; false when the token store cannot be read.
     */
    public static boolean stillAllowed(Context ctx) {
        Check check = ctx.attribute(STILL_ALLOWED);
        return check == null || check.holds();
    }

    /** One re-check of a request's authentication. */
    @FunctionalInterface
    private interface Check {
        boolean holdsOrThrow() throws SQLException;

        default boolean holds() {
            try {
                return holdsOrThrow();
            } catch (SQLException e) {
                log.atWarn().addKeyValue("event", "auth_recheck_failed").setCause(e)
                        .log("a request's token could not be checked again; it is ended");
                return false;
            }
        }
    }

    public Sessions sessions() {
        return sessions;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public void check(Context ctx) throws SQLException {
        Optional<Scope> required = rules.required(ctx.method().name(), ctx.endpointHandlerPath());
        if (required.isEmpty()) {
            return;
        }
        String header = ctx.header("Authorization");
        String cookie = ctx.cookie(Sessions.COOKIE);
        Optional<Principal> principal;
        Check stillAllowed;
        if (header == null && cookie != null) {
            principal = sessionPrincipal(ctx, cookie);
            if (principal.isEmpty()) {
                return;
            }
            Sessions.Session s = ctx.attribute(SESSION);
            stillAllowed = () -> sessions.find(s.id()).isPresent() && tokens.authenticateHash(s.tokenHash()).isPresent();
        } else {
            if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                unauthorized(ctx, "missing", "this route needs a bearer token (Authorization: Bearer <token>) "
                        + "or a dashboard session");
                return;
            }
            String secret = header.substring(BEARER.length()).strip();
            principal = tokens.authenticate(secret);
            if (principal.isEmpty()) {
                unauthorized(ctx, "invalid", "the bearer token is unknown or revoked");
                return;
            }
            stillAllowed = () -> tokens.authenticate(secret).isPresent();
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
        ctx.attribute(STILL_ALLOWED, stillAllowed);
    }

    /**
     * The principal of a live session whose token is still active, after the CSRF check for a
     * request that may change something; empty when the request was refused.
     */
    private Optional<Principal> sessionPrincipal(Context ctx, String cookie) throws SQLException {
        Optional<Sessions.Session> session = sessions.find(cookie);
        if (session.isEmpty()) {
            unauthorized(ctx, "session", "the dashboard session is unknown or expired; sign in again");
            return Optional.empty();
        }
        Sessions.Session s = session.get();
        Optional<Principal> principal = tokens.authenticateHash(s.tokenHash());
        if (principal.isEmpty()) {
            sessions.remove(s.id());
            unauthorized(ctx, "invalid", "the token this session was signed in with is revoked; sign in again");
            return Optional.empty();
        }
        if (!isSafe(ctx.method().name()) && !s.csrfMatches(ctx.header(Sessions.CSRF_HEADER))) {
            refuse(ctx, "csrf");
            ctx.status(HttpStatus.FORBIDDEN).json(new ApiError("csrf", "a change made with the session cookie needs "
                    + "the session's CSRF token in the " + Sessions.CSRF_HEADER + " header"));
            ctx.skipRemainingHandlers();
            return Optional.empty();
        }
        ctx.attribute(SESSION, s);
        return principal;
    }

    private static boolean isSafe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
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
