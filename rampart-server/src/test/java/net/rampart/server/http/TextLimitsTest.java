package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InvalidInputException refusedParameter(String name, String value, int max) {
        return catchThrowableOfType(InvalidInputException.class, () -> TextLimits.parameter(name, value, max));
    }

    private static InvalidInputException refusedBody(JsonNode body, Map<String, Integer> limits, Set<String> prose) {
        return catchThrowableOfType(InvalidInputException.class, () -> TextLimits.body(body, limits, prose));
    }

    @Test
    void aNulIsNamedByCodeAndPositionAndNeverEchoed() {
        InvalidInputException e = refusedParameter("router", "r1\u0000x", TextLimits.PARAMETER);
        assertThat(e.error()).isEqualTo("invalid_parameter");
        assertThat(e.field()).isEqualTo("router");
        assertThat(e.getMessage()).isEqualTo("router: contains a control character (U+0000) at position 3");
        assertThat(e.getMessage()).doesNotContain("\u0000");
    }

    @Test
    void everyC0ControlAndDeleteIsRefusedAndTheirNeighboursAreNot() {
        for (char c = 0; c < 0x20; c++) {
            assertThat(refusedParameter("p", "a" + c, 10)).as("U+%04X", (int) c).isNotNull();
        }
        assertThat(refusedParameter("p", "a\u007F", 10).getMessage()).contains("(U+007F) at position 2");
        // Printable ASCII, C1 controls and other scripts are text PostgreSQL stores.
        assertThatCode(() -> TextLimits.parameter("p", " ~\u0080\u00e9\u4e2d", 10)).doesNotThrowAnyException();
    }

    @Test
    void unpairedSurrogatesAreRefusedAndPairsCountAsOneCharacter() {
        assertThat(refusedParameter("p", "ab\uD800", 10).getMessage())
                .isEqualTo("p: contains an unpaired surrogate (U+D800) at position 3");
        assertThat(refusedParameter("p", "\uDC00ab", 10).getMessage())
                .isEqualTo("p: contains an unpaired surrogate (U+DC00) at position 1");
        // A high surrogate followed by another high one is as unpaired as one at the end.
        assertThat(refusedParameter("p", "\uD83D\uD83D\uDE00", 10).getMessage()).contains("(U+D83D) at position 1");
        String smile = "\uD83D\uDE00";
        assertThatCode(() -> TextLimits.parameter("p", smile.repeat(4), 4)).doesNotThrowAnyException();
        assertThat(refusedParameter("p", smile.repeat(5), 4).getMessage()).isEqualTo("p: 5 characters, at most 4");
    }

    @Test
    void lengthsAreRefusedAboveTheMaximumOnly() {
        assertThatCode(() -> TextLimits.parameter("cursor", "a".repeat(TextLimits.PARAMETER), TextLimits.PARAMETER))
                .doesNotThrowAnyException();
        assertThat(refusedParameter("cursor", "a".repeat(300), TextLimits.PARAMETER).getMessage())
                .isEqualTo("cursor: 300 characters, at most 256");
    }

    @Test
    void bodyFieldsHaveTheirOwnLimitsAndOthersTheTextLimit() {
        Map<String, Integer> limits = Map.of("operator", TextLimits.NAME, "reason", TextLimits.REASON);
        ObjectNode body = JSON.createObjectNode().put("operator", "alice").put("reason", "r".repeat(2000));
        InvalidInputException e = refusedBody(body, limits, Set.of());
        assertThat(e.error()).isEqualTo("invalid_field");
        assertThat(e.getMessage()).isEqualTo("reason: 2000 characters, at most 1024");

        body.put("reason", "r".repeat(TextLimits.REASON)).put("operator", "o".repeat(TextLimits.NAME + 1));
        assertThat(refusedBody(body, limits, Set.of()).getMessage()).isEqualTo("operator: 129 characters, at most 128");

        body.put("operator", "alice").put("prefix", "p".repeat(TextLimits.TEXT + 1));
        assertThat(refusedBody(body, limits, Set.of()).field()).isEqualTo("prefix");

        body.put("prefix", "192.0.2.0/24");
        assertThatCode(() -> TextLimits.body(body, limits, Set.of())).doesNotThrowAnyException();
    }

    @Test
    void nestedStringsAreNamedByTheirPath() throws Exception {
        JsonNode alert = JSON.readTree("""
                {"alerts":[{"labels":{"victim_ip":"192.0.2.1"}},{"labels":{"vector":"udp\\u0000flood"}}]}""");
        InvalidInputException e = refusedBody(alert, Map.of(), Set.of());
        assertThat(e.field()).isEqualTo("alerts[1].labels.vector");
        assertThat(e.getMessage()).isEqualTo("alerts[1].labels.vector: contains a control character (U+0000) at position 4");

        JsonNode batch = JSON.readTree("[{\"asn\":\"AS1\"},{\"asn\":\"AS\\u001b2\"}]");
        assertThat(refusedBody(batch, Map.of(), Set.of()).field()).isEqualTo("[1].asn");
    }

    @Test
    void aBadFieldNameIsReportedOnTheObjectThatHoldsIt() throws Exception {
        JsonNode nested = JSON.readTree("{\"raw_details\":{\"ok\":1,\"k\\u0000\":1}}");
        InvalidInputException e = refusedBody(nested, Map.of("raw_details", TextLimits.RAW_DETAILS), Set.of("raw_details"));
        assertThat(e.getMessage()).isEqualTo("raw_details: field name: contains a control character (U+0000) at position 2");

        JsonNode top = JSON.readTree("{\"\\u0007\":1}");
        assertThat(refusedBody(top, Map.of(), Set.of()).getMessage()).startsWith("body: field name: contains");
    }

    @Test
    void freeTextMayHoldLineBreaksAndTabsButNoOtherControl() throws Exception {
        Map<String, Integer> limits = Map.of("source", TextLimits.SOURCE, "raw_details", TextLimits.RAW_DETAILS);
        Set<String> prose = Set.of("raw_details");
        JsonNode lines = JSON.readTree("{\"source\":\"fnm\",\"raw_details\":{\"log\":[\"line 1\\r\\n\\tline 2\"]}}");
        assertThatCode(() -> TextLimits.body(lines, limits, prose)).doesNotThrowAnyException();

        JsonNode escape = JSON.readTree("{\"raw_details\":{\"log\":[\"colour \\u001b[31m\"]}}");
        assertThat(refusedBody(escape, limits, prose).getMessage())
                .isEqualTo("raw_details.log[0]: contains a control character (U+001B) at position 8");

        // Outside free text a line break is as refused as any control character: it would split a log line.
        JsonNode source = JSON.readTree("{\"source\":\"fnm\\nforged\"}");
        assertThat(refusedBody(source, limits, prose).getMessage())
                .isEqualTo("source: contains a control character (U+000A) at position 4");
    }

    @Test
    void aNamedObjectIsLimitedByItsJsonText() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode raw = body.putObject("raw_details");
        for (int i = 0; i < 700; i++) {
            raw.put("k" + i, "v".repeat(90));
        }
        int text = raw.toString().length();
        assertThat(text).isGreaterThan(TextLimits.RAW_DETAILS);
        InvalidInputException e = refusedBody(body, Map.of("raw_details", TextLimits.RAW_DETAILS), Set.of("raw_details"));
        assertThat(e.getMessage()).isEqualTo("raw_details: " + text + " characters of JSON, at most 65536");

        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> TextLimits.jsonText("body", body, TextLimits.RAW_DETAILS)).field()).isEqualTo("body");
    }
}
