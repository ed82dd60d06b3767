package net.rampart.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;

/**
 * Registers endpoints on the HTTP server and remembers them, so that the OpenAPI document can be
 * checked against what is really served.
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

    RouteTable(Javalin app) {
        this.app = app;
    }

    public RouteTable get(String path, Handler handler) {
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
        routes.add(Route.of(method, path));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
