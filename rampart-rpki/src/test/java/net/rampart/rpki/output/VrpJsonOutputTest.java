package net.rampart.rpki.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;

class VrpJsonOutputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode write(RpkiSnapshot snapshot, Instant generated) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VrpJsonOutput.write(snapshot, generated, out);
        return MAPPER.readTree(out.toByteArray());
    }

    /** The golden document with the repeats in its payload arrays left out (see RoutinatorGoldenSets). */
    private static JsonNode distinctEntries(JsonNode golden) {
        ObjectNode expected = golden.deepCopy();
        for (String field : List.of("roas", "routerKeys", "aspas")) {
            if (expected.has(field)) {
                Set<JsonNode> distinct = new LinkedHashSet<>();
                expected.get(field).forEach(distinct::add);
                ArrayNode array = expected.putArray(field);
                distinct.forEach(array::add);
            }
        }
        return expected;
    }

    /** Every field's path, in the order written: equal trees can still differ in it. */
    private static List<String> fieldOrder(JsonNode node, String at) {
        List<String> paths = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                paths.add(at + "/" + name);
                paths.addAll(fieldOrder(node.get(name), at + "/" + name));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.addAll(fieldOrder(node.get(i), at + "/" + i));
            }
        }
        return paths;
    }

    @ParameterizedTest
    @MethodSource("net.rampart.rpki.output.RoutinatorGoldenSets#all")
    void writesWhatRoutinatorWritesForTheSameSet(String set) throws IOException {
        JsonNode expected = distinctEntries(MAPPER.readTree(RoutinatorGoldenSets.file(set, "json").toFile()));
        // The golden files were generated at time 0.
        JsonNode ours = write(RoutinatorGoldenSets.snapshot(set), Instant.EPOCH);
        // Structure and values: among them "ta": "N/A" on every entry (router keys and ASPAs
        // included), and no empty array for a payload type the set lacks.
        assertThat(ours).isEqualTo(expected);
        // Field order, which equality ignores: metadata first, then roas, routerKeys, aspas.
        assertThat(fieldOrder(ours, "")).isEqualTo(fieldOrder(expected, ""));
    }

    @Test
    void aNamedTrustAnchorIsWrittenAsNamed() throws IOException {
        VrpSet vrps = new VrpSet.Builder().add(Vrp.parse("192.0.2.0/24", 24, 64496), "ripe").build();
        JsonNode ours = write(RpkiSnapshot.of(vrps, List.of(), List.of()), Instant.EPOCH);
        // "N/A" stands only for a trust anchor the source did not name.
        assertThat(ours.at("/roas/0/ta").asText()).isEqualTo("ripe");
    }

    @Test
    void metadataCarriesTheGenerationTimeInSecondsAndAsText() throws IOException {
        JsonNode ours = write(RpkiSnapshot.empty(), Instant.parse("2024-05-01T12:00:00Z"));
        // Every golden file is at time 0, which a writer ignoring the time could also produce.
        assertThat(ours.at("/metadata/generated").asLong()).isEqualTo(1_714_564_800L);
        assertThat(ours.at("/metadata/generatedTime").asText()).isEqualTo("2024-05-01T12:00:00Z");
    }
}
