package net.rampart.server.backup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import net.rampart.server.config.BackupConfig;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import net.rampart.server.logging.Logging;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.DatabaseUnavailableException;
import net.rampart.store.backup.BackupException;
import net.rampart.store.backup.DatabaseRestore;
import net.rampart.store.backup.PgTools;

/**
 * {@code ./rampart restore FILE [--force]}: restores a backup into the database the service's
 * settings name (the embedded one in {@code RAMPART_DATA_DIR}, or {@code RAMPART_DATABASE_URL}),
 * with the service stopped. A database that holds tables is refused unless {@code --force}, which
 * drops them first. Exit codes as the command line's: 0 done, 1 failed, 2 usage or settings.
 */
public final class RestoreCommand {

    static final String USAGE = """
            Usage: ./rampart restore FILE [--force]
            Restores a backup (./rampart backup, or a file of RAMPART_BACKUP_DIR) into the database the
            service's settings name: the embedded one in RAMPART_DATA_DIR, or RAMPART_DATABASE_URL.
            Stop the service first. A database that holds tables is refused unless --force, which drops
            them first. The next ./rampart serve migrates the restored schema to this version's.""";

    private RestoreCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), Path.of(".env"), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, Path dotEnv, PrintStream out, PrintStream err) {
        Path file = null;
        boolean force = false;
        for (String arg : args) {
            switch (arg) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--force" -> force = true;
                default -> {
                    if (arg.startsWith("-") || file != null) {
                        err.println("rampart: restore: unexpected argument '" + arg + "'\n" + USAGE);
                        return 2;
                    }
                    file = Path.of(arg);
                }
            }
        }
        if (file == null) {
            err.println("rampart: restore: which backup? give its file\n" + USAGE);
            return 2;
        }
        DatabaseSettings database;
        PgTools tools;
        try {
            Settings settings = Settings.load(environment, dotEnv);
            ServerConfig config = ServerConfig.from(settings);
            // The embedded server's start and stop are not news to someone restoring.
            Logging.configure("WARN", Optional.empty(), "restore");
            database = config.database();
            tools = PgTools.locate(BackupConfig.from(settings, config.dataDir()).pgBin(), BackupConfig.PG_BIN);
        } catch (ConfigException e) {
            err.println("rampart: configuration error: " + e.getMessage());
            return 2;
        } catch (BackupException e) {
            err.println("rampart: restore: " + e.getMessage());
            return 1;
        }
        try {
            if (database.isEmbedded()) {
                Optional<Long> running = Database.embeddedServerRunning(database);
                if (running.isPresent()) {
                    err.println("rampart: restore: a PostgreSQL server (process " + running.get() + ") runs on "
                            + database.embeddedDataDirectory() + ": stop the service first");
                    return 1;
                }
            }
            try (Database target = Database.openUnmigrated(database)) {
                long tables = new DatabaseRestore(target, tools).restore(file, force);
                out.println("restored " + file + " into " + where(database) + ": " + tables
                        + " tables, sequences and views; start the service with ./rampart serve");
                return 0;
            }
        } catch (BackupException | DatabaseUnavailableException | IOException e) {
            err.println("rampart: restore: " + e.getMessage());
            return 1;
        }
    }

    private static String where(DatabaseSettings database) {
        return database.isEmbedded() ? "the embedded database in " + database.embeddedDataDirectory()
                : "the database " + ServerConfig.DATABASE_URL + " names";
    }
}
