package net.rampart.store.backup;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.rampart.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of the whole database in one directory, each a pg_dump archive in its custom format
 * ({@code rampart-20261207T031500123Z.dump}): one consistent snapshot of every table, taken while
 * the service runs (pg_dump reads in one repeatable-read transaction and blocks no writer), and
 * checked readable by pg_restore before it gets its name, so that a file with a backup's name is
 * always a whole backup. One backup at a time.
 */
public final class DatabaseBackups {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBackups.class);
    private static final Pattern NAME = Pattern.compile("rampart-\\d{8}T\\d{9}Z\\.dump");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** A dump that takes longer is stopped: something holds it (a lock), and the next one may pass. */
    private static final Duration DUMP_LIMIT = Duration.ofHours(6);
    private static final Duration CHECK_LIMIT = Duration.ofMinutes(10);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** One backup in the directory. */
    public record Backup(String name, long bytes, Instant createdAt) {
    }

    private final Database database;
    private final Path directory;
    private final Clock clock;

    public DatabaseBackups(Database database, Path directory, Clock clock) {
        this.database = database;
        this.directory = directory;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    /** Takes a backup now with {@code tools} and returns it once it is whole on disk. */
    public synchronized Backup create(PgTools tools) throws BackupException {
        check(tools);
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String name = "rampart-" + STAMP.format(at) + ".dump";
        Path partial = directory.resolve(name + ".partial");
        long begin = System.nanoTime();
        try {
            // A backup holds every table, the tokens' hashes among them: for Rampart's account only.
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            PgTools.Result dump = tools.pgDump(PgTools.connection(database),
                    List.of("--format=custom", "--file=" + partial), DUMP_LIMIT);
            if (!dump.ok()) {
                throw new BackupException("pg_dump failed (exit code " + dump.exitCode() + "): " + dump.output().strip());
            }
            PgTools.Result check = tools.pgRestore(null, List.of("--list", partial.toString()), CHECK_LIMIT);
            if (!check.ok()) {
                throw new BackupException("pg_dump's archive does not read back (pg_restore --list, exit code "
                        + check.exitCode() + "): " + check.output().strip());
            }
            Path file = directory.resolve(name);
            Files.setPosixFilePermissions(partial, OWNER_ONLY_FILE);
            moveIntoPlace(partial, file);
            Backup backup = new Backup(name, Files.size(file), at);
            log.atInfo().addKeyValue("event", "backup_created").addKeyValue("file", file.toString())
                    .addKeyValue("bytes", backup.bytes())
                    .addKeyValue("duration_ms", Duration.ofNanos(System.nanoTime() - begin).toMillis())
                    .log("database backup written");
            return backup;
        } catch (IOException e) {
            throw new BackupException("the backup could not be written to " + directory + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void moveIntoPlace(Path partial, Path file) throws IOException {
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, file);
        }
    }

    /** Checks that {@code tools} can dump this database: pg_dump refuses a server newer than itself. */
    public void check(PgTools tools) throws BackupException {
        tools.requireFor(serverMajorVersion());
    }

    private int serverMajorVersion() throws BackupException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SHOW server_version_num")) {
            r.next();
            return Integer.parseInt(r.getString(1)) / 10_000;
        } catch (SQLException e) {
            throw new BackupException("the database cannot be reached: " + e.getMessage(), e);
        }
    }

    /** The backups in the directory, newest first. */
    public List<Backup> list() throws IOException {
        List<Backup> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (NAME.matcher(name).matches() && Files.isRegularFile(file)) {
                    out.add(new Backup(name, Files.size(file), createdAt(name)));
                }
            }
        }
        out.sort(Comparator.comparing(Backup::createdAt).reversed());
        return out;
    }

    private static Instant createdAt(String name) {
        return Instant.from(STAMP.parse(name.substring("rampart-".length(), name.length() - ".dump".length())));
    }

    /** The file of the backup named {@code name}; empty for a name that is not a backup's, or one not there. */
    public Optional<Path> file(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = directory.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Deletes all but the newest {@code keep} backups; returns those deleted. */
    public synchronized List<Backup> prune(int keep) throws IOException {
        List<Backup> all = list();
        List<Backup> deleted = new ArrayList<>();
        for (Backup old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(directory.resolve(old.name()));
            deleted.add(old);
            log.atInfo().addKeyValue("event", "backup_deleted").addKeyValue("file", old.name())
                    .addKeyValue("keep", keep).log("old backup deleted");
        }
        return deleted;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.atWarn().addKeyValue("event", "backup_cleanup_failed").addKeyValue("file", file.toString())
                    .log("an unfinished backup file could not be deleted: {}", e.getMessage());
        }
    }
}
