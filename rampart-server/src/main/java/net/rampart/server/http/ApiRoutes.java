package net.rampart.server.http;

/**
 * The HTTP endpoints of one area of the service. Each area registers its routes on the
 * {@link RouteTable} and describes them in an OpenAPI fragment on the classpath, which
 * {@link OpenApiDocument} merges into {@code /openapi.json}.
 */
public interface ApiRoutes {

    void register(RouteTable routes);

    /** Classpath resource holding this area's OpenAPI {@code paths} (and optional {@code components}). */
    String openApiFragment();

    /**
     * Told when the server stops accepting connections, before it waits for requests in flight:
     * an area with long-lived answers (an event stream) ends them now, so the stop does not wait.
     */
    default void stopping() {
    }
}
