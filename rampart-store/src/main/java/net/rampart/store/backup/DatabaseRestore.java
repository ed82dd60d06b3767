package net.rampart.store.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.rampart.store.Database;

/**
 * Restores a backup ({@link DatabaseBackups}) into a database that holds nothing yet, or, when
 * told to replace, into one whose tables are dropped first. The database is opened without
 * migrating ({@link Database#openUnmigrated}): the backup brings its schema and its migration
 * history, and the service's next start migrates it on from there. All of it or nothing: the
 * restore runs in one transaction.
 */
public final class DatabaseRestore {

    private static final Duration RESTORE_LIMIT = Duration.ofHours(12);
    private static final Duration CHECK_LIMIT = Duration.ofMinutes(10);
    /** Tables, views, sequences and the like outside PostgreSQL's own schemas. */
    private static final String USER_RELATIONS = """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'""";

    private final Database database;
    private final PgTools tools;

    /** @param database opened with {@link Database#openUnmigrated} */
    public DatabaseRestore(Database database, PgTools tools) {
        this.database = database;
        this.tools = tools;
    }

    /**
     * Restores {@code backup}.
     *
     * @param replace drop what the database holds first; without it, a database holding any
     *                table is refused and left as it is
     * @return how many tables the database holds after the restore
     */
    public long restore(Path backup, boolean replace) throws BackupException {
        if (!Files.isReadable(backup)) {
            throw new BackupException(backup + " cannot be read");
        }
        PgTools.Result list = tools.pgRestore(null, List.of("--list", backup.toString()), CHECK_LIMIT);
        if (!list.ok()) {
            throw new BackupException(backup + " is not a backup pg_restore can read: " + list.output().strip());
        }
        try {
            long held = userRelations();
            if (held > 0 && !replace) {
                throw new BackupException("the database already holds " + held + " tables, sequences or views; "
                        + "restore into an empty one, or give --force to replace what it holds");
            }
            if (held > 0) {
                dropEverything();
            }
        } catch (SQLException e) {
            throw new BackupException("the database cannot be read: " + e.getMessage(), e);
        }
        PgTools.Result restore = tools.pgRestore(PgTools.connection(database),
                List.of("--single-transaction", "--exit-on-error", "--no-owner", backup.toString()), RESTORE_LIMIT);
        if (!restore.ok()) {
            throw new BackupException("pg_restore failed (exit code " + restore.exitCode()
                    + "), nothing was restored: " + restore.output().strip());
        }
        try {
            return userRelations();
        } catch (SQLException e) {
            throw new BackupException("the restored database cannot be read: " + e.getMessage(), e);
        }
    }

    private long userRelations() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(USER_RELATIONS)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Every schema but PostgreSQL's own, dropped with what it holds; an empty public schema made again. */
    private void dropEverything() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            List<String> schemas = new ArrayList<>();
            try (ResultSet r = s.executeQuery("""
                    SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema')
                      AND nspname NOT LIKE 'pg\\_%'""")) {
                while (r.next()) {
                    schemas.add(r.getString(1));
                }
            }
            for (String schema : schemas) {
                s.execute("DROP SCHEMA \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
            }
            s.execute("CREATE SCHEMA public");
            c.commit();
        }
    }
}
