package net.rampart.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
            "GET, /, public",
            "HEAD, /, public",
            "GET, /health, public",
            "GET, /ui/{file}, public",
            "GET, /ui/pages/{file}, public",
            "POST, /api/v1/session, public",
            "GET, /api/v1/session, read",
            "DELETE, /api/v1/session, read",
            "GET, /api/v1/stream, read",
            "GET, /health/ready, public",
            "GET, /openapi.json, public",
            "GET, /json, public",
            "GET, /csv, public",
            "GET, /api/v1/validity/{asn}/{address}/{length}, public",
            "GET, /api/v1/validity, public",
            "GET, /metrics, public",
            "HEAD, /health, public",
            "OPTIONS, /health, public",
            "HEAD, /api/v1/validity/{asn}/{address}/{length}, public",
            "GET, /api/v1/routes, read",
            "GET, /api/v1/routes/<prefix>/history, read",
            "GET, /api/v1/peer-events, read",
            "GET, /api/v1/peer-statistics, read",
            "HEAD, /api/v1/routes, read",
            "OPTIONS, /api/v1/safelist, read",
            "POST, /api/v1/validate, read",
            "POST, /api/v1/validate/aspa, read",
            "POST, /api/v1/events, operator",
            "GET, /api/v1/events, read",
            "GET, /api/v1/audit, read",
            "POST, /api/v1/mitigations/{id}/withdraw, operator",
            "GET, /api/v1/alerts/{id}, read",
            "GET, /api/v1/monitors, read",
            "POST, /api/v1/alerts/{id}/acknowledge, operator",
            "POST, /api/v1/alerts/{id}/resolve, operator",
            "POST, /api/v1/alerts/{id}/ignore, operator",
            "DELETE, /api/v1/safelist, operator",
            "POST, /api/v1/rpki/refresh, operator",
            "POST, /api/v1/reload, admin",
            "GET, /api/v1/tokens, admin",
            "POST, /api/v1/tokens, admin",
            "DELETE, /api/v1/tokens/{id}, admin",
            "POST, /api/v1/backups, admin",
            "GET, /api/v1/backups, admin",
            "GET, /api/v1/backups/{name}, admin"})
    void eachRouteNeedsItsScope(String method, String route, String scope) {
        assertThat(new AccessRules(true).required(method, route).map(Scope::label).orElse("public")).isEqualTo(scope);
    }

    @ParameterizedTest
    @CsvSource({"true, public", "false, read"})
    void metricsArePublicUnlessConfigured(boolean metricsPublic, String scope) {
        assertThat(new AccessRules(metricsPublic).required("GET", "/metrics").map(Scope::label).orElse("public"))
                .isEqualTo(scope);
    }

    @ParameterizedTest
    @CsvSource({"read, read, true", "read, operator, false", "operator, read, true", "admin, operator, true",
            "operator, admin, false"})
    void scopesIncludeTheOnesBelow(String held, String required, boolean allowed) {
        assertThat(Scope.parse(held).includes(Scope.parse(required))).isEqualTo(allowed);
    }
}
