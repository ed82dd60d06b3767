package net.rampart.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rampart's PostgreSQL: an external server, or an embedded one whose data stays under the data
 * directory across restarts. Opening it applies the Flyway migrations; closing it closes the pool
 * and stops the embedded server. An embedded server that an earlier run left running on the
 * directory is stopped before the new one starts ({@link #leftover()} says what was found).
 *
 * <p>The embedded server is private to the account that runs Rampart: it listens on 127.0.0.1
 * only, its data directory is owner-only, and every connection (TCP or local socket) must give
 * the superuser's password, which is generated on the first start and kept in an owner-only file
 * beside the data directory ({@link DatabaseSettings#embeddedPasswordFile()}). Without it any
 * local account could connect as superuser and, through {@code COPY ... TO PROGRAM}, run commands
 * as Rampart.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long the builder waits for a started server to take connections. Crash recovery after
     * the server was killed replays the log written since its last checkpoint, which takes a while
     * on a slow disk; longer than this, something else is wrong.
     */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    /** How long a server an earlier run left running gets to finish its shutdown checkpoint. */
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(30);
    private static final String SUPERUSER = "postgres";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Where reachability checks wait for the pool, so that their callers need not. */
    private static final Executor REACHABILITY_CHECKS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "database-reachability");
        t.setDaemon(true);
        return t;
    });
    /** What the embedded server's pg_hba.conf says once Rampart has set the password; no rule trusts. */
    private static final String PASSWORD_ONLY_HBA = """
            # Written by Rampart: every connection must give the password kept in the owner-only
            # file beside this data directory. No connection gets in without it; the server listens on 127.0.0.1.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    /** Watches the embedded server and starts it again when its process dies; null for an external server. */
    private final EmbeddedServerWatch embedded;
    private final HikariDataSource pool;
    /** The last reachability check, which may still wait for a connection. */
    private CompletableFuture<Boolean> reachability;
    private final EmbeddedLeftover leftover;
    private final DatabaseSettings settings;
    /** The embedded server's superuser password; null for an external server. */
    private final String embeddedPassword;

    private Database(EmbeddedServerWatch embedded, HikariDataSource pool, EmbeddedLeftover leftover,
                     DatabaseSettings settings, String embeddedPassword) {
        this.embedded = embedded;
        this.pool = pool;
        this.leftover = leftover;
        this.settings = settings;
        this.embeddedPassword = embeddedPassword;
    }

    /** Starts (when embedded) and connects to the database, then migrates its schema. */
    public static Database open(DatabaseSettings settings) throws DatabaseUnavailableException {
        return open(settings, true);
    }

    /**
     * Starts (when embedded) and connects to the database and leaves its schema as it is: for a
     * restore, which brings the schema of its dump and its migration history.
     */
    public static Database openUnmigrated(DatabaseSettings settings) throws DatabaseUnavailableException {
        return open(settings, false);
    }

    private static Database open(DatabaseSettings settings, boolean migrating) throws DatabaseUnavailableException {
        Embedded embedded = settings.isEmbedded() ? startEmbedded(settings) : null;
        EmbeddedPostgres server = embedded == null ? null : embedded.server();
        HikariDataSource pool = null;
        try {
            pool = connect(settings, embedded);
            if (migrating) {
                migrate(pool);
            }
            EmbeddedServerWatch watch = embedded == null ? null : watch(embedded, settings);
            return new Database(watch, pool, embedded == null ? EmbeddedLeftover.NONE : embedded.leftover(),
                    settings, embedded == null ? null : embedded.password());
        } catch (DatabaseUnavailableException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            stopEmbedded(server);
            throw e;
        }
    }

    /** Starts watching a started embedded server; a server on the same directory and port replaces it when it dies. */
    private static EmbeddedServerWatch watch(Embedded embedded, DatabaseSettings settings)
            throws DatabaseUnavailableException {
        Path directory = settings.embeddedDataDirectory().toAbsolutePath();
        int port = embedded.server().getPort();
        try {
            return new EmbeddedServerWatch(embedded.server(), directory, () -> startServer(
                    serverBuilder(directory, settings.embeddedPasswordFile(), embedded.password()).setPort(port),
                    directory));
        } catch (IOException e) {
            throw new DatabaseUnavailableException("the embedded PostgreSQL in " + directory
                    + " started but left no readable postmaster.pid: " + rootMessage(e), e);
        }
    }

    /** A started embedded server, its superuser's password and what it found of an earlier server. */
    private record Embedded(EmbeddedPostgres server, String password, EmbeddedLeftover leftover) {
        @Override
        public String toString() {
            // The record's generated toString would print the password.
            return "Embedded[port=" + server.getPort() + "]";
        }
    }

    private static Embedded startEmbedded(DatabaseSettings settings) throws DatabaseUnavailableException {
        var directory = settings.embeddedDataDirectory().toAbsolutePath();
        var passwordFile = settings.embeddedPasswordFile();
        var hba = directory.resolve("pg_hba.conf");
        boolean existing = Files.isRegularFile(directory.resolve("PG_VERSION"));
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            // PostgreSQL also accepts a group-readable data directory; keep it to the owner.
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            // Data directories made before Rampart kept a password trust every local connection.
            boolean trusting = existing && trustsAnyone(hba);
            if (existing && !trusting && !Files.exists(passwordFile)) {
                throw new DatabaseUnavailableException("the embedded PostgreSQL in " + directory
                        + " requires a password and its file " + passwordFile + " is missing: restore the file, "
                        + "or set every METHOD in pg_hba.conf to trust so that the next start sets a new password");
            }
            String password = storedPassword(passwordFile);
            EmbeddedLeftover leftover = LeftoverServer.clear(directory, LEFTOVER_STOP_WAIT);
            var postgres = startServer(directory, passwordFile, password);
            if (trusting) {
                postgres = requirePassword(postgres, directory, passwordFile, password);
            }
            log.atInfo().addKeyValue("event", "database_started")
                    .addKeyValue("embedded", true)
                    .addKeyValue("data_directory", directory.toString())
                    .addKeyValue("existing_data", existing)
                    .addKeyValue("port", postgres.getPort())
                    .addKeyValue("duration_ms", Duration.ofNanos(System.nanoTime() - started).toMillis())
                    .log("embedded PostgreSQL started");
            return new Embedded(postgres, password, leftover);
        } catch (IOException | SQLException | RuntimeException e) {
            throw new DatabaseUnavailableException("embedded PostgreSQL did not start in " + directory + ": "
                    + rootMessage(e), e);
        }
    }

    private static EmbeddedPostgres startServer(Path directory, Path passwordFile, String password)
            throws IOException, DatabaseUnavailableException {
        return startServer(serverBuilder(directory, passwordFile, password), directory);
    }

    private static EmbeddedPostgres startServer(EmbeddedPostgres.Builder builder, Path directory)
            throws IOException, DatabaseUnavailableException {
        long begin = System.nanoTime();
        try {
            return builder.start();
        } catch (IOException e) {
            // Giving up, the builder reports only its last failed connection ("Connection refused").
            if (Duration.ofNanos(System.nanoTime() - begin).compareTo(STARTUP_WAIT) >= 0) {
                throw new DatabaseUnavailableException("embedded PostgreSQL in " + directory
                        + " did not take connections within " + STARTUP_WAIT.toSeconds()
                        + " s of starting; PostgreSQL's own messages are in the log lines before this one", e);
            }
            throw e;
        }
    }

    private static EmbeddedPostgres.Builder serverBuilder(Path directory, Path passwordFile, String password) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The library starts the server for throwaway test databases: with -F (fsync off) and
                // synchronous_commit off, so that a commit returns before its WAL is on disk. Rampart's
                // history drops a batch from its spool once the commit returns, so both must be on or
                // a crash loses routes the spool no longer holds. These -c options come after -F and win.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // initdb runs only for a new data directory. The builder passes these to it as
                // --auth=scram-sha-256 --pwfile=<file> after its own "-A trust", and initdb takes the
                // last -A: the cluster is created requiring the password, never trusting anyone.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                // The builder waits for the server by connecting as postgres, which needs the password.
                .setConnectConfig("password", password)
                .setPGStartupWait(STARTUP_WAIT);
    }

    /**
     * Sets the superuser's password on a server that trusted every local connection, stops it,
     * replaces its pg_hba.conf with password-only rules and starts it again: a reload would apply
     * the rules some moment later, a restart before anything else can connect.
     */
    private static EmbeddedPostgres requirePassword(EmbeddedPostgres postgres, Path directory, Path passwordFile,
                                                    String password)
            throws IOException, SQLException, DatabaseUnavailableException {
        try (Connection connection = DriverManager.getConnection(loopbackUrl(postgres.getPort()), SUPERUSER,
                password); Statement statement = connection.createStatement()) {
            // ALTER ROLE takes no bind parameters; standard_conforming_strings is on, so doubling
            // quotes is all the literal needs.
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password.replace("'", "''") + "'");
        } finally {
            postgres.close();
        }
        // Written only once the password is set: a crash before this leaves the trust rules, and the
        // next start repeats the upgrade with the same stored password.
        writeOwnerOnly(directory.resolve("pg_hba.conf"), PASSWORD_ONLY_HBA);
        log.atInfo().addKeyValue("event", "database_password_required")
                .addKeyValue("data_directory", directory.toString())
                .addKeyValue("password_file", passwordFile.toString())
                .log("the embedded PostgreSQL trusted every local connection (made by an older Rampart); "
                        + "it now requires the password kept in " + passwordFile);
        return startServer(directory, passwordFile, password);
    }

    /** True when a rule in pg_hba.conf has the method trust. */
    private static boolean trustsAnyone(Path hba) throws IOException {
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            int comment = line.indexOf('#');
            String rule = (comment < 0 ? line : line.substring(0, comment)).strip();
            // A database or user named "trust" would also match; that errs on the side of upgrading.
            if (Arrays.asList(rule.split("\\s+")).contains("trust")) {
                return true;
            }
        }
        return false;
    }

    /** The password in the file, or a new random one written to it when there is none. */
    private static String storedPassword(Path file) throws IOException {
        if (Files.exists(file)) {
            // An operator may have copied the file back with wider permissions.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IOException(file + " is empty");
            }
            return password;
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        writeOwnerOnly(file, password + "\n");
        return password;
    }

    /**
     * Replaces the file with the text, atomically and durably, the file owner-only from the moment
     * it exists: losing the password file after the server took the password would lock Rampart out.
     */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new", OWNER_ONLY_FILE);
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String loopbackUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static HikariDataSource connect(DatabaseSettings settings, Embedded embedded)
            throws DatabaseUnavailableException {
        var config = new HikariConfig();
        config.setPoolName("rampart");
        if (embedded != null) {
            config.setJdbcUrl(loopbackUrl(embedded.server().getPort()));
            config.setUsername(SUPERUSER);
            config.setPassword(embedded.password());
        } else {
            config.setJdbcUrl(settings.jdbcUrl().orElseThrow());
            settings.user().ifPresent(config::setUsername);
            settings.password().ifPresent(config::setPassword);
        }
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        config.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseUnavailableException("cannot connect: " + rootMessage(e), e);
        }
    }

    private static void migrate(DataSource dataSource) throws DatabaseUnavailableException {
        try {
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    // Each area owns a range of versions (see db/migration/README.md); areas land
                    // in any order, so a lower version may arrive after a higher one was applied.
                    .outOfOrder(true)
                    .load()
                    .migrate();
            log.atInfo().addKeyValue("event", "database_migrated")
                    .addKeyValue("applied", result.migrationsExecuted)
                    .addKeyValue("schema_version", result.targetSchemaVersion)
                    .log("database schema is current");
        } catch (FlywayException e) {
            throw new DatabaseUnavailableException("schema migration failed: " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * The process id of the embedded PostgreSQL running on {@code settings}' data directory now,
     * a running service's among them; empty when none runs there. Stops nothing.
     */
    public static Optional<Long> embeddedServerRunning(DatabaseSettings settings) throws IOException {
        return LeftoverServer.running(settings.embeddedDataDirectory().toAbsolutePath());
    }

    /**
     * How PostgreSQL's own programs (pg_dump, pg_restore) reach this database.
     *
     * @throws IllegalArgumentException for an external server's JDBC URL they cannot take (several hosts)
     */
    public PgConnection connection() {
        if (embedded != null) {
            return new PgConnection("127.0.0.1", embedded.server().getPort(), "postgres", SUPERUSER, embeddedPassword,
                    null);
        }
        return PgConnection.ofJdbc(settings.jdbcUrl().orElseThrow(), settings.user().orElse(null),
                settings.password().orElse(null));
    }

    /**
     * True when a connection can be had and answers within the timeout. The pool waits up to its
     * connection timeout (5 s) for a connection while the server is away; a readiness probe must
     * not, so the wait runs on a thread of its own and the answer is false once the timeout has
     * passed. A check still waiting from before answers false at once rather than queue another.
     */
    public boolean isReachable(Duration timeout) {
        CompletableFuture<Boolean> check;
        synchronized (this) {
            if (reachability != null && !reachability.isDone()) {
                return false;
            }
            check = CompletableFuture.supplyAsync(() -> {
                try (Connection connection = pool.getConnection()) {
                    return connection.isValid((int) Math.max(1, timeout.toSeconds()));
                } catch (SQLException e) {
                    return false;
                }
            }, REACHABILITY_CHECKS);
            reachability = check;
        }
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** What the embedded server's start found of an earlier server on its data directory. */
    public EmbeddedLeftover leftover() {
        return leftover;
    }

    @Override
    public void close() {
        pool.close();
        stopServerNow();
    }

    /**
     * Stops the embedded server without closing the pool first, for a forced exit: what is stuck
     * may be a session, or the pool itself. pg_ctl's fast shutdown ends the sessions, rolling back
     * their transactions, and gives up after a few seconds. Runtime.halt skips shutdown hooks, the
     * builder's own included, so without this the server outlives Rampart and holds the data
     * directory. Does nothing for an external database; a server already stopped is not stopped twice.
     */
    public void stopServerNow() {
        if (embedded != null) {
            // First, so that a server stopped on purpose is not started again.
            embedded.close();
            stopEmbedded(embedded.server());
        }
    }

    private static void stopEmbedded(EmbeddedPostgres embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
            log.atInfo().addKeyValue("event", "database_stopped").addKeyValue("embedded", true)
                    .log("embedded PostgreSQL stopped");
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.replace('\n', ' ').strip();
    }
}
