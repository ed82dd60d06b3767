package net.rampart.rpki.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.Vrp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadParserTest {

    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    private static SourceData parse(String text) throws IOException {
        return PayloadParser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test", NOW);
    }

    private static SourceData parseTestdata(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Testdata.rpki(name))) {
            return PayloadParser.parse(in, name, NOW);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"000", "001", "010", "011", "100", "101", "110", "111"})
    void routinatorGoldenJsonAndCsvCarryTheSameVrps(String set) throws IOException {
        SourceData json = parseTestdata("routinator-" + set + ".json");
        SourceData csv = parseTestdata("routinator-" + set + ".csv");
        assertThat(json.format()).isEqualTo("routinator");
        assertThat(csv.format()).isEqualTo("csv");
        assertThat(json.vrps()).isEqualTo(csv.vrps());
        assertThat(json.rejectedCount()).isZero();
        assertThat(json.generatedAt()).isEqualTo(Instant.EPOCH);
        boolean hasRoas = set.charAt(0) == '1';
        assertThat(json.vrps().toList()).isEqualTo(hasRoas ? java.util.List.of(Vrp.parse("12.34.56.0/24", 24, 1234))
                : java.util.List.of());
        assertThat(json.routerKeys()).hasSize(set.charAt(1) == '1' ? 2 : 0);
        assertThat(json.aspas()).hasSize(set.charAt(2) == '1' ? 2 : 0);
        if (set.charAt(2) == '1') {
            assertThat(json.aspas().get(0)).isEqualTo(new AspaRecord(1234, new long[] {1, 2, 3, 4}));
        }
    }

    @Test
    void stayrtrSampleIsRecognisedWithItsAspasAndKeys() throws IOException {
        SourceData data = parseTestdata("stayrtr-test.rpki.json");
        assertThat(data.format()).isEqualTo("stayrtr");
        assertThat(data.generatedAt()).isEqualTo(Instant.parse("2023-07-27T18:56:02Z"));
        assertThat(data.vrps().size()).isEqualTo(19);
        assertThat(data.vrps().contains(Vrp.parse("2001:4248::/32", 64, 30999))).isTrue();
        assertThat(data.aspas()).contains(new AspaRecord(15562, new long[] {2914, 8283, 51088, 206238}));
        assertThat(data.routerKeys()).hasSize(3);
        assertThat(data.vrps().countByTrustAnchor()).containsEntry("ripe", 3).containsEntry("apnic", 8);
    }

    @Test
    void rpkiClientStyleWithExpiryDropsExpiredEntries() throws IOException {
        SourceData data = parse("""
                {"metadata": {"buildtime": "2024-01-01T00:00:00Z"},
                 "roas": [
                   {"asn": 13335, "prefix": "1.0.0.0/24", "maxLength": 24, "ta": "apnic", "expires": 1800000000},
                   {"asn": 13335, "prefix": "1.1.1.0/24", "maxLength": 24, "ta": "apnic", "expires": 1600000000}],
                 "aspas": [{"customer_asid": 64496, "expires": 1800000000, "providers": [64498, 64497]}]}
                """);
        assertThat(data.format()).isEqualTo("rpki-client");
        assertThat(data.vrps().toList()).containsExactly(Vrp.parse("1.0.0.0/24", 24, 13335));
        assertThat(data.rejected()).containsEntry("expired", 1);
        assertThat(data.vrps().expires(0)).as("the expiry is kept with the VRP").isEqualTo(1_800_000_000L);
        assertThat(data.aspas()).containsExactly(new AspaRecord(64496, new long[] {64497, 64498}));
    }

    @Test
    void routinatorJsonextGivesTheLatestChainEndOfTheRoasBehindAVrp() throws IOException {
        SourceData data = parse("""
                {"metadata": {"generated": 1704067200, "generatedTime": "2024-01-01T00:00:00Z"},
                 "roas": [
                   {"asn": "AS64496", "prefix": "192.0.2.0/24", "maxLength": 24, "source": [
                     {"type": "roa", "uri": "rsync://example.net/a.roa", "tal": "ripe",
                      "validity": {"notBefore": "2023-01-01T00:00:00Z", "notAfter": "2025-01-01T00:00:00Z"},
                      "chainValidity": {"notBefore": "2023-01-01T00:00:00Z", "notAfter": "2024-06-01T00:00:00Z"}},
                     {"type": "roa", "uri": "rsync://example.net/b.roa", "tal": "ripe",
                      "validity": {"notBefore": "2023-01-01T00:00:00Z", "notAfter": "2024-09-01T00:00:00Z"},
                      "chainValidity": {"notBefore": "2023-01-01T00:00:00Z", "notAfter": "2024-09-01T00:00:00Z"}}]},
                   {"asn": "AS64497", "prefix": "198.51.100.0/24", "maxLength": 24, "source": [
                     {"type": "roa", "uri": "rsync://example.net/c.roa", "tal": "arin",
                      "validity": {"notBefore": "2023-01-01T00:00:00Z", "notAfter": "2024-03-01T00:00:00Z"}}]},
                   {"asn": "AS64498", "prefix": "203.0.113.0/24", "maxLength": 24, "ta": "apnic",
                    "source": [{"type": "roa", "validity": {}}]}]}
                """);
        assertThat(data.format()).isEqualTo("routinator");
        assertThat(data.vrps().toList()).containsExactly(Vrp.parse("192.0.2.0/24", 24, 64496),
                Vrp.parse("198.51.100.0/24", 24, 64497), Vrp.parse("203.0.113.0/24", 24, 64498));
        assertThat(data.vrps().expires(0)).isEqualTo(Instant.parse("2024-09-01T00:00:00Z").getEpochSecond());
        assertThat(data.vrps().expires(1)).as("no chain validity: the ROA's own")
                .isEqualTo(Instant.parse("2024-03-01T00:00:00Z").getEpochSecond());
        assertThat(data.vrps().expires(2)).as("no end given: unknown").isZero();
        assertThat(data.vrps().countByTrustAnchor()).containsEntry("ripe", 1).containsEntry("arin", 1)
                .containsEntry("apnic", 1);
    }

    @Test
    void strictValidationDropsAndCountsBadEntries() throws IOException {
        SourceData data = parse("""
                {"metadata": {"generated": 1700000000, "generatedTime": "2023-11-14T22:13:20Z"},
                 "roas": [
                   {"asn": "AS64496", "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe"},
                   {"asn": "AS4294967296", "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe"},
                   {"asn": "AS64496", "prefix": "192.0.2.1/24", "maxLength": 24, "ta": "ripe"},
                   {"asn": "AS64496", "prefix": "192.0.2.0/24", "maxLength": 33, "ta": "ripe"},
                   {"asn": "AS64496", "prefix": "192.0.2.0/24", "maxLength": 23, "ta": "ripe"},
                   {"asn": "AS64496", "prefix": "2001:db8::/32", "maxLength": 129, "ta": "ripe"},
                   {"asn": "AS64496", "prefix": "2001:db8::/32", "maxLength": 48, "ta": "ripe"}]}
                """);
        assertThat(data.vrps().size()).isEqualTo(2);
        assertThat(data.rejected()).containsEntry("asn", 1).containsEntry("prefix", 1).containsEntry("max_length", 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"roas\": [", "{\"roas\": 5}", "[1,2]", "<html>", "{\"something\": 1}"})
    void malformedOrForeignContentFailsTheFetch(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(IOException.class);
    }
}
