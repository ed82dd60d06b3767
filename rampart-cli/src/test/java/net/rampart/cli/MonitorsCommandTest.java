package net.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rampart monitors generate} against a stand-in for the draft endpoint: what it asks and what it writes. */
class MonitorsCommandTest {

    private static final String YAML = "# Rampart monitors file: a draft for AS65000\n\nprefixes:\n"
            + "  - prefix: 192.0.2.0/24\n    description: \"seen originated by AS65000 in 2 routes\"\n"
            + "    origins: [AS65000]\n\nasns:\n  - asn: AS65000\n    upstreams: [AS65010]\n    downstreams: []\n";

    private CliHarness cli;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        String draft = ApiClient.JSON.writeValueAsString(Map.of("for_asns", new long[] {65000},
                "prefixes", new Object[] {
                        Map.of("prefix", "192.0.2.0/24", "announced", true, "description", "seen"),
                        Map.of("prefix", "192.0.2.128/25", "announced", true,
                                "description", "originated by AS65100 inside 192.0.2.0/24: delegated? check before use"),
                        Map.of("prefix", "203.0.113.0/24", "announced", false, "description", "from a VRP")},
                "asns", new Object[] {Map.of("asn", 65000)}, "yaml", YAML));
        cli = new CliHarness("/api/v1/monitors/draft", draft);
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private int run(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--url";
        all[1] = cli.url();
        all[2] = "monitors";
        all[3] = "generate";
        System.arraycopy(args, 0, all, 4, args.length);
        return RampartCli.commandLine(Map.of(ApiToken.VARIABLE, "test-token", "RAMPART_DATA_DIR", dir.toString()))
                .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)).execute(all);
    }

    @Test
    void printsTheDraftToStandardOutputAskingForEveryAsnAsANumber() {
        assertThat(run("--asn", "AS65000", "--asn", "1.10", "--asn", "65001")).isZero();

        assertThat(cli.out()).isEqualTo(YAML);
        assertThat(cli.query.get()).isEqualTo("asn=65000&asn=65546&asn=65001");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void writesANewFileAndSaysWhatIsInIt() throws Exception {
        Path file = dir.resolve("monitors.yaml");

        assertThat(run("--asn", "65000", "--output", file.toString())).isZero();

        assertThat(Files.readString(file)).isEqualTo(YAML);
        assertThat(cli.out()).isEqualTo("wrote " + file + ": 3 prefixes (2 seen announced, 1 to check), 1 ASN; "
                + "review it before use\n".replace("\n", System.lineSeparator()));
    }

    @Test
    void refusesToOverwriteAFileWithoutForceAndAsksNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), "mine\n");

        assertThat(run("--asn", "65000", "-o", file.toString())).isEqualTo(2);

        assertThat(cli.err().strip()).isEqualTo("rampart: " + file + " exists; add --force to overwrite it");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
        assertThat(cli.requests).hasValue(0);
    }

    @Test
    void overwritesWithForce() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), "mine\n");

        assertThat(run("--asn", "65000", "-o", file.toString(), "--force")).isZero();

        assertThat(Files.readString(file)).isEqualTo(YAML);
    }

    @Test
    void aBadAsnIsAUsageErrorNamingTheOptionAndNothingIsAsked() {
        assertThat(run("--asn", "AS6x")).isEqualTo(2);

        assertThat(cli.err().lines()).hasSize(1);
        assertThat(cli.err()).contains("--asn", "'AS6x' is not an AS number", "(see: rampart monitors generate --help)");
        assertThat(cli.requests).hasValue(0);
    }

    @Test
    void noAsnIsAUsageError() {
        assertThat(run()).isEqualTo(2);

        assertThat(cli.err()).contains("Missing required option: '--asn=ASN'");
        assertThat(cli.requests).hasValue(0);
    }

    @Test
    void theServicesRefusalIsExit1WithItsDetailAndNoFile() {
        cli.status = 400;
        cli.answer = "{\"error\":\"invalid_parameter\",\"detail\":\"asn: at most 50 AS numbers, not 51\"}";
        Path file = dir.resolve("monitors.yaml");

        assertThat(run("--asn", "65000", "-o", file.toString())).isEqualTo(1);

        assertThat(cli.err().strip()).isEqualTo("rampart: invalid_parameter: asn: at most 50 AS numbers, not 51");
        assertThat(file).doesNotExist();
    }
}
