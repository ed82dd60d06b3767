package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard on the real service: its files, signing in with a token, reading with the
 * session cookie, CSRF on writes, a revoked token's session, signing out, and the live event
 * stream read over a plain socket, which the service's stop does not wait for.
 */
class DashboardIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void signInReadWriteWithCsrfRevokeSignOutAndStream() throws Exception {
        int httpPort = ServiceProcess.freePort();
        Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24]
                """);
        Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 10m}
                """);
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString(), "RAMPART_SESSION_TTL", "2h",
                "RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString(),
                "RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString());
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            String admin = service.adminToken();

            // The files: the page and its module, typed, under the self-only policy, revalidated by ETag.
            HttpResponse<String> app = send(httpPort, "GET", "/ui/app.js", Map.of(), null);
            assertThat(app.statusCode()).isEqualTo(200);
            assertThat(app.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(app.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"));
            assertThat(app.body()).contains("PAGE MODULE CONTRACT");
            String etag = app.headers().firstValue("ETag").orElseThrow();
            assertThat(send(httpPort, "GET", "/ui/app.js", Map.of("If-None-Match", etag), null).statusCode()).isEqualTo(304);
            assertThat(send(httpPort, "GET", "/ui/pages/overview.js", Map.of(), null).statusCode()).isEqualTo(200);
            assertThat(send(httpPort, "GET", "/ui/pages/parts.js", Map.of(), null).statusCode()).isEqualTo(200);
            assertThat(send(httpPort, "GET", "/ui/style.css", Map.of(), null).headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
            HttpResponse<String> missing = send(httpPort, "GET", "/ui/nothing.js", Map.of(), null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json.readTree(missing.body()).path("error").asText()).isEqualTo("not_found");
            assertThat(send(httpPort, "GET", "/ui/..%2Fapp.js", Map.of(), null).statusCode()).isEqualTo(404);

            // A wrong token is refused with the API's error body, and sets no cookie.
            HttpResponse<String> wrong = signIn(httpPort, "rmp_" + "A".repeat(43));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(json.readTree(wrong.body()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

            // Signing in: the cookie is HttpOnly, SameSite=Strict, for the whole site, lasting the TTL.
            HttpResponse<String> signedIn = signIn(httpPort, admin);
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(201);
            String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("rampart_session=").contains("HttpOnly", "SameSite=Strict", "Path=/",
                    "Max-Age=7200").doesNotContain("Secure");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            JsonNode session = json.readTree(signedIn.body());
            assertThat(session.path("scope").asText()).isEqualTo("admin");
            assertThat(session.path("token_name").asText()).isEqualTo("bootstrap-admin");
            assertThat(session.path("allows")).extracting(JsonNode::asText).containsExactly("read", "operator", "admin");
            String csrf = session.path("csrf_token").asText();
            assertThat(csrf).isNotEmpty();

            // Reading with the cookie alone; who am I.
            assertThat(send(httpPort, "GET", "/api/v1/routers", Map.of("Cookie", cookie), null).statusCode()).isEqualTo(200);
            JsonNode me = json.readTree(send(httpPort, "GET", "/api/v1/session", Map.of("Cookie", cookie), null).body());
            assertThat(me.path("csrf_token").asText()).isEqualTo(csrf);
            assertThat(me.path("expires_at").asText()).endsWith("Z");

            // The live stream, over a plain socket with the cookie: the overview comes at once.
            try (Socket stream = new Socket(InetAddress.getLoopbackAddress(), httpPort)) {
                stream.setSoTimeout((int) EVENT_TIMEOUT.toMillis());
                OutputStream out = stream.getOutputStream();
                out.write(("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: "
                        + cookie + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                var in = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                JsonNode overview = json.readTree(awaitEvent(in, "overview"));
                assertThat(overview.has("routes")).as(overview.toString()).isTrue();
                assertThat(overview.path("mitigations_active").asInt()).isZero();
                // The update rate: a minute each for the last hour, by family (none came in this test).
                assertThat(overview.path("update_rate").path("per_minute").path("ipv4")).hasSize(60)
                        .allSatisfy(count -> assertThat(count.asLong()).isZero());
                assertThat(java.time.Instant.parse(overview.path("update_rate").path("start").asText()).toEpochMilli() % 60_000)
                        .as("a minute's start").isZero();

                // A write with the cookie but without the CSRF header is refused; with it, it is done.
                String event = """
                        {"event_id":"dash-1","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                         "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}""";
                HttpResponse<String> forged = send(httpPort, "POST", "/api/v1/events", Map.of("Cookie", cookie), event);
                assertThat(forged.statusCode()).isEqualTo(403);
                assertThat(json.readTree(forged.body()).path("error").asText()).isEqualTo("csrf");
                HttpResponse<String> badToken = send(httpPort, "POST", "/api/v1/events",
                        Map.of("Cookie", cookie, "X-CSRF-Token", csrf + "x"), event);
                assertThat(badToken.statusCode()).isEqualTo(403);
                HttpResponse<String> posted = send(httpPort, "POST", "/api/v1/events",
                        Map.of("Cookie", cookie, "X-CSRF-Token", csrf), event);
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
                String mitigationId = json.readTree(posted.body()).path("mitigation_id").asText();

                // The new mitigation arrives on the stream, attributed in the audit to the session's token.
                JsonNode change = json.readTree(awaitEvent(in, "mitigation"));
                assertThat(change.path("change").asText()).isEqualTo("created");
                assertThat(change.path("mitigation").path("id").asText()).isEqualTo(mitigationId);
                JsonNode shown = json.readTree(send(httpPort, "GET", "/api/v1/mitigations/" + mitigationId,
                        Map.of("Cookie", cookie), null).body());
                assertThat(shown.path("audit")).extracting(a -> a.path("actor").asText())
                        .anySatisfy(actor -> assertThat(actor).contains("via token:bootstrap-admin("));

                // A bearer token needs no CSRF header.
                HttpResponse<String> created = send(httpPort, "POST", "/api/v1/tokens",
                        Map.of("Authorization", "Bearer " + admin), "{\"name\":\"wall\",\"scope\":\"read\"}");
                assertThat(created.statusCode()).isEqualTo(201);
                JsonNode reader = json.readTree(created.body());

                // A read token's session reads, may not write, and ends when the token is revoked.
                HttpResponse<String> readerSignIn = signIn(httpPort, reader.path("token").asText());
                String readerCookie = cookieOf(readerSignIn);
                String readerCsrf = json.readTree(readerSignIn.body()).path("csrf_token").asText();
                assertThat(json.readTree(readerSignIn.body()).path("allows")).extracting(JsonNode::asText)
                        .containsExactly("read");
                HttpResponse<String> readerWrite = send(httpPort, "POST", "/api/v1/events",
                        Map.of("Cookie", readerCookie, "X-CSRF-Token", readerCsrf), event);
                assertThat(readerWrite.statusCode()).isEqualTo(403);
                assertThat(json.readTree(readerWrite.body()).path("error").asText()).isEqualTo("insufficient_scope");
                assertThat(send(httpPort, "GET", "/api/v1/alerts", Map.of("Cookie", readerCookie), null).statusCode())
                        .isEqualTo(200);
                // Signing in again from the same browser ends the session its cookie replaces.
                HttpResponse<String> replaced = signIn(httpPort, reader.path("token").asText());
                HttpResponse<String> replacing = send(httpPort, "POST", "/api/v1/session", Map.of("Cookie", cookieOf(replaced)),
                        json.writeValueAsString(Map.of("token", reader.path("token").asText())));
                assertThat(replacing.statusCode()).isEqualTo(201);
                assertThat(send(httpPort, "GET", "/api/v1/session", Map.of("Cookie", cookieOf(replaced)), null).statusCode())
                        .isEqualTo(401);
                assertThat(send(httpPort, "GET", "/api/v1/session", Map.of("Cookie", cookieOf(replacing)), null).statusCode())
                        .isEqualTo(200);
                // A read token may sign out; its other sessions live on until the token is revoked.
                HttpResponse<String> other = signIn(httpPort, reader.path("token").asText());
                assertThat(send(httpPort, "DELETE", "/api/v1/session", Map.of("Cookie", cookieOf(other),
                        "X-CSRF-Token", json.readTree(other.body()).path("csrf_token").asText()), null).statusCode())
                        .isEqualTo(204);
                assertThat(send(httpPort, "GET", "/api/v1/session", Map.of("Cookie", cookieOf(other)), null).statusCode())
                        .isEqualTo(401);
                assertThat(send(httpPort, "GET", "/api/v1/session", Map.of("Cookie", readerCookie), null).statusCode())
                        .isEqualTo(200);
                assertThat(send(httpPort, "DELETE", "/api/v1/tokens/" + reader.path("id").asText(),
                        Map.of("Cookie", cookie, "X-CSRF-Token", csrf), null).statusCode()).isEqualTo(204);
                HttpResponse<String> revoked = send(httpPort, "GET", "/api/v1/alerts", Map.of("Cookie", readerCookie), null);
                assertThat(revoked.statusCode()).isEqualTo(401);
                assertThat(json.readTree(revoked.body()).path("error").asText()).isEqualTo("unauthorized");

                // Signing out needs the CSRF header too; afterwards the cookie is cleared and worthless.
                assertThat(send(httpPort, "DELETE", "/api/v1/session", Map.of("Cookie", cookie), null).statusCode())
                        .isEqualTo(403);
                HttpResponse<String> signedOut = send(httpPort, "DELETE", "/api/v1/session",
                        Map.of("Cookie", cookie, "X-CSRF-Token", csrf), null);
                assertThat(signedOut.statusCode()).isEqualTo(204);
                assertThat(signedOut.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                        assertThat(c).startsWith("rampart_session=;").contains("Max-Age=0"));
                HttpResponse<String> after = send(httpPort, "GET", "/api/v1/routers", Map.of("Cookie", cookie), null);
                assertThat(after.statusCode()).isEqualTo(401);
                assertThat(json.readTree(after.body()).path("detail").asText()).contains("sign in again");

                // The signed-out session's stream ends too, at its next check (a heartbeat's time):
                // the chunked body's last chunk, "0", arrives.
                boolean ended = false;
                for (String line = in.readLine(); line != null && !ended; line = in.readLine()) {
                    ended = line.equals("0");
                }
                assertThat(ended).as("the stream of a signed-out session ends").isTrue();

                // Guessing tokens from one address runs into its sign-in limit (a burst of 10,
                // some spent above); a body that tries no token is still told what is wrong.
                HttpResponse<String> limited = null;
                for (int i = 0; i < 12 && limited == null; i++) {
                    HttpResponse<String> guess = signIn(httpPort, "rmp_" + "B".repeat(43));
                    limited = guess.statusCode() == 429 ? guess : null;
                }
                assertThat(limited).as("a 429 within 12 guesses").isNotNull();
                assertThat(json.readTree(limited.body()).path("error").asText()).isEqualTo("rate_limited");
                assertThat(limited.headers().firstValue("Retry-After")).isPresent();
                HttpResponse<String> noToken = send(httpPort, "POST", "/api/v1/session", Map.of(), "{}");
                assertThat(noToken.statusCode()).as(noToken.body()).isEqualTo(400);
                assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
                Optional<JsonNode> stopped = service.event("http_stopped");
                assertThat(stopped).as(service.output()).isPresent();
                assertThat(stopped.get().path("abandoned_requests").asInt()).isZero();
            }
        }
    }

    /** The data of the next event of {@code type} on the stream, skipping others and heartbeats. */
    private static String awaitEvent(BufferedReader in, String type) throws IOException {
        long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
        boolean wanted = false;
        String line;
        while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
            if (line.startsWith("event: ")) {
                wanted = line.equals("event: " + type);
            } else if (wanted && line.startsWith("data: ")) {
                return line.substring("data: ".length());
            }
        }
        throw new AssertionError("no " + type + " event within " + EVENT_TIMEOUT);
    }

    private HttpResponse<String> signIn(int port, String token) throws IOException, InterruptedException {
        return send(port, "POST", "/api/v1/session", Map.of(), json.writeValueAsString(Map.of("token", token)));
    }

    private static String cookieOf(HttpResponse<String> signedIn) {
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> send(int port, String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
