package net.rampart.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Database backups (docs/operations.md, "Backups"): where they go, how often the service takes
 * one by itself, how many are kept, and where PostgreSQL's pg_dump and pg_restore are.
 *
 * @param directory where backups are written ({@code RAMPART_BACKUP_DIR}, {@code backups} in the data directory)
 * @param schedule  how often the service takes a backup by itself; empty for never ({@code RAMPART_BACKUP_SCHEDULE})
 * @param keep      how many of the newest backups are kept after each new one ({@code RAMPART_BACKUP_KEEP})
 * @param pgBin     the directory of pg_dump and pg_restore; empty to look in {@code pg-client/bin}
 *                  (where deploy/install-pg-client.sh puts them), then on the {@code PATH} ({@code RAMPART_PG_BIN})
 */
public record BackupConfig(Path directory, Optional<Duration> schedule, int keep, Optional<Path> pgBin) {

    public static final String DIRECTORY = "RAMPART_BACKUP_DIR";
    public static final String SCHEDULE = "RAMPART_BACKUP_SCHEDULE";
    public static final String KEEP = "RAMPART_BACKUP_KEEP";
    public static final String PG_BIN = "RAMPART_PG_BIN";
    /** Where deploy/install-pg-client.sh installs the programs, relative to the working directory as .env is. */
    private static final Path INSTALLED = Path.of("pg-client", "bin");

    public static BackupConfig from(Settings settings, Path dataDir) throws ConfigException {
        Path directory = settings.text(DIRECTORY).map(Path::of).orElse(dataDir.resolve("backups"));
        Optional<Duration> schedule = settings.text(SCHEDULE).isEmpty() ? Optional.empty()
                : Optional.of(settings.duration(SCHEDULE, Duration.ZERO, Duration.ofMinutes(1), Duration.ofDays(366)));
        int keep = settings.integer(KEEP, 7, 1, 10_000);
        Optional<Path> pgBin = settings.text(PG_BIN).map(Path::of);
        if (pgBin.isPresent() && !Files.isDirectory(pgBin.get())) {
            throw new ConfigException(PG_BIN, pgBin.get() + " is not a directory");
        }
        if (pgBin.isEmpty() && Files.isExecutable(INSTALLED.resolve("pg_dump"))) {
            pgBin = Optional.of(INSTALLED.toAbsolutePath());
        }
        return new BackupConfig(directory, schedule, keep, pgBin);
    }
}
