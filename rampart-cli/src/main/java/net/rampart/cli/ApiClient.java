package net.rampart.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The service's HTTP API as the commands use it: JSON in and out, with the bearer token when
 * there is one. An error answer becomes one line on stderr ({@code rampart: <error>: <detail>})
 * and an exit code ({@link #exitCode}); a service that cannot be reached is a {@link Failure}.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** The largest page the API answers (docs/api.md): the fewest requests for a whole list. */
    private static final int PAGE = 1000;

    private final URI base;
    private final String token;
    private final String noToken;
    private final PrintStream err;

    /**
     * @param token the bearer token, or null to send none
     * @param noToken why there is no token, added to the line for a 401 answer when token is null
     */
    ApiClient(URI base, String token, String noToken, PrintStream err) {
        this.base = base;
        this.token = token;
        this.noToken = noToken;
        this.err = err;
    }

    Answer get(String path) throws InterruptedException {
        return send(request(path).GET(), true);
    }

    /**
     * Every item of a list, page by page: the API answers at most {@link #PAGE} items at a time
     * with a {@code next_cursor} for the rest. The answer holds them all under {@code items}, or
     * is the first error answer.
     */
    Answer all(String path) throws InterruptedException {
        ArrayNode items = JSON.createArrayNode();
        String first = path + (path.contains("?") ? "&" : "?") + "limit=" + PAGE;
        Answer page = get(first);
        while (page.ok()) {
            page.body().path("items").forEach(items::add);
            String next = page.body().path("next_cursor").textValue();
            if (next == null) {
                ObjectNode body = JSON.createObjectNode();
                body.set("items", items);
                return new Answer(page.status(), body);
            }
            page = get(first + "&cursor=" + query(next));
        }
        return page;
    }

    /** A GET whose error answers are the caller's to show: {@code /health/ready} answers 503 with its checks. */
    Answer probe(String path) throws InterruptedException {
        return send(request(path).GET(), false);
    }

    Answer post(String path, Object body) throws InterruptedException {
        String json;
        try {
            json = body == null ? "" : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), true);
    }

    Answer delete(String path) throws InterruptedException {
        return send(request(path).DELETE(), true);
    }

    /** Streams a file; without an answer timeout, as sending a large one takes as long as it takes. */
    Answer upload(String path, HttpRequest.BodyPublisher file) throws InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/octet-stream")
                .POST(file), true);
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

    /** What to exit with after an answer, by the table in {@link Exit}. */
    static int exitCode(Answer a) {
        if (a.ok()) {
            return Exit.OK;
        }
        return a.status() == 401 || a.status() == 403 ? Exit.AUTHENTICATION : Exit.SERVICE_ERROR;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(ANSWER_TIMEOUT);
    }

    private Answer send(HttpRequest.Builder request, boolean reportErrors) throws InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
            r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(Exit.UNREACHABLE, "cannot reach the service at " + base + ": " + why(e));
        }
        JsonNode body;
        try {
            body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (JsonProcessingException notJson) {
            // Typically --url names some other web server, or a proxy in front of the service answered.
            throw new Failure(Exit.UNREACHABLE, base + " answered " + r.statusCode()
                    + " with something other than JSON: is it a Rampart service?");
        }
        Answer answer = new Answer(r.statusCode(), body);
        if (reportErrors && !answer.ok()) {
            String detail = r.body().isBlank() ? "the service gave no detail" : r.body().strip();
            String line = "rampart: " + body.path("error").asText("http_" + r.statusCode()) + ": "
                    + body.path("detail").asText(detail);
            err.println(answer.status() == 401 && token == null ? line + " (" + noToken + ")" : line);
        }
        return answer;
    }

    /**
     * The HTTP client's exceptions often carry no message of their own (an unknown host used to
     * print as "(null)"), or one that repeats the exception classes of its causes; the innermost
     * message is the plain one, e.g. "Connection refused".
     */
    private String why(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        }
        String innermost = "the connection failed";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + base.getHost();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t.getMessage().strip();
            }
        }
        return innermost;
    }
}
