package net.rampart.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Areas served by the real {@link HttpApi} on a loopback port, open (no API guard) and over plain
 * HTTP, with a client to call them: what the route tests start in place of a service. No database,
 * collector or service process runs.
 */
public final class LoopbackApi implements AutoCloseable {

    private final HttpApi api;
    private final HttpClient client = HttpClient.newHttpClient();

    private LoopbackApi(HttpApi api) {
        this.api = api;
    }

    /** Serves {@code areas} on a free loopback port. */
    public static LoopbackApi serve(ObjectMapper json, MeterRegistry metrics, ApiRoutes... areas) throws IOException {
        HttpApi api = new HttpApi(json, metrics, List.of(areas), "test", null, Optional.empty());
        api.start(InetAddress.getLoopbackAddress(), 0);
        return new LoopbackApi(api);
    }

    /** A request to {@code target}, which is sent as written: its percent-escapes are the caller's own. */
    public HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + target));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code target}, with {@code headers} as name, value, name, value... */
    public HttpResponse<String> get(String target, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(target);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** POST {@code body} to {@code target} as {@code application/json}. */
    public HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        return send(request(target).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The routes served, as the OpenAPI document must list them. */
    public List<RouteTable.Route> routes() {
        return api.routes();
    }

    @Override
    public void close() {
        api.stop(Duration.ofSeconds(1));
        client.close();
    }
}
