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
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Rampart's PostgreSQL: an external server, or an embedded one whose data stays under the data
 * directory across restarts. Opening it applies the Flyway migrations; closing it closes the pool
 * and stops the embedded server.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
    }

    /** Starts (when embedded) and connects to the database, then migrates its schema. */
    public static Database open(DatabaseSettings settings) throws DatabaseUnavailableException {
        EmbeddedPostgres embedded = settings.isEmbedded() ? startEmbedded(settings) : null;
        HikariDataSource pool = null;
        try {
            pool = connect(settings, embedded);
            migrate(pool);
            return new Database(embedded, pool);
        } catch (DatabaseUnavailableException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            stopEmbedded(embedded);
            throw e;
        }
    }

    private static EmbeddedPostgres startEmbedded(DatabaseSettings settings) throws DatabaseUnavailableException {
        var directory = settings.embeddedDataDirectory().toAbsolutePath();
        boolean existing = Files.isRegularFile(directory.resolve("PG_VERSION"));
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
            var postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            log.atInfo().addKeyValue("event", "database_started")
                    .addKeyValue("embedded", true)
                    .addKeyValue("data_directory", directory.toString())
                    .addKeyValue("existing_data", existing)
                    .addKeyValue("port", postgres.getPort())
                    .addKeyValue("duration_ms", Duration.ofNanos(System.nanoTime() - started).toMillis())
                    .log("embedded PostgreSQL started");
            return postgres;
        } catch (IOException | RuntimeException e) {
            throw new DatabaseUnavailableException("embedded PostgreSQL did not start in " + directory + ": "
                    + rootMessage(e), e);
        }
    }

    private static HikariDataSource connect(DatabaseSettings settings, EmbeddedPostgres embedded)
            throws DatabaseUnavailableException {
        var config = new HikariConfig();
        config.setPoolName("rampart");
        if (embedded != null) {
            config.setJdbcUrl(embedded.getJdbcUrl("postgres", "postgres"));
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

    /** True when a connection can be had and answers within the timeout. */
    public boolean isReachable(Duration timeout) {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        pool.close();
        stopEmbedded(embedded);
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
