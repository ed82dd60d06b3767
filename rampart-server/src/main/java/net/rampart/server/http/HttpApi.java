package net.rampart.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import net.rampart.server.security.ApiGuard;
import net.rampart.server.security.TlsMaterial;
import net.rampart.store.DatabaseErrors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The HTTP server: every area's routes behind the API guard, security headers, JSON errors,
 * per-route request metrics, HTTPS (with client certificates) when configured, and a stop that
 * first refuses new connections and lets in-flight requests finish.
 */
public final class HttpApi {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final String TIMER_START = "rampart.timer.start";
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Javalin app;
    private final List<ApiRoutes> areas;
    private final RouteTable routeTable;
    private final ObjectNode openApi;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Optional<TlsMaterial> tls;
    private volatile InetAddress bindAddress;
    private volatile int bindPort;

    /**
     * @param guard checks each matched request's token, scope and rate; null when the API is open
     * @param tls   HTTPS material; empty for plain HTTP
     */
    public HttpApi(ObjectMapper json, MeterRegistry metrics, List<ApiRoutes> areas, String version, ApiGuard guard,
                   Optional<TlsMaterial> tls) {
        this.tls = tls;
        this.areas = List.copyOf(areas);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            tls.ifPresent(material -> config.jetty.addConnector((server, http) -> httpsConnector(server, http, material)));
            // Jetty answers some requests before any route sees them (414, 431, a malformed request line).
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(json)));
            config.jetty.modifyServletContextHandler(context ->
                    context.addFilter(new FilterHolder(this::countInFlight), "/*", EnumSet.of(DispatcherType.REQUEST)));
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.router.ignoreTrailingSlashes = true;
        });
        this.routeTable = new RouteTable(app);
        this.openApi = OpenApiDocument.build(json, areas.stream().map(ApiRoutes::openApiFragment).toList(), version);
        if (guard != null) {
            OpenApiDocument.applySecurity(openApi, guard.rules());
        }
        routeTable.get("/openapi.json", ctx -> ctx.json(openApi));
        instrument(metrics);
        addSecurityHeaders();
        if (guard != null) {
            app.beforeMatched(guard::check);
        }
        // After the guard: a caller without a valid token learns nothing about its parameters.
        app.beforeMatched(QueryParameters::checkAll);
        app.beforeMatched(HttpApi::requireJsonBody);
        handleErrors();
        areas.forEach(area -> area.register(routeTable));
    }

    /** The one route whose body is not JSON: an MRT file, sent as bytes. */
    private static final String MRT_IMPORT = "/api/v1/mrt/imports";

    /**
     * A request body is JSON: one sent as another media type (a form, plain text) is refused with
     * 415 before any route reads it, so that it is never half understood. A body without a
     * Content-Type is read as JSON, as most clients of a JSON API send it.
     */
    private static void requireJsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type == null || ctx.path().equals(MRT_IMPORT) || ctx.method() == HandlerType.GET
                || ctx.method() == HandlerType.HEAD || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        String mediaType = TextLimits.parameter("Content-Type", type.split(";", 2)[0].strip(), TextLimits.PARAMETER)
                .toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
                    "the body must be application/json, not " + mediaType
                            + " (curl: -H 'content-type: application/json', or --json)");
        }
    }

    private ServerConnector httpsConnector(Server server, HttpConfiguration http, TlsMaterial material) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        try {
            ssl.setKeyStore(material.keyStore());
            ssl.setKeyStorePassword(TlsMaterial.KEY_STORE_PASSWORD);
            if (material.requiresClientCertificates()) {
                ssl.setTrustStore(material.trustStore());
                ssl.setNeedClientAuth(true);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("TLS material could not be loaded: " + e.getMessage(), e);
        }
        HttpConfiguration https = new HttpConfiguration(http);
        // No SNI host check: clients reach the service by address as often as by name.
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server, ssl, new HttpConnectionFactory(https));
        connector.setHost(bindAddress.getHostAddress());
        connector.setPort(bindPort);
        return connector;
    }

    /**
     * Headers that keep browsers from sniffing, framing or caching answers. The dashboard's files
     * replace the Content-Security-Policy with one that lets the page load its own scripts and
     * styles, and Cache-Control with revalidation (see DashboardFiles).
     */
    private void addSecurityHeaders() {
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Cache-Control", "no-store");
            ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            if (tls.isPresent()) {
                ctx.header("Strict-Transport-Security", "max-age=31536000");
            }
        });
    }

    /**
     * Counts a request in flight from the moment it reaches Javalin until Javalin has written its
     * answer, however its handlers ended. Not in Javalin's before and after handlers: a before
     * handler that refuses a request (the API guard's 401, 403, 429) skips the remaining handlers,
     * after handlers included, so the request would never count as finished and every stop would
     * wait the whole drain for it. The routes answer synchronously, so the servlet returning means
     * the answer is written.
     */
    private void countInFlight(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        inFlight.incrementAndGet();
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void instrument(MeterRegistry metrics) {
        app.before(ctx -> ctx.attribute(TIMER_START, System.nanoTime()));
        app.after(ctx -> {
            Long start = ctx.attribute(TIMER_START);
            if (start == null) {
                return;
            }
            Timer.builder("rampart.http.requests")
                    .description("HTTP requests served, by route template and status")
                    .tag("method", ctx.method().name())
                    .tag("route", routeOf(ctx))
                    .tag("status", Integer.toString(ctx.statusCode()))
                    .register(metrics)
                    .record(Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /** The route template, never the raw path: raw paths would give every prefix its own time series. */
    private static String routeOf(Context ctx) {
        String template = ctx.endpointHandlerPath();
        return template.startsWith("/") ? template : "unmatched";
    }

    private void handleErrors() {
        app.error(HttpStatus.NOT_FOUND, ctx -> {
            String contentType = ctx.res().getContentType();
            if (contentType == null || !contentType.startsWith("application/json")) {
                ctx.json(new ApiError("not_found", "no resource at " + ctx.method() + " " + ctx.path()));
            }
        });
        app.error(HttpStatus.METHOD_NOT_ALLOWED, ctx ->
                ctx.json(new ApiError("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path())));
        // Every route's bad parameter, field or body is answered here, so all of them answer alike.
        app.exception(InvalidInputException.class, (e, ctx) ->
                ctx.status(HttpStatus.BAD_REQUEST).json(e.toApiError()));
        app.exception(HttpResponseException.class, (e, ctx) ->
                ctx.status(e.getStatus()).json(ApiError.forStatus(e.getStatus(), e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            if (DatabaseErrors.unavailable(e)) {
                // The database away is not a bug: the client is told to come back, as detectors are.
                DatabaseUnavailable.answer(ctx, e, "the database cannot be reached");
                return;
            }
            log.atError().addKeyValue("event", "http_request_failed")
                    .addKeyValue("method", ctx.method().name())
                    .addKeyValue("path", ctx.path())
                    .setCause(e)
                    .log("HTTP request failed");
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .json(new ApiError("internal_error", "the request failed inside the service; see its log"));
        });
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the port cannot be bound (in use, or not permitted)
     */
    public void start(InetAddress bindAddress, int port) throws IOException {
        this.bindAddress = bindAddress;
        this.bindPort = port;
        try {
            app.start(bindAddress.getHostAddress(), port);
        } catch (JavalinBindException e) {
            throw new IOException("cannot listen on " + bindAddress.getHostAddress() + ":" + port
                    + " (in use or not permitted)", e);
        } catch (RuntimeException e) {
            // With HTTPS, Jetty reports a port in use or a key that does not fit its certificate this way.
            throw new IOException("cannot serve on " + bindAddress.getHostAddress() + ":" + port + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return app.port();
    }

    public boolean isServing() {
        return app.jettyServer().started() && app.jettyServer().server().isStarted();
    }

    /** Stops accepting connections, waits up to {@code drain} for in-flight requests, then stops. */
    public void stop(Duration drain) {
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                network.close();
            }
        }
        areas.forEach(ApiRoutes::stopping);
        long deadline = System.nanoTime() + drain.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        int abandoned = inFlight.get();
        app.stop();
        log.atInfo().addKeyValue("event", "http_stopped").addKeyValue("abandoned_requests", abandoned)
                .log("HTTP server stopped");
    }

    public List<RouteTable.Route> routes() {
        return routeTable.routes();
    }

    public ObjectNode openApi() {
        return openApi;
    }
}
