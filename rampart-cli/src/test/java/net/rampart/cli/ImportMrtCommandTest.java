package net.rampart.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command against a stand-in for the service's import endpoint: what it sends and what it prints. */
class ImportMrtCommandTest {

    /** What the stand-in answers unless a test says otherwise: a successful import. */
    private static final String ANSWER = "{\"source\":\"rrc00.updates\",\"records\":3,\"announcements\":5,\"withdrawals\":1,"
            + "\"peers\":2,\"skipped_records\":0,\"bad_records\":0,\"duration_millis\":1500}";

    private CliHarness cli;

    @BeforeEach
    void start() throws Exception {
        cli = new CliHarness("/api/v1/mrt/imports", ANSWER);
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run("test-token", args);
    }

    @Test
    void streamsTheWholeFileUnderItsNameAndPrintsTheSummary(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("rrc00.updates.gz"), content);

        assertThat(run("import-mrt", file.toString())).isZero();

        assertThat(cli.received.get()).isEqualTo(content);
        assertThat(cli.query.get()).isEqualTo("source=rrc00.updates");
        // Importing changes the RIB, so the service wants an operator token like any other change.
        assertThat(cli.authorization.get()).isEqualTo("Bearer test-token");
        assertThat(cli.out()).contains("5 announcements", "1 withdrawals", "2 peers", "in 1.5 s");
        assertThat(cli.err()).contains("100%").doesNotContain("warning");
    }

    @Test
    void theServicesRetentionWarningIsPrintedBesideTheSummary(@TempDir Path dir) throws Exception {
        cli.answer = "{\"source\":\"rrc00\",\"records\":3,\"announcements\":5,\"withdrawals\":0,\"peers\":1,"
                + "\"skipped_records\":0,\"bad_records\":0,\"duration_millis\":10,"
                + "\"oldest_record\":\"2010-02-27T16:00:00Z\",\"warning\":\"the oldest record (2010-02-27T16:00:00Z) "
                + "is older than the route history retention\"}";
        Path file = Files.write(dir.resolve("rrc00.updates.gz"), new byte[] {1, 2, 3});

        assertThat(run("import-mrt", file.toString())).isZero();

        assertThat(cli.out()).contains("5 announcements");
        assertThat(cli.err())
                .contains("warning: rrc00.updates.gz: the oldest record (2010-02-27T16:00:00Z) is older than");
    }

    @Test
    void serviceRefusalIsReportedWithItsDetail(@TempDir Path dir) throws Exception {
        cli.status = 422;
        cli.answer = "{\"error\":\"mrt_unreadable\",\"detail\":\"MRT record length 2139062143 exceeds 16777216\"}";
        Path file = Files.write(dir.resolve("junk.mrt"), new byte[] {1, 2, 3});

        assertThat(run("import-mrt", "--source", "lab", file.toString())).isEqualTo(1);

        assertThat(cli.query.get()).isEqualTo("source=lab");
        assertThat(cli.err())
                .contains("rampart: mrt_unreadable: MRT record length 2139062143 exceeds 16777216");
    }

    @Test
    void missingFileIsAUsageError(@TempDir Path dir) {
        assertThat(run("import-mrt", dir.resolve("absent.mrt").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("cannot read");
    }
}
