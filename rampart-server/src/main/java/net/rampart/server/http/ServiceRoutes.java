package net.rampart.server.http;

import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness, readiness and Prometheus metrics. */
public final class ServiceRoutes implements ApiRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;

    public ServiceRoutes(Readiness readiness, PrometheusMeterRegistry metrics) {
        this.readiness = readiness;
        this.metrics = metrics;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/health", ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/health/ready", ctx -> {
            Map<String, Boolean> checks = readiness.evaluate();
            boolean ready = !checks.isEmpty() && checks.values().stream().allMatch(Boolean::booleanValue);
            Map<String, String> shown = new LinkedHashMap<>();
            checks.forEach((name, up) -> shown.put(name, up ? "up" : "down"));
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", ready ? "ready" : "not_ready", "checks", shown));
        });
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
    }

    @Override
    public String openApiFragment() {
        return "openapi/service.json";
    }
}
