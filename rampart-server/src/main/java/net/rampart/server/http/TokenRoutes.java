package net.rampart.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import net.rampart.server.security.ApiGuard;
import net.rampart.server.security.ApiTokenSecret;
import net.rampart.server.security.ApiTokens;
import net.rampart.server.security.Principal;
import net.rampart.server.security.Scope;
import net.rampart.store.auth.PostgresApiTokens.StoredToken;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** API tokens: create (the secret is answered once), list (never a secret), revoke. Admin scope only. */
public final class TokenRoutes implements ApiRoutes {

    private final ApiTokens tokens;
    private final ObjectMapper json;

    public TokenRoutes(ApiTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/tokens", this::list);
        routes.post("/api/v1/tokens", this::create);
        routes.delete("/api/v1/tokens/{id}", this::revoke);
    }

    @Override
    public String openApiFragment() {
        return "openapi/tokens.json";
    }

    private void list(Context ctx) throws SQLException {
        ctx.json(Page.of(ctx, tokens.list().stream().map(TokenRoutes::token).toList()));
    }

    private void create(Context ctx) throws SQLException {
        JsonNode body = JsonBody.object(json, ctx, "the body must be a JSON object with name and scope");
        TextLimits.body(body, Map.of("name", TextLimits.NAME), Set.of());
        String name = body.path("name").asText("").strip();
        if (name.isEmpty()) {
            throw InvalidInputException.field("name", "required");
        }
        Scope scope;
        try {
            scope = Scope.parse(body.path("scope").asText(""));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.field("scope", e.getMessage());
        }
        ApiTokenSecret secret = tokens.create(name, scope, actor(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", secret.id());
        out.put("name", name);
        out.put("scope", scope.label());
        out.put("token", secret.secret());
        ctx.status(HttpStatus.CREATED).json(out);
    }

    private void revoke(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (!tokens.revoke(id, actor(ctx))) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("not_found", "no active token with id " + id));
            return;
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static String actor(Context ctx) {
        return ApiGuard.principal(ctx).map(Principal::actor).orElse("anonymous");
    }

    /** Times go in as Instants, for the API mapper to write in the one API form (ApiTime). */
    private static Map<String, Object> token(StoredToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("scope", t.scope());
        out.put("active", t.active());
        out.put("created_at", t.createdAt());
        out.put("created_by", t.createdBy());
        out.put("last_used_at", t.lastUsedAt());
        out.put("revoked_at", t.revokedAt());
        out.put("revoked_by", t.revokedBy());
        return out;
    }
}
