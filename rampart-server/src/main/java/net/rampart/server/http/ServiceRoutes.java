package net.rampart.server.http;

import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The start page, liveness, readiness and Prometheus metrics. */
public final class ServiceRoutes implements ApiRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String START_PAGE = "pages/start.html";

    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;
    private final String startPage;

    public ServiceRoutes(Readiness readiness, PrometheusMeterRegistry metrics) {
        this.readiness = readiness;
        this.metrics = metrics;
        this.startPage = readStartPage();
    }

    /** Read once at start; a build without the page fails the start rather than every visit. */
    private static String readStartPage() {
        try (InputStream in = ServiceRoutes.class.getClassLoader().getResourceAsStream(START_PAGE)) {
            if (in == null) {
                throw new IllegalStateException(START_PAGE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(START_PAGE + " cannot be read", e);
        }
    }

    @Override
    public void register(RouteTable routes) {
        // A route of its own rather than a static file: the API guard sees a static file's path as
        // "*", which no public rule matches, so the page would need a token.
        routes.get("/", ctx -> ctx.contentType(HTML).result(startPage));
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
