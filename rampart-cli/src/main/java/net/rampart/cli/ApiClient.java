package net.rampart.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** A POST with no body and without an answer timeout, for work that takes as long as it takes (a backup). */
    Answer postAndWait(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), true);
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
        authorize(request);
        HttpResponse<String> r;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
            r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(Exit.UNREACHABLE, "cannot reach the service at " + base + ": " + why(e));
        }
        return answer(r.statusCode(), r.body(), reportErrors);
    }

    private void authorize(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
    }

    private Answer answer(int status, String text, boolean reportErrors) {
        JsonNode body;
        try {
            body = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            // Typically --url names some other web server, or a proxy in front of the service answered.
            throw new Failure(Exit.UNREACHABLE, base + " answered " + status
                    + " with something other than JSON: is it a Rampart service?");
        }
        Answer answer = new Answer(status, body);
        if (reportErrors && !answer.ok()) {
            String detail = text.isBlank() ? "the service gave no detail" : text.strip();
            String line = "rampart: " + body.path("error").asText("http_" + status) + ": "
                    + body.path("detail").asText(detail);
            err.println(answer.status() == 401 && token == null ? line + " (" + noToken + ")" : line);
        }
        return answer;
    }

    /**
     * Streams a GET's body into {@code file}, which appears whole or not at all; without an answer
     * timeout, as a large file takes as long as it takes. An error answer is reported as any other.
     */
    Answer download(String path, Path file) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        authorize(request);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
            HttpResponse<InputStream> r;
            try {
                r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new Failure(Exit.UNREACHABLE, "cannot reach the service at " + base + ": " + why(e));
            }
            try (InputStream body = r.body()) {
                if (r.statusCode() / 100 != 2) {
                    return answer(r.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8), true);
                }
                // Created owner-only: what is downloaded here (a backup) may hold secrets.
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(partial)) {
                    body.transferTo(out);
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
                return new Answer(r.statusCode(), JSON.createObjectNode());
            } catch (IOException e) {
                throw new Failure(Exit.SERVICE_ERROR, "the download to " + file + " failed: " + why(e));
            } finally {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    err.println("rampart: " + partial + " could not be deleted: " + e.getMessage());
                }
            }
        }
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
