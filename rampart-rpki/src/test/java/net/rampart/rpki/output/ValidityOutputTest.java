package net.rampart.rpki.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.rpki.OriginValidation;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

/**
 * The validity shapes as a JSON mapper writes them. There is no golden file for Routinator's
 * validity answer, so the expected text is its documented shape; compared as written text,
 * so field order counts too.
 */
class ValidityOutputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant GENERATED = Instant.parse("2024-05-01T12:00:00Z");
    private static final RoaIndex ROAS = new RoaIndex(VrpSet.of(List.of(Vrp.parse("192.0.2.0/24", 24, 64496),
            Vrp.parse("192.0.2.0/24", 24, 64497), Vrp.parse("198.51.100.0/22", 23, 64496))));

    private static OriginValidation validate(String prefix, long asn) {
        return ROAS.validate(IpPrefix.parse(prefix), asn);
    }

    /** Both sides through the mapper: the expected text may be laid out for reading. */
    private static void assertWritten(Map<String, Object> actual, String expected) throws JsonProcessingException {
        assertThat(MAPPER.writeValueAsString(actual)).isEqualTo(MAPPER.writeValueAsString(MAPPER.readTree(expected)));
    }

    @Test
    void routinatorValidRouteListsTheVrpsByOutcomeWithoutAReason() throws JsonProcessingException {
        // AS and maximum length as text, as Routinator writes them; no "reason" unless invalid.
        assertWritten(ValidityOutput.routinator(validate("192.0.2.0/24", 64496), GENERATED), """
                {"validated_route": {
                   "route": {"origin_asn": "AS64496", "prefix": "192.0.2.0/24"},
                   "validity": {
                     "state": "valid",
                     "description": "At least one VRP Matches the Route Prefix",
                     "VRPs": {
                       "matched": [{"asn": "AS64496", "prefix": "192.0.2.0/24", "max_length": "24"}],
                       "unmatched_as": [{"asn": "AS64497", "prefix": "192.0.2.0/24", "max_length": "24"}],
                       "unmatched_length": []}}},
                 "generatedTime": "2024-05-01T12:00:00Z"}
                """);
    }

    @Test
    void routinatorInvalidRouteSaysWhy() throws JsonProcessingException {
        // Too long for the /22's maximum of 23: the reason sits between state and description.
        assertWritten(ValidityOutput.routinator(validate("198.51.100.0/24", 64496), GENERATED), """
                {"validated_route": {
                   "route": {"origin_asn": "AS64496", "prefix": "198.51.100.0/24"},
                   "validity": {
                     "state": "invalid",
                     "reason": "length",
                     "description": "At least one VRP Covers the Route Prefix, but the Route Prefix length is greater than the maximum length allowed by VRP(s) matching this route origin ASN",
                     "VRPs": {
                       "matched": [],
                       "unmatched_as": [],
                       "unmatched_length": [{"asn": "AS64496", "prefix": "198.51.100.0/22", "max_length": "23"}]}}},
                 "generatedTime": "2024-05-01T12:00:00Z"}
                """);
    }

    @Test
    void rampartResultHasNumbersAndANullReasonWhenNotInvalid() throws JsonProcessingException {
        // Rampart's own shape: AS and maximum length as numbers, "reason" always present.
        assertWritten(ValidityOutput.rampart(validate("203.0.113.0/24", 64496)), """
                {"prefix": "203.0.113.0/24", "asn": 64496, "state": "not-found", "reason": null,
                 "matched": [], "unmatched_as": [], "unmatched_length": []}
                """);
        assertWritten(ValidityOutput.rampart(validate("192.0.2.0/24", 64497)), """
                {"prefix": "192.0.2.0/24", "asn": 64497, "state": "valid", "reason": null,
                 "matched": [{"asn": 64497, "prefix": "192.0.2.0/24", "max_length": 24}],
                 "unmatched_as": [{"asn": 64496, "prefix": "192.0.2.0/24", "max_length": 24}],
                 "unmatched_length": []}
                """);
    }

    @Test
    void rampartInvalidResultSaysWhy() throws JsonProcessingException {
        assertWritten(ValidityOutput.rampart(validate("192.0.2.0/24", 64511)), """
                {"prefix": "192.0.2.0/24", "asn": 64511, "state": "invalid", "reason": "as",
                 "matched": [], "unmatched_as": [{"asn": 64496, "prefix": "192.0.2.0/24", "max_length": 24},
                   {"asn": 64497, "prefix": "192.0.2.0/24", "max_length": 24}],
                 "unmatched_length": []}
                """);
    }
}
