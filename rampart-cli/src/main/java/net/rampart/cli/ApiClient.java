package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The service's HTTP API as the commands use it: JSON in and out, with the bearer token when
 * there is one; an error answer becomes one line on stderr ({@code rampart: <error>: <detail>})
 * and an exit code.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Exit codes: the request was refused (4xx), the service failed (5xx), or could not be reached. */
    static final int REFUSED = 1;
    static final int FAILED = 2;
    static final int UNREACHABLE = 3;

    private final URI base;
    private final String token;
    private final PrintStream err;

    /** @param token the bearer token, or null to send none */
    ApiClient(URI base, String token, PrintStream err) {
        this.base = base;
        this.token = token;
        this.err = err;
    }

    /** The answer, or null after printing why there is none; {@link #exitCode} says what to exit with. */
    Answer get(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(String path, Object body) throws InterruptedException {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Answer delete(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A response: its status and JSON body (empty object for none). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private Answer send(HttpRequest.Builder request) throws InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            Answer answer = new Answer(r.statusCode(), body);
            if (!answer.ok()) {
                err.println("rampart: " + body.path("error").asText("http_" + r.statusCode()) + ": "
                        + body.path("detail").asText(r.body()));
            }
            return answer;
        } catch (IOException e) {
            err.println("rampart: cannot reach " + base + " (" + e.getMessage() + ")");
            return null;
        }
    }

    static int exitCode(Answer a) {
        if (a == null) {
            return UNREACHABLE;
        }
        if (a.ok()) {
            return 0;
        }
        return a.status() >= 500 ? FAILED : REFUSED;
    }
}
