package net.rampart.server.http;

import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.rampart.server.RampartService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared query parameter readers and the text check that runs before every route, as a
 * request meets them: the parsers take a Javalin {@link io.javalin.http.Context}, so a probe area
 * that echoes what they read is served by the real {@link HttpApi} on a loopback port. No service,
 * database or collector runs.
 */
class QueryParametersTest {

    /**
     * Echoes what each reader makes of one parameter as plain text, {@code absent} for an empty
     * answer. Its OpenAPI fragment documents nothing: the probe is not part of the API.
     */
    private static final class Probe implements ApiRoutes {
        @Override
        public void register(RouteTable routes) {
            routes.get("/probe/text", ctx -> ctx.result(
                    QueryParameters.text(ctx, "q").map(value -> "[" + value + "]").orElse("absent")));
            routes.get("/probe/asn", ctx -> ctx.result(
                    QueryParameters.asn(ctx, "asn").map(String::valueOf).orElse("absent")));
            routes.get("/probe/choice", ctx -> ctx.result(
                    QueryParameters.choice(ctx, "family", "ipv4", "ipv6").orElse("absent")));
            routes.get("/probe/path/{name}", ctx -> ctx.result(ctx.pathParam("name")));
        }

        @Override
        public String openApiFragment() {
            return "query-parameters-probe.json";
        }
    }

    private final ObjectMapper json = RampartService.jsonMapper();
    private LoopbackApi api;

    @BeforeEach
    void start() throws Exception {
        api = LoopbackApi.serve(json, new SimpleMeterRegistry(), new Probe());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** {@code target} is sent as written: its percent-escapes are the test's own. */
    private HttpResponse<String> get(String target) throws Exception {
        return api.get(target);
    }

    private String answer(String target) throws Exception {
        HttpResponse<String> response = get(target);
        assertThat(response.statusCode()).as("%s: %s", target, response.body()).isEqualTo(200);
        return response.body();
    }

    /** The error body of a 400 for {@code target}. */
    private JsonNode refused(String target) throws Exception {
        HttpResponse<String> response = get(target);
        assertThat(response.statusCode()).as("%s: %s", target, response.body()).isEqualTo(400);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("invalid_parameter");
        return body;
    }

    @Test
    void textIsStrippedAndBlankReadsAsAbsent() throws Exception {
        assertThat(answer("/probe/text?q=%20%20abc%20")).isEqualTo("[abc]");
        assertThat(answer("/probe/text?q=a%20b")).as("inner blanks stay").isEqualTo("[a b]");
        assertThat(answer("/probe/text?q=%20%20")).isEqualTo("absent");
        assertThat(answer("/probe/text?q=")).isEqualTo("absent");
        assertThat(answer("/probe/text")).isEqualTo("absent");
    }

    @Test
    void asnReadsEveryFormAsItsNumber() throws Exception {
        assertThat(answer("/probe/asn?asn=65000")).isEqualTo("65000");
        assertThat(answer("/probe/asn?asn=AS65000")).isEqualTo("65000");
        assertThat(answer("/probe/asn?asn=as65000")).isEqualTo("65000");
        // asdot (RFC 5396): 1 * 65536 + 10.
        assertThat(answer("/probe/asn?asn=1.10")).isEqualTo("65546");
        assertThat(answer("/probe/asn?asn=4294967295")).isEqualTo("4294967295");
        assertThat(answer("/probe/asn?asn=%20AS65000%20")).as("stripped like any text").isEqualTo("65000");
        assertThat(answer("/probe/asn?asn=%20")).isEqualTo("absent");
    }

    @Test
    void anAsnThatIsNoneIsRefusedNamingTheParameterAndTheForms() throws Exception {
        for (String bad : List.of("4294967296", "AS", "-1", "65000x", "1.65536")) {
            JsonNode body = refused("/probe/asn?asn=" + bad);
            assertThat(body.path("field").asText()).isEqualTo("asn");
            assertThat(body.path("detail").asText()).as(bad).isEqualTo(
                    "asn: must be an AS number such as AS65000, 65000 or 1.10 (asdot), not '" + bad + "'");
        }
    }

    @Test
    void choiceIgnoresCaseAndAnswersInLowerCase() throws Exception {
        assertThat(answer("/probe/choice?family=IPv6")).isEqualTo("ipv6");
        assertThat(answer("/probe/choice?family=ipv4")).isEqualTo("ipv4");
        assertThat(answer("/probe/choice")).isEqualTo("absent");

        JsonNode body = refused("/probe/choice?family=evpn");
        assertThat(body.path("field").asText()).isEqualTo("family");
        assertThat(body.path("detail").asText()).isEqualTo("family: must be one of ipv4, ipv6, not 'evpn'");
    }

    @Test
    void aControlCharacterIsRefusedByCodeAndPositionNeverEchoed() throws Exception {
        JsonNode body = refused("/probe/text?q=a%01b");

        assertThat(body.path("field").asText()).isEqualTo("q");
        // The detail names the character by code; the refused text itself is not in the answer.
        assertThat(body.path("detail").asText()).isEqualTo("q: contains a control character (U+0001) at position 2");
    }

    @Test
    void everyQueryParameterIsCheckedEvenOneNoRouteReads() throws Exception {
        // The probe reads only q: checkAll runs before every matched route, whatever it reads.
        assertThat(refused("/probe/text?other=%7F").path("field").asText()).isEqualTo("other");
        assertThat(refused("/probe/text?other=" + "a".repeat(257)).path("detail").asText())
                .isEqualTo("other: 257 characters, at most 256");
        assertThat(answer("/probe/text?other=" + "a".repeat(256))).as("the limit itself is allowed").isEqualTo("absent");
        // A name that cannot be shown is named by what it is.
        assertThat(refused("/probe/text?a%00b=1").path("field").asText()).isEqualTo("query parameter name");
    }

    @Test
    void pathParametersAreCheckedToo() throws Exception {
        assertThat(answer("/probe/path/" + "a".repeat(256))).hasSize(256);

        JsonNode body = refused("/probe/path/" + "a".repeat(257));
        assertThat(body.path("field").asText()).isEqualTo("name");
        assertThat(body.path("detail").asText()).isEqualTo("name: 257 characters, at most 256");
    }
}
