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
            Readiness.Report report = readiness.evaluate();
            Map<String, String> shown = new LinkedHashMap<>();
            report.checks().forEach((name, state) -> shown.put(name, state.label()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.ready() ? "ready" : "not_ready");
            body.put("checks", shown);
            body.put("degraded", report.degraded());
            ctx.status(report.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
        });
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
    }

    @Override
    public String openApiFragment() {
        return "openapi/service.json";
    }
}
