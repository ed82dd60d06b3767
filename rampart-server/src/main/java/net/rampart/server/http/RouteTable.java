package net.rampart.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers endpoints on the HTTP server and remembers them, so that the OpenAPI document can be
 * checked against what is really served. Every GET is answered for HEAD as well, and every path
 * for OPTIONS; neither is remembered as a route, as neither is an operation of its own in the
 * OpenAPI document.
 */
public final class RouteTable {

    /**
     * One served endpoint, with its path in OpenAPI form ({@code /api/v1/routes/{prefix}/history});
     * a Javalin {@code <param>}, which may span slashes as a CIDR does, is written {@code {param}}.
     */
    public record Route(HandlerType method, String path) {
        static Route of(HandlerType method, String javalinPath) {
            return new Route(method, javalinPath.replace('<', '{').replace('>', '}'));
        }
    }

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();
    private final Set<String> pathsWithOptions = new HashSet<>();

    RouteTable(Javalin app) {
        this.app = app;
    }

    public RouteTable get(String path, Handler handler) {
        // Without a HEAD route, Javalin answers HEAD with an empty 200 without running the GET handler
        // (so without its status and headers), and the API guard sees the before-handler's "*" instead
        // of the route template, so it refuses even public routes. The GET handler runs instead; Jetty
        // sends no body for HEAD.
        app.addHttpHandler(HandlerType.HEAD, path, handler);
        return add(HandlerType.GET, path, handler);
    }

    public RouteTable post(String path, Handler handler) {
        return add(HandlerType.POST, path, handler);
    }

    public RouteTable put(String path, Handler handler) {
        return add(HandlerType.PUT, path, handler);
    }

    public RouteTable delete(String path, Handler handler) {
        return add(HandlerType.DELETE, path, handler);
    }

    private RouteTable add(HandlerType method, String path, Handler handler) {
        app.addHttpHandler(method, path, handler);
        Route route = Route.of(method, path);
        routes.add(route);
        if (pathsWithOptions.add(path)) {
            // The methods are read when asked, so those registered on the path after this one are listed too.
            app.addHttpHandler(HandlerType.OPTIONS, path,
                    ctx -> ctx.header(Header.ALLOW, allowed(route.path())).status(HttpStatus.NO_CONTENT));
        }
        return this;
    }

    /** The methods served on a path, for the {@code Allow} header: its routes', HEAD wherever GET is, and OPTIONS. */
    private String allowed(String path) {
        Set<String> methods = new TreeSet<>(Set.of(HandlerType.OPTIONS.name()));
        for (Route route : routes) {
            if (route.path().equals(path)) {
                methods.add(route.method().name());
                if (route.method() == HandlerType.GET) {
                    methods.add(HandlerType.HEAD.name());
                }
            }
        }
        return String.join(", ", methods);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
