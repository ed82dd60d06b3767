package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rampart backup [--to DIR]}: the running service takes a backup of its whole database
 * into its backup directory; with {@code --to}, the backup is also downloaded into DIR here.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = {"Back up the running service's whole database (pg_dump, one consistent snapshot) into its",
                "RAMPART_BACKUP_DIR, keeping the newest RAMPART_BACKUP_KEEP; restore one with ./rampart restore.",
                "Needs an admin token."})
final class BackupCommand implements Callable<Integer> {

    @ParentCommand
    RampartCli cli;

    @Option(names = "--to", paramLabel = "DIR", description = "Also download the backup into this directory.")
    Path to;

    @Override
    public Integer call() throws InterruptedException {
        if (to != null && !Files.isDirectory(to)) {
            System.err.println("rampart: --to: " + to + " is not a directory");
            return Exit.USAGE;
        }
        ApiClient api = cli.api();
        ApiClient.Answer taken = api.postAndWait("/api/v1/backups");
        if (!taken.ok()) {
            return ApiClient.exitCode(taken);
        }
        JsonNode backup = taken.body();
        String name = backup.path("name").asText();
        System.out.printf("backup %s: %,d bytes, taken %s%n", name, backup.path("bytes").asLong(),
                backup.path("created_at").asText());
        if (to == null) {
            return Exit.OK;
        }
        Path file = to.resolve(name);
        ApiClient.Answer downloaded = api.download("/api/v1/backups/" + ApiClient.query(name), file);
        if (!downloaded.ok()) {
            return ApiClient.exitCode(downloaded);
        }
        System.out.println("downloaded to " + file);
        return Exit.OK;
    }
}
