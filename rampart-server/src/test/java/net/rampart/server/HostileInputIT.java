package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of {@code /openapi.json} on the real service, fed hostile input: missing,
 * unknown, revoked and under-scoped tokens; control characters, over-long text, odd numbers,
 * bad cursors and malformed escapes in every path, query and header parameter; unreadable,
 * wrongly typed, oversized and wrongly labelled bodies. The operations are read from the served
 * document, so an endpoint added later is covered without touching this test.
 *
 * <p>Every answer must follow three rules: no 5xx; a 4xx is the API's JSON error (an
 * {@code error} and a {@code detail}, no control character in either); no answer shows SQL or
 * Java internals. Input the service must refuse (see "What bad input gets" in docs/security.md)
 * must get its 4xx, with its error code where one is documented; other odd input may be
 * accepted. Afterwards a good event is stored and shown, a good token works and the service is
 * ready. The service's log must show no failed request and no row PostgreSQL refused.
 *
 * <p>The barrage is a fixed list of inputs (no randomness) of about 3000 requests, each of which
 * must be answered within {@link #ANSWER_TIMEOUT}. Every wrong answer is collected, so one run
 * lists them all.
 */
class HostileInputIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** Hostile input must not hold a request thread: a slower answer counts as none. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Values for the parameters whose well-formed shape the suite knows, so that the one hostile
     * value is each request's only fault and reaches the check it is aimed at. The prefix is not
     * the inventory customer's, so safelist entries the barrage manages to add leave the final
     * event alone; the id is a UUID no mitigation has and no token can have (token ids are ten
     * hex digits). A path parameter not named here gets {@code hostile-suite}; a query parameter
     * not named here is left out.
     */
    private static final Map<String, String> WELL_FORMED_PARAMETERS = Map.of(
            "prefix", "198.51.100.0/24", "operator", "hostile-suite", "source", "hostile-suite",
            "asn", "AS64496", "address", "198.51.100.0", "length", "24", "from", "0",
            "id", "00000000-0000-4000-8000-000000000000");

    /**
     * Well-formed values for body fields, by name; an operation's well-formed body has those of
     * its documented fields found here. The victim is in no customer's prefixes, so no event of
     * the barrage creates a mitigation (the guardrails refuse it with a 422).
     */
    private static final String WELL_FORMED_FIELDS = """
            {"prefix": "198.51.100.0/24", "operator": "hostile-suite", "reason": "hostile input suite",
             "name": "hostile-suite", "scope": "read", "asn": "AS64496", "as_path": ["AS64496"],
             "direction": "upstream", "timestamp": "2020-06-01T00:00:00Z", "source": "hostile-suite",
             "victim_ip": "198.51.100.7", "vector": "udp_flood"}
            """;

    // Parameter values are written as they go on the wire: percent-escapes are the test's own.

    /** Control characters and one character over the 256 every parameter may have: always a 400. */
    private static final List<String> REFUSED_PARAMETERS = List.of(
            "%00", "a%01b", "%7F", "a%0D%0Ab", "%1B%5B2J", "a".repeat(257));
    /**
     * Odd but printable path values. None is ten hex digits, the form of a token id, so
     * {@code DELETE /api/v1/tokens/{id}} cannot revoke a token with them.
     */
    private static final List<String> ODD_PATH_VALUES = List.of(
            "-1", "0", "-2147483649", "99999999999999999999", "1e9", "..", "../..", "%2e%2e", "a%2Fb",
            "%25ZZ", "%20", "%E2%80%AE", "'%20OR%201=1--", "a".repeat(256));
    /**
     * Odd but printable query values: blanks, numbers past every limit and int range, cursors
     * that are garbage, negative or past the end (base64url of {@code o:-1}, {@code o:2147483647},
     * {@code o:99999999999}), times past what Java's and PostgreSQL's timestamps hold, and
     * exactly the 256 characters a parameter may have.
     */
    private static final List<String> ODD_QUERY_VALUES = List.of(
            "", "%20", "-1", "0", "1e9", "1001", "2147483648", "-2147483649", "99999999999999999999", "abc",
            "..%2F..", "%25ZZ", "%E2%80%AE", "'%20OR%201=1--", "a".repeat(256), "!!!!", "bzotMQ",
            "bzoyMTQ3NDgzNjQ3", "bzo5OTk5OTk5OTk5OQ", "%2B1000000000-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "%2B300000-01-01T00:00:00Z", "AS4294967296", "AS-1");
    /** Header values the HTTP client can send (it refuses control characters in headers). */
    private static final List<String> ODD_HEADER_VALUES = List.of(
            "*", "\"garbage\"", "W/\"x\"", "-1", "a".repeat(5000));

    // Body field values are JSON text, written into the body as they are.

    /** Text no body field may hold: NUL, an escape sequence, a lone surrogate, 100 KB, and these nested. */
    private static final List<String> REFUSED_FIELD_VALUES = List.of(
            "\"a\\u0000b\"", "\"\\u001b[2J\"", "\"\\ud800\"", "\"" + "x".repeat(100 * 1024) + "\"",
            "[\"a\\u0000b\"]", "{\"deeper\": \"a\\u0000b\"}", "{\"a\\u0000\": 1}");
    /** Wrong types, numbers past every range, blanks, nesting and a 20 001-element array. */
    private static final List<String> ODD_FIELD_VALUES = List.of(
            "12345", "-1", "99999999999999999999", "1e999", "-1e308", "0.5", "true", "null", "\"\"", "\"-1\"",
            "\"'; DROP TABLE api_token; --\"", "\"%00\"", "{\"nested\": {\"deeper\": [1, \"a\"]}}", "[\"a\", 1]",
            "[" + "1, ".repeat(20_000) + "1]");
    /** Bodies that are not JSON objects at all. */
    private static final List<String> NOT_OBJECTS = List.of("not json", "", "null", "123", "[\"hostile\"]");
    /**
     * Binary bodies: not MRT, a gzip header over garbage, a bzip2 header over garbage, and a
     * record header that claims 4 GB.
     */
    private static final List<byte[]> ODD_BINARY_BODIES = List.of(
            "not an MRT file".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 'x', 'x', 'x'},
            "BZh9garbage".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 0, 0, 13, 0, 1, -1, -1, -1, -1});

    /** Text that only an exception, a stack trace or a database error would put in an answer. */
    private static final List<String> LEAKS = List.of(
            "org.postgresql", "org.eclipse.jetty", "Exception", "\tat ", "SQLState", "ERROR:");

    private static final String GOOD_EVENT = """
            {"event_id": "hostile-suite-good", "timestamp": "2020-06-01T00:00:00Z", "source": "hostile-suite",
             "victim_ip": "192.0.2.10", "vector": "udp_flood", "confidence": 0.7, "top_dst_ports": [53]}
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> violations = new ArrayList<>();
    private int httpPort;
    private String admin;
    private String reader;
    private String operator;
    private String revoked;
    private int requests;

    @TempDir
    Path dir;

    /** The statuses an input may get and, where one is documented, the error code it must carry. */
    private record Expected(int lowest, int highest, String error) {
        /** Input the service may accept or refuse (or answer 304 to, for If-None-Match): anything but a 5xx. */
        static final Expected ANSWERED = new Expected(200, 499, null);
        /** Input that must be refused, with whichever 4xx fits. */
        static final Expected REFUSED = new Expected(400, 499, null);

        static Expected refused(int status, String error) {
            return new Expected(status, status, error);
        }

        @Override
        public String toString() {
            String statuses = lowest == highest ? Integer.toString(lowest) : lowest + "-" + highest;
            return error == null ? statuses : statuses + " " + error;
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    /** One operation of the document, its parameters and body schema resolved; {@code scope} null when public. */
    private record Operation(String method, String path, List<JsonNode> parameters, String scope, String bodyType,
                             List<String> bodyFields) {
        List<JsonNode> in(String where) {
            return parameters.stream().filter(p -> where.equals(p.path("in").asText())).toList();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A request; {@code authorization}, {@code contentType} and {@code body} may be null. */
    private record Request(String method, String target, String authorization, String contentType, byte[] body,
                           Map<String, String> headers) {
        Request withTarget(String newTarget) {
            return new Request(method, newTarget, authorization, contentType, body, headers);
        }

        Request withAuthorization(String newAuthorization) {
            return new Request(method, target, newAuthorization, contentType, body, headers);
        }

        Request withBody(String newContentType, String newBody) {
            return new Request(method, target, authorization, newContentType,
                    newBody.getBytes(StandardCharsets.UTF_8), headers);
        }

        Request withBody(String newContentType, byte[] newBody) {
            return new Request(method, target, authorization, newContentType, newBody, headers);
        }

        Request withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Request(method, target, authorization, contentType, body, more);
        }

        /** The target with one more query parameter, {@code nameAndValue} as it goes on the wire. */
        String targetWith(String nameAndValue) {
            return target + (target.contains("?") ? "&" : "?") + nameAndValue;
        }
    }

    @Test
    void everyOperationRefusesHostileInputAndKeepsWorking() throws Exception {
        httpPort = ServiceProcess.freePort();
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
        // Rate limits far above the barrage: a 429 would hide what the input itself gets.
        Map<String, String> environment = Map.ofEntries(
                Map.entry("RAMPART_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("RAMPART_BMP_PORT", "0"),
                Map.entry("RAMPART_RTR_PORT", "0"),
                Map.entry("RAMPART_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("RAMPART_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString()),
                Map.entry("RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString()),
                Map.entry("RAMPART_API_RATE_LIMIT", "1000000"),
                Map.entry("RAMPART_API_RATE_BURST", "10000000"),
                // So that POST /api/v1/backups, which takes no input, answers as it would in service
                // (deploy/install-pg-client.sh puts pg_dump 17 there).
                Map.entry("RAMPART_PG_BIN", Path.of("").toAbsolutePath().getParent().resolve("pg-client/bin").toString()));
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            admin = service.adminToken();
            reader = createToken("hostile-suite-read", "read").path("token").asText();
            operator = createToken("hostile-suite-operator", "operator").path("token").asText();
            JsonNode toRevoke = createToken("hostile-suite-revoked", "read");
            revoked = toRevoke.path("token").asText();
            Answer revocation = send(new Request("DELETE", "/api/v1/tokens/" + toRevoke.path("id").asText(),
                    "Bearer " + admin, null, null, Map.of()));
            assertThat(revocation.status()).as(revocation.body()).isEqualTo(204);

            Answer document = send(new Request("GET", "/openapi.json", null, null, null, Map.of()));
            assertThat(document.status()).isEqualTo(200);
            List<Operation> operations = operations(json.readTree(document.body()));
            assertThat(operations).isNotEmpty();
            for (Operation operation : operations) {
                barrage(operation);
            }

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(violations).as("wrong answers among %d hostile requests", requests).isEmpty();

            // After the barrage the service still works, and keeps what it is given.
            Answer event = send(adminRequest("POST", "/api/v1/events").withBody("application/json", GOOD_EVENT));
            softly.assertThat(event.status()).as("good event: %s", event.body()).isEqualTo(202);
            JsonNode result = parse(event.body());
            softly.assertThat(result.path("outcome").asText()).as("good event: %s", event.body()).isEqualTo("created");
            String mitigationId = result.path("mitigation_id").asText();
            Answer shown = send(adminRequest("GET", "/api/v1/mitigations/" + mitigationId));
            softly.assertThat(shown.status()).as("its mitigation: %s", shown.body()).isEqualTo(200);
            JsonNode mitigation = parse(shown.body());
            softly.assertThat(mitigation.path("victim_ip").asText()).isEqualTo("192.0.2.10");
            softly.assertThat(texts(mitigation.path("audit"), "event_id")).as("its audit trail")
                    .contains("hostile-suite-good");
            Answer active = send(adminRequest("GET", "/api/v1/mitigations?status=active"));
            softly.assertThat(texts(parse(active.body()).path("items"), "id")).as("active mitigations: %s", active.body())
                    .containsExactly(mitigationId);

            Answer token = send(adminRequest("POST", "/api/v1/tokens")
                    .withBody("application/json", "{\"name\": \"hostile-suite-after\", \"scope\": \"read\"}"));
            softly.assertThat(token.status()).as("good token: %s", token.body()).isEqualTo(201);
            Answer routers = send(new Request("GET", "/api/v1/routers",
                    "Bearer " + parse(token.body()).path("token").asText(), null, null, Map.of()));
            softly.assertThat(routers.status()).as("the new token at work: %s", routers.body()).isEqualTo(200);
            List<String> tokenNames = texts(parse(send(adminRequest("GET", "/api/v1/tokens")).body()).path("items"),
                    "name");
            softly.assertThat(tokenNames).contains("hostile-suite-after")
                    .noneMatch(name -> name.chars().anyMatch(c -> c < 0x20 || c == 0x7F));

            Answer ready = send(new Request("GET", "/health/ready", null, null, null, Map.of()));
            softly.assertThat(ready.status()).as("readiness: %s", ready.body()).isEqualTo(200);
            softly.assertThat(parse(ready.body()).path("status").asText()).isEqualTo("ready");

            softly.assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            // A 500 is logged with its exception; a row PostgreSQL refused means hostile text got past the edge.
            softly.assertThat(service.events("http_request_failed")).as("requests that failed inside").isEmpty();
            softly.assertThat(service.events("store_row_refused")).as("rows PostgreSQL refused").isEmpty();
            softly.assertAll();
        }
    }

    private void barrage(Operation operation) throws InterruptedException {
        tokens(operation);
        pathParameters(operation);
        queryParameters(operation);
        headerParameters(operation);
        malformedRequestLines(operation);
        if ("application/json".equals(operation.bodyType())) {
            jsonBodies(operation);
        } else if (operation.bodyType() != null) {
            binaryBodies(operation);
        }
    }

    /** The token is checked first: without a valid one, or below the scope, the operation does not run. */
    private void tokens(Operation operation) throws InterruptedException {
        if (operation.scope() == null) {
            return;
        }
        Request good = wellFormed(operation);
        Expected unauthorized = Expected.refused(401, "unauthorized");
        expect(operation, "without a token", good.withAuthorization(null), unauthorized);
        expect(operation, "with a revoked token", good.withAuthorization("Bearer " + revoked), unauthorized);
        expect(operation, "with an unknown token", good.withAuthorization("Bearer rmp_" + "A".repeat(43)), unauthorized);
        expect(operation, "with Basic credentials", good.withAuthorization("Basic YWRtaW46YWRtaW4="), unauthorized);
        // Parameters are checked after the token: a caller without one learns nothing about them.
        expect(operation, "without a token, with a NUL parameter",
                good.withAuthorization(null).withTarget(good.targetWith("hostile=%00")), unauthorized);
        Expected forbidden = Expected.refused(403, "insufficient_scope");
        if (!operation.scope().equals("read")) {
            expect(operation, "with a read token", good.withAuthorization("Bearer " + reader), forbidden);
        }
        if (operation.scope().equals("admin")) {
            expect(operation, "with an operator token", good.withAuthorization("Bearer " + operator), forbidden);
        }
    }

    private void pathParameters(Operation operation) throws InterruptedException {
        Request good = wellFormed(operation);
        for (JsonNode parameter : operation.in("path")) {
            String name = parameter.path("name").asText();
            // 400 from the route's parameter check, or from Jetty when it refuses the URI itself.
            for (String value : REFUSED_PARAMETERS) {
                expect(operation, "path " + name + "=" + describe(value),
                        good.withTarget(target(operation, Map.of(name, value))), Expected.refused(400, null));
            }
            for (String value : ODD_PATH_VALUES) {
                expect(operation, "path " + name + "=" + describe(value),
                        good.withTarget(target(operation, Map.of(name, value))), Expected.ANSWERED);
            }
        }
    }

    private void queryParameters(Operation operation) throws InterruptedException {
        Request good = wellFormed(operation);
        Expected invalid = Expected.refused(400, "invalid_parameter");
        for (JsonNode parameter : operation.in("query")) {
            String name = parameter.path("name").asText();
            for (String value : REFUSED_PARAMETERS) {
                expect(operation, "query " + name + "=" + describe(value),
                        good.withTarget(target(operation, Map.of(name, value))), invalid);
            }
            // Past the 8 KB Jetty reads for a request line: refused before any route.
            expect(operation, "query " + name + " of 20000 characters",
                    good.withTarget(target(operation, Map.of(name, "a".repeat(20_000)))),
                    Expected.refused(414, "uri_too_long"));
            for (String value : ODD_QUERY_VALUES) {
                expect(operation, "query " + name + "=" + describe(value),
                        good.withTarget(target(operation, Map.of(name, value))), Expected.ANSWERED);
            }
            expect(operation, "query " + name + " given twice",
                    good.withTarget(target(operation, Map.of(name, "-1")) + "&" + name + "=abc"), Expected.ANSWERED);
        }
        // A parameter the document does not declare is checked all the same, on every operation.
        for (String value : REFUSED_PARAMETERS) {
            expect(operation, "undeclared query parameter=" + describe(value),
                    good.withTarget(good.targetWith("hostile=" + value)), invalid);
        }
        expect(operation, "a query parameter name holding NUL", good.withTarget(good.targetWith("a%00b=1")), invalid);
    }

    private void headerParameters(Operation operation) throws InterruptedException {
        Request good = wellFormed(operation);
        for (JsonNode parameter : operation.in("header")) {
            String name = parameter.path("name").asText();
            for (String value : ODD_HEADER_VALUES) {
                expect(operation, "header " + name + ": " + describe(value), good.withHeader(name, value),
                        Expected.ANSWERED);
            }
            expect(operation, "header " + name + " of 20000 characters", good.withHeader(name, "a".repeat(20_000)),
                    Expected.refused(431, "request_header_fields_too_large"));
        }
    }

    /** What the HTTP client will not send: malformed escapes and raw control characters, over a socket. */
    private void malformedRequestLines(Operation operation) {
        String target = wellFormed(operation).target();
        String separator = target.contains("?") ? "&" : "?";
        for (JsonNode parameter : operation.in("path")) {
            String name = parameter.path("name").asText();
            expectRaw(operation, "path " + name + "=%ZZ", target(operation, Map.of(name, "%ZZ")), Expected.ANSWERED);
        }
        expectRaw(operation, "malformed escapes in the query", target + separator + "%ZZ=%ZZ&hostile=%",
                Expected.ANSWERED);
        // Jetty's parser refuses the request line itself.
        expectRaw(operation, "a raw control character in the query", target + separator + "hostile=a\u0001b",
                Expected.REFUSED);
    }

    private void jsonBodies(Operation operation) throws InterruptedException {
        Request good = wellFormed(operation);
        Map<String, String> fields = wellFormedFields(operation);
        String type = operation.bodyType();
        // Unreadable bodies: invalid_json on every route.
        Expected unreadable = Expected.refused(400, null);
        Expected invalidField = Expected.refused(400, "invalid_field");
        for (String body : NOT_OBJECTS) {
            expect(operation, "body " + describe(body), good.withBody(type, body), unreadable);
        }
        expect(operation, "body repeating a key", good.withBody(type, object(fields, "\"hostile\": 1, \"hostile\": 2")),
                unreadable);
        expect(operation, "body nested 5000 deep",
                good.withBody(type, object(fields, "\"hostile\": " + "[".repeat(5000) + "]".repeat(5000))), unreadable);
        expect(operation, "body with a raw NUL in a string", good.withBody(type, object(fields, "\"hostile\": \"a\0b\"")),
                unreadable);
        expect(operation, "body with a field name holding NUL",
                good.withBody(type, object(fields, "\"a\\u0000b\": 1")), invalidField);
        expect(operation, "body with a field name of 2000 characters",
                good.withBody(type, object(fields, "\"" + "k".repeat(2000) + "\": 1")), invalidField);
        expect(operation, "body {}", good.withBody(type, "{}"), Expected.ANSWERED);
        // A body labelled as something else is not read as JSON.
        expect(operation, "well-formed body sent as text/plain", good.withBody("text/plain", object(fields, null)),
                Expected.refused(415, "unsupported_media_type"));

        List<String> names = new ArrayList<>(operation.bodyFields());
        names.add("hostile");
        for (String name : names) {
            for (String value : REFUSED_FIELD_VALUES) {
                expect(operation, "field " + name + "=" + describe(value),
                        good.withBody(type, object(with(fields, name, value), null)), invalidField);
            }
            for (String value : ODD_FIELD_VALUES) {
                expect(operation, "field " + name + "=" + describe(value),
                        good.withBody(type, object(with(fields, name, value), null)), Expected.ANSWERED);
            }
        }
    }

    private void binaryBodies(Operation operation) throws InterruptedException {
        Request good = wellFormed(operation);
        for (byte[] body : ODD_BINARY_BODIES) {
            expect(operation, "body of " + body.length + " odd bytes starting " + String.format(Locale.ROOT, "%02x", body[0]),
                    good.withBody(operation.bodyType(), body), Expected.ANSWERED);
        }
    }

    /** The operation with well-formed parameters and body, as the admin. */
    private Request wellFormed(Operation operation) {
        Request request = adminRequest(operation.method(), target(operation, Map.of()));
        if ("application/json".equals(operation.bodyType())) {
            return request.withBody(operation.bodyType(), object(wellFormedFields(operation), null));
        }
        return operation.bodyType() == null ? request : request.withBody(operation.bodyType(), new byte[0]);
    }

    private Request adminRequest(String method, String target) {
        return new Request(method, target, "Bearer " + admin, null, null, Map.of());
    }

    /** The operation's path and query: {@code values} where given, else the well-formed ones. */
    private static String target(Operation operation, Map<String, String> values) {
        String path = operation.path();
        for (JsonNode parameter : operation.in("path")) {
            String name = parameter.path("name").asText();
            // An alert's id is a number where a mitigation's is a UUID: the schema says which.
            String wellFormed = "integer".equals(parameter.path("schema").path("type").asText())
                    ? "1" : WELL_FORMED_PARAMETERS.getOrDefault(name, "hostile-suite");
            path = path.replace("{" + name + "}", values.getOrDefault(name, wellFormed));
        }
        List<String> query = new ArrayList<>();
        for (JsonNode parameter : operation.in("query")) {
            String name = parameter.path("name").asText();
            String value = values.containsKey(name) ? values.get(name) : WELL_FORMED_PARAMETERS.get(name);
            if (value != null) {
                query.add(name + "=" + value);
            }
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    /** The operation's documented body fields that have a well-formed value, as JSON text. */
    private Map<String, String> wellFormedFields(Operation operation) {
        JsonNode known = parse(WELL_FORMED_FIELDS);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : operation.bodyFields()) {
            if (known.has(name)) {
                fields.put(name, known.get(name).toString());
            }
        }
        return fields;
    }

    private static Map<String, String> with(Map<String, String> fields, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(fields);
        changed.put(name, value);
        return changed;
    }

    /** A JSON object of {@code fields} (name to JSON text), with {@code extra} members as written, if any. */
    private static String object(Map<String, String> fields, String extra) {
        List<String> members = new ArrayList<>();
        fields.forEach((name, value) -> members.add("\"" + name + "\": " + value));
        if (extra != null) {
            members.add(extra);
        }
        return "{" + String.join(", ", members) + "}";
    }

    /**
     * Every operation of the document, in its order, but for event streams: their answer never
     * ends (the live stream takes no parameter, and its refusals are DashboardIT's), so an
     * answer read to its end would wait for the stream's hour.
     */
    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            for (var method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                if (operation.path("responses").path("200").path("content").has("text/event-stream")) {
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>();
                operation.path("parameters").forEach(parameter -> parameters.add(resolve(document, parameter)));
                String bodyType = null;
                List<String> bodyFields = new ArrayList<>();
                JsonNode content = operation.path("requestBody").path("content");
                if (!content.isEmpty()) {
                    bodyType = content.properties().iterator().next().getKey();
                    collectFields(document, content.path(bodyType).path("schema"), bodyFields);
                }
                String scope = operation.hasNonNull("x-required-scope") ? operation.get("x-required-scope").asText() : null;
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), parameters, scope,
                        bodyType, bodyFields));
            }
        }
        return operations;
    }

    /** The property names of a body schema, through {@code $ref} and every alternative of oneOf, anyOf and allOf. */
    private static void collectFields(JsonNode document, JsonNode schema, List<String> into) {
        JsonNode resolved = resolve(document, schema);
        for (var property : resolved.path("properties").properties()) {
            if (!into.contains(property.getKey())) {
                into.add(property.getKey());
            }
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            resolved.path(combinator).forEach(alternative -> collectFields(document, alternative, into));
        }
    }

    /** {@code node}, or what its {@code $ref} (a pointer into this document) names. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private void expect(Operation operation, String input, Request request, Expected expected)
            throws InterruptedException {
        String what = operation + " " + input;
        try {
            check(what, send(request), expected);
        } catch (IOException e) {
            violations.add(what + ": no answer within " + ANSWER_TIMEOUT.toSeconds() + " s: " + e);
        }
    }

    private void expectRaw(Operation operation, String input, String target, Expected expected) {
        String what = operation + " " + input;
        try {
            check(what, sendRaw(operation.method(), target), expected);
        } catch (IOException | RuntimeException e) {
            // A closed connection, or no status line to read: either way no answer.
            violations.add(what + ": no answer within " + ANSWER_TIMEOUT.toSeconds() + " s: " + e);
        }
    }

    private void check(String what, Answer answer, Expected expected) {
        List<String> problems = new ArrayList<>();
        if (answer.status() < expected.lowest() || answer.status() > expected.highest()) {
            problems.add("status " + answer.status() + ", expected " + expected);
        }
        if (answer.status() >= 400) {
            problems.addAll(errorProblems(answer, expected.error()));
        }
        if (answer.status() >= 400 || answer.contentType().startsWith("application/json")) {
            for (String leak : LEAKS) {
                if (answer.body().contains(leak)) {
                    problems.add("the body shows '" + leak.strip() + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            violations.add(what + ": " + String.join("; ", problems) + "; body: " + describe(answer.body()));
        }
    }

    /** What is wrong with an error answer: not the API's JSON error, the wrong code, or a control character in it. */
    private List<String> errorProblems(Answer answer, String expectedError) {
        List<String> problems = new ArrayList<>();
        if (!answer.contentType().startsWith("application/json")) {
            problems.add("Content-Type '" + answer.contentType() + "', not application/json");
        }
        JsonNode body = parse(answer.body());
        String error = body.path("error").isTextual() ? body.path("error").asText() : "";
        String detail = body.path("detail").isTextual() ? body.path("detail").asText() : "";
        if (error.isBlank() || detail.isBlank()) {
            problems.add("no JSON \"error\" and \"detail\"");
        }
        if (expectedError != null && !expectedError.equals(error)) {
            problems.add("error '" + error + "', expected '" + expectedError + "'");
        }
        if ((error + detail).chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            problems.add("the error repeats a control character");
        }
        return problems;
    }

    private Answer send(Request request) throws IOException, InterruptedException {
        requests++;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + request.target()))
                .timeout(ANSWER_TIMEOUT)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.authorization() != null) {
            builder.header("Authorization", request.authorization());
        }
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        request.headers().forEach(builder::header);
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /**
     * One HTTP/1.0 request over a socket, its target sent byte for byte, as the admin. HTTP/1.0,
     * so that the answer is never chunked and ends when the service closes the connection.
     */
    private Answer sendRaw(String method, String target) throws IOException {
        requests++;
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", httpPort), (int) ANSWER_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            String head = method + " " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                    + "\r\nContent-Length: 0\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String headers = end < 0 ? response : response.substring(0, end);
            String contentType = headers.lines()
                    .filter(line -> line.regionMatches(true, 0, "Content-Type:", 0, "Content-Type:".length()))
                    .map(line -> line.substring("Content-Type:".length()).strip())
                    .findFirst().orElse("");
            // "HTTP/1.1 400 ...": the status is the second word.
            return new Answer(Integer.parseInt(headers.split(" ", 3)[1]), contentType,
                    end < 0 ? "" : response.substring(end + 4));
        }
    }

    private JsonNode createToken(String name, String scope) throws IOException, InterruptedException {
        Answer answer = send(adminRequest("POST", "/api/v1/tokens")
                .withBody("application/json", "{\"name\": \"" + name + "\", \"scope\": \"" + scope + "\"}"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return json.readTree(answer.body());
    }

    /** The JSON in {@code text}, or a missing node when it is not JSON (which the assertions then report). */
    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.path(field).asText()));
        return out;
    }

    /** Text short enough for a failure message, control characters shown as escapes. */
    private static String describe(String text) {
        String shown = text.length() > 60 ? text.substring(0, 40) + "...(" + text.length() + " characters)" : text;
        StringBuilder out = new StringBuilder();
        shown.chars().forEach(c -> out.append(c < 0x20 || c == 0x7F
                ? String.format(Locale.ROOT, "\\u%04x", c) : Character.toString(c)));
        return "'" + out + "'";
    }
}
