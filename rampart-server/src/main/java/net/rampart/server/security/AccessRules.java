package net.rampart.server.security;

import java.util.Optional;
import java.util.Set;

/**
 * The scope each route needs, by method and route template. Reading needs {@code read};
 * changing state needs {@code operator}; tokens, configuration reloads and backups need {@code admin}.
 * A few routes are public: the dashboard's page and files, signing in to it, health checks for load balancers, the OpenAPI
 * document, the Routinator-compatible VRP exports and validity answers (public RPKI data that
 * existing Routinator clients fetch without credentials) and, unless configured otherwise,
 * {@code /metrics}.
 */
public final class AccessRules {

    private static final Set<String> PUBLIC = Set.of("/", "/ui/{file}", "/ui/pages/{file}", "/health", "/health/ready", "/openapi.json", "/json", "/csv",
            "/api/v1/validity", "/api/v1/validity/{asn}/{address}/{length}");
    /** POST routes that compute an answer and change nothing. */
    private static final Set<String> READ_ONLY_POSTS = Set.of("/api/v1/validate", "/api/v1/validate/aspa",
            "/api/v1/features/serve", "/api/v1/ml/predict");
    /** Signing in is public (the token is in the body); who-am-I and signing out need any token or session. */
    private static final String SIGN_IN = "/api/v1/session";
    private static final Set<String> ADMIN_ROUTES = Set.of("/api/v1/reload");
    /** Backups hold every table, the tokens' hashes and the audit log among them: admin only, reading them too. */
    private static final String BACKUPS = "/api/v1/backups";

    private final boolean metricsPublic;

    public AccessRules(boolean metricsPublic) {
        this.metricsPublic = metricsPublic;
    }

    /** The scope a request to {@code route} (the template, not the raw path) needs; empty when it is public. */
    public Optional<Scope> required(String method, String route) {
        if (PUBLIC.contains(route) || metricsPublic && route.equals("/metrics")
                || method.equals("POST") && route.equals(SIGN_IN)) {
            return Optional.empty();
        }
        if (route.equals(SIGN_IN)) {
            return Optional.of(Scope.READ); // any token may ask who it is and sign out
        }
        if (route.equals("/api/v1/tokens") || route.startsWith("/api/v1/tokens/") || ADMIN_ROUTES.contains(route)
                || route.equals(BACKUPS) || route.startsWith(BACKUPS + "/")) {
            return Optional.of(Scope.ADMIN);
        }
        boolean reads = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                || method.equals("POST") && READ_ONLY_POSTS.contains(route);
        return Optional.of(reads ? Scope.READ : Scope.OPERATOR);
    }
}
