package net.rampart.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import net.rampart.server.security.ApiGuard;
import net.rampart.server.security.Principal;
import net.rampart.server.security.Scope;
import net.rampart.server.security.Sessions;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-in: an API token pasted once becomes a session cookie (HttpOnly,
 * SameSite=Strict, Secure under HTTPS) with a CSRF token for writes; who am I; sign-out. With the
 * API open ({@code RAMPART_API_AUTH=off}) there is nothing to sign in to, and who-am-I says so.
 */
public final class SessionRoutes implements ApiRoutes {

    private static final String PATH = "/api/v1/session";
    /** Sign-in attempts a source may make at once, then one a second: guessing tokens goes nowhere. */
    private static final int SIGN_IN_BURST = 10;
    private static final int SIGN_IN_PER_SECOND = 1;
    private static final int MAX_SOURCES = 10_000;

    private final ApiGuard guard;
    private final ObjectMapper json;
    private final boolean secureCookie;
    private final Map<String, TokenBucket> attempts = new ConcurrentHashMap<>();

    /**
     * @param guard        the API guard holding tokens and sessions; null when the API is open
     * @param secureCookie whether the service runs HTTPS, so the cookie is sent over HTTPS only
     */
    public SessionRoutes(ApiGuard guard, ObjectMapper json, boolean secureCookie) {
        this.guard = guard;
        this.json = json;
        this.secureCookie = secureCookie;
    }

    @Override
    public void register(RouteTable routes) {
        routes.post(PATH, this::signIn);
        routes.get(PATH, this::whoAmI);
        routes.delete(PATH, this::signOut);
    }

    @Override
    public String openApiFragment() {
        return "openapi/dashboard.json";
    }

    private void signIn(Context ctx) throws SQLException {
        if (guard == null) {
            ctx.json(open());
            return;
        }
        JsonNode body = JsonBody.object(json, ctx, "the body must be a JSON object with the API token: {\"token\": \"...\"}");
        TextLimits.body(body, Map.of("token", TextLimits.NAME), Set.of());
        String token = body.path("token").asText("").strip();
        if (token.isEmpty()) {
            throw InvalidInputException.field("token", "required: the API token to sign in with");
        }
        // Counted where a token is tried, not before: a malformed body guesses nothing, and
        // gets its 400 saying what is wrong rather than a 429.
        long retryAfter = attempts(ctx.ip()).tryAcquire(1);
        if (retryAfter > 0) {
            ctx.header("Retry-After", Long.toString(retryAfter));
            ctx.status(HttpStatus.TOO_MANY_REQUESTS).json(new ApiError("rate_limited",
                    "too many sign-in attempts from " + ctx.ip() + "; retry after " + retryAfter + " s"));
            return;
        }
        Optional<Principal> principal = guard.tokens().authenticate(token);
        if (principal.isEmpty()) {
            ctx.status(HttpStatus.UNAUTHORIZED).json(new ApiError("unauthorized", "the token is unknown or revoked"));
            return;
        }
        // Signing in again (another token, or the same after a leak) ends the session the new
        // cookie replaces, rather than leaving it valid until it expires.
        guard.sessions().remove(ctx.cookie(Sessions.COOKIE));
        Sessions.Session session = guard.sessions().create(principal.get(), token);
        Cookie cookie = new Cookie(Sessions.COOKIE, session.id(), "/", (int) guard.sessions().ttl().toSeconds(),
                secureCookie, 0, true, null, null, SameSite.STRICT);
        ctx.cookie(cookie);
        ctx.status(HttpStatus.CREATED).json(describe(session));
    }

    private void whoAmI(Context ctx) {
        if (guard == null) {
            ctx.json(open());
            return;
        }
        Optional<Sessions.Session> session = ApiGuard.session(ctx);
        if (session.isPresent()) {
            ctx.json(describe(session.get()));
            return;
        }
        // A bearer token asking: who it is, without a session's expiry or CSRF token.
        Principal p = ApiGuard.principal(ctx).orElseThrow();
        ctx.json(body(p.scope(), p.tokenId(), p.name(), null, null));
    }

    private void signOut(Context ctx) {
        ApiGuard.session(ctx).ifPresent(s -> guard.sessions().remove(s.id()));
        ctx.cookie(new Cookie(Sessions.COOKIE, "", "/", 0, secureCookie, 0, true, null, null, SameSite.STRICT));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private TokenBucket attempts(String source) {
        if (attempts.size() >= MAX_SOURCES) {
            attempts.clear();
        }
        return attempts.computeIfAbsent(source, s -> new TokenBucket(SIGN_IN_PER_SECOND, SIGN_IN_BURST));
    }

    private static Map<String, Object> describe(Sessions.Session s) {
        Principal p = s.principal();
        return body(p.scope(), p.tokenId(), p.name(), s.expiresAt(), s.csrfToken());
    }

    private static Map<String, Object> open() {
        Map<String, Object> out = body(Scope.ADMIN, null, null, null, null);
        out.put("authentication", "off");
        return out;
    }

    private static Map<String, Object> body(Scope scope, String tokenId, String tokenName, Instant expiresAt,
                                            String csrfToken) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("authentication", "tokens");
        out.put("scope", scope.label());
        out.put("token_id", tokenId);
        out.put("token_name", tokenName);
        out.put("expires_at", expiresAt);
        out.put("csrf_token", csrfToken);
        out.put("allows", allowed(scope));
        return out;
    }

    /** The scopes a token of {@code scope} acts with: the dashboard shows the actions of each. */
    private static List<String> allowed(Scope scope) {
        return Arrays.stream(Scope.values()).filter(scope::includes).map(Scope::label).toList();
    }
}
