package net.rampart.rpki.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.rpki.source.PayloadParser;
import net.rampart.rpki.source.SourceData;
import net.rampart.rpki.source.Testdata;

class SlurmTest {

    private static Slurm parse(String json) throws IOException {
        return SlurmParser.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rfc8416ExampleFromStayrtrFiltersAndAsserts() throws IOException {
        Slurm slurm;
        try (InputStream in = Files.newInputStream(Testdata.rpki("stayrtr-slurm.json"))) {
            slurm = SlurmParser.parse(in);
        }
        assertThat(slurm.prefixFilters()).hasSize(3);
        assertThat(slurm.bgpsecFilters()).hasSize(3);
        assertThat(slurm.prefixAssertions()).hasSize(2);
        RpkiSnapshot in = RpkiSnapshot.of(VrpSet.of(List.of(Vrp.parse("192.0.2.0/25", 25, 65000),
                Vrp.parse("203.0.113.0/24", 24, 64496), Vrp.parse("198.51.100.0/24", 24, 64497),
                Vrp.parse("198.51.100.0/24", 24, 64498))), List.of(), List.of());
        RpkiSnapshot out = slurm.apply(in);
        assertThat(out.vrps().toList()).containsExactly(Vrp.parse("198.51.100.0/24", 24, 64496),
                Vrp.parse("198.51.100.0/24", 24, 64498), Vrp.parse("2001:db8::/32", 48, 64496));
        assertThat(out.routerKeys()).hasSize(1);
    }

    @Test
    void stayrtrTestSlurmAppliesToItsTestData() throws IOException {
        Slurm slurm;
        try (InputStream in = Files.newInputStream(Testdata.rpki("stayrtr-test.slurm.json"))) {
            slurm = SlurmParser.parse(in);
        }
        SourceData data;
        try (InputStream in = Files.newInputStream(Testdata.rpki("stayrtr-test.rpki.json"))) {
            data = PayloadParser.parse(in, "test", Instant.parse("2024-01-01T00:00:00Z"));
        }
        RpkiSnapshot out = slurm.apply(RpkiSnapshot.of(data.vrps(), data.aspas(), data.routerKeys()));
        assertThat(out.vrps().size()).isEqualTo(data.vrps().size() + 1);
        assertThat(out.vrps().contains(Vrp.parse("10.2.0.0/25", 26, 65002))).isTrue();
    }

    @Test
    void aspaMembersFilterAndReplace() throws IOException {
        Slurm slurm = parse("""
                {"slurmVersion": 2,
                 "validationOutputFilters": {"prefixFilters": [], "bgpsecFilters": [],
                   "aspaFilters": [{"customerAsid": 64496}]},
                 "locallyAddedAssertions": {"prefixAssertions": [], "bgpsecAssertions": [],
                   "aspaAssertions": [{"customerAsid": 64497, "providerSet": [64500, 64501]}]}}
                """);
        RpkiSnapshot out = slurm.apply(RpkiSnapshot.of(VrpSet.empty(), List.of(new AspaRecord(64496, new long[] {1}),
                new AspaRecord(64497, new long[] {2}), new AspaRecord(64498, new long[] {3})), List.of()));
        assertThat(out.aspas()).containsExactly(new AspaRecord(64497, new long[] {64500, 64501}),
                new AspaRecord(64498, new long[] {3}));
    }

    @Test
    void badFilesAreRejectedWithAReason() {
        assertThatThrownBy(() -> parse("{\"slurmVersion\": 3}")).hasMessageContaining("slurmVersion");
        assertThatThrownBy(() -> parse("""
                {"slurmVersion": 1, "locallyAddedAssertions": {"prefixAssertions": [
                  {"asn": 1, "prefix": "10.0.0.1/8"}]}}""")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> parse("""
                {"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"comment": "x"}]}}"""))
                .hasMessageContaining("prefix or an asn");
    }

    @Test
    void aBadEditKeepsThePreviousVersionAndAGoodOneReplacesIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("local.json");
        Files.writeString(f, """
                {"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"asn": 64496}]}}""");
        SlurmFiles files = new SlurmFiles(List.of(f));
        assertThat(files.reloadIfChanged()).isTrue();
        assertThat(files.current().prefixFilters()).hasSize(1);
        Files.writeString(f, "{ broken");
        assertThat(files.reloadIfChanged()).isFalse();
        assertThat(files.current().prefixFilters()).hasSize(1);
        assertThat(files.failures()).isEqualTo(1);
        assertThat(files.states().get(0).error()).contains("not JSON");
        Files.writeString(f, """
                {"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"asn": 1}, {"asn": 2}]}}""");
        assertThat(files.reloadIfChanged()).isTrue();
        assertThat(files.current().prefixFilters()).hasSize(2);
    }

    @Test
    void atStartABadFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.json"), """
                {"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"asn": 64496}]}}""");
        // Valid JSON, but not SLURM: there is no previous version to keep, so start must fail.
        Path notSlurm = Files.writeString(dir.resolve("not-slurm.json"), """
                {"validationOutputFilters": {"prefixFilters": []}}""");
        assertThatThrownBy(() -> SlurmFiles.load(List.of(good, notSlurm)))
                .isInstanceOf(IOException.class)
                .hasMessage(notSlurm + ": slurmVersion must be 1 or 2");
    }

    @Test
    void afterTheStartABadEditKeepsTheVersionLoadedAtStart(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("local.json"), """
                {"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"asn": 64496}]}}""");
        SlurmFiles files = SlurmFiles.load(List.of(f));
        // Read by load itself: in force at once, and not read again while unchanged.
        assertThat(files.current().prefixFilters()).hasSize(1);
        assertThat(files.reloadIfChanged()).isFalse();
        assertThat(files.states().get(0).loaded()).isTrue();

        Files.writeString(f, "{ broken");
        assertThat(files.reloadIfChanged()).isFalse();
        assertThat(files.current().prefixFilters()).hasSize(1);
        assertThat(files.failures()).isEqualTo(1);
        assertThat(files.states().get(0).error()).contains("not JSON");
        assertThat(files.states().get(0).loaded()).isTrue();

        Files.writeString(f, """
                {"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"asn": 1}, {"asn": 2}]}}""");
        assertThat(files.reloadIfChanged()).isTrue();
        assertThat(files.current().prefixFilters()).hasSize(2);
    }
}
