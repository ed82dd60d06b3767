package net.rampart.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The command against a stand-in for the service's backup endpoints: what it asks for, prints and writes. */
class BackupCommandTest {

    private static final String NAME = "rampart-20261207T031500123Z.dump";
    private static final String TAKEN = "{\"name\":\"" + NAME + "\",\"bytes\":123456,\"created_at\":\"2026-12-07T03:15:00.123Z\"}";

    private CliHarness cli;

    @BeforeEach
    void start() throws Exception {
        cli = new CliHarness("/api/v1/backups", TAKEN);
        cli.status = 201;
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run("admin-token", args);
    }

    @Test
    void asksTheServiceForABackupAndPrintsIt() {
        assertThat(run("backup")).isZero();

        assertThat(cli.requests.get()).isEqualTo(1);
        assertThat(cli.authorization.get()).isEqualTo("Bearer admin-token");
        assertThat(cli.out()).contains(NAME, "123,456 bytes", "2026-12-07T03:15:00.123Z");
    }

    @Test
    void downloadsTheBackupWholeIntoTheDirectoryGiven(@TempDir Path dir) throws Exception {
        byte[] archive = new byte[200_000];
        for (int i = 0; i < archive.length; i++) {
            archive[i] = (byte) (i * 7);
        }
        cli.serve("/api/v1/backups/" + NAME, exchange -> {
            exchange.sendResponseHeaders(200, archive.length);
            exchange.getResponseBody().write(archive);
            exchange.close();
        });

        assertThat(run("backup", "--to", dir.toString())).isZero();

        assertThat(dir.resolve(NAME)).hasBinaryContent(archive);
        assertThat(Files.getPosixFilePermissions(dir.resolve(NAME)))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(NAME));
        }
        assertThat(cli.out()).contains("downloaded to " + dir.resolve(NAME));
    }

    @Test
    void aFailedBackupIsReportedWithItsDetailAndNothingIsWritten(@TempDir Path dir) throws Exception {
        cli.status = 503;
        cli.answer = "{\"error\":\"backup_failed\",\"detail\":\"pg_dump was not found on the PATH\"}";

        assertThat(run("backup", "--to", dir.toString())).isEqualTo(1);

        assertThat(cli.err()).contains("rampart: backup_failed: pg_dump was not found on the PATH");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDownloadTheServiceRefusesLeavesNoFile(@TempDir Path dir) throws Exception {
        cli.serve("/api/v1/backups/" + NAME, exchange -> {
            byte[] body = "{\"error\":\"not_found\",\"detail\":\"no backup named x\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        assertThat(run("backup", "--to", dir.toString())).isEqualTo(1);

        assertThat(cli.err()).contains("rampart: not_found: no backup named x");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aMissingDirectoryIsAUsageError(@TempDir Path dir) {
        assertThat(run("backup", "--to", dir.resolve("absent").toString())).isEqualTo(2);
        assertThat(cli.requests.get()).isZero();
    }
}
