package net.rampart.rpki.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;

class VrpCsvOutputTest {

    private static String write(VrpSet vrps) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VrpCsvOutput.write(vrps, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("net.rampart.rpki.output.RoutinatorGoldenSets#all")
    void writesWhatRoutinatorWritesForTheSameSet(String set) throws IOException {
        // The header, then the distinct VRP lines (see RoutinatorGoldenSets), with "N/A" for the unnamed trust anchor.
        List<String> expected = Files.readAllLines(RoutinatorGoldenSets.file(set, "csv")).stream().distinct().toList();
        String ours = write(RoutinatorGoldenSets.snapshot(set).vrps());
        assertThat(ours.lines().toList()).isEqualTo(expected);
        // Line by line hides the line ends: Routinator ends every line, the last too, with a bare \n.
        assertThat(ours).doesNotContain("\r").endsWith("\n");
    }

    @Test
    void aNamedTrustAnchorIsWrittenAsNamed() throws IOException {
        VrpSet vrps = new VrpSet.Builder().add(Vrp.parse("2001:db8::/32", 48, 64496), "ripe").build();
        // "N/A" stands only for a trust anchor the source did not name.
        assertThat(write(vrps).lines().toList())
                .containsExactly("ASN,IP Prefix,Max Length,Trust Anchor", "AS64496,2001:db8::/32,48,ripe");
    }
}
