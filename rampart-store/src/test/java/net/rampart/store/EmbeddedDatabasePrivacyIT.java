package net.rampart.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded PostgreSQL lets in only whoever can read its password file, and only over loopback. */
class EmbeddedDatabasePrivacyIT {

    @Test
    void onlyTheStoredPasswordConnectsAndItIsKeptOwnerOnly(@TempDir Path dataDir) throws Exception {
        var settings = DatabaseSettings.embedded(dataDir.resolve("postgres"));
        Path passwordFile = settings.embeddedPasswordFile();
        String password;
        try (var database = Database.open(settings)) {
            int port = Integer.parseInt(setting(database, "port"));
            password = Files.readString(passwordFile).strip();
            // 32 random bytes in unpadded base64url.
            assertThat(password).hasSize(43);

            assertRefused(port, null);
            assertRefused(port, "not-the-password");
            try (Connection connection = connect(port, password)) {
                assertThat(connection.isValid(2)).isTrue();
            }

            assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(settings.embeddedDataDirectory()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(setting(database, "listen_addresses")).isEqualTo("127.0.0.1");
        }

        // The next start uses the password it stored rather than making a new one.
        try (var database = Database.open(settings)) {
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(password);
            try (Connection connection = connect(Integer.parseInt(setting(database, "port")), password)) {
                assertThat(connection.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void aDataDirectoryThatTrustedEveryoneIsMadePrivateOnStart(@TempDir Path dataDir) throws Exception {
        var settings = DatabaseSettings.embedded(dataDir.resolve("postgres"));
        Path pgData = settings.embeddedDataDirectory();
        Path passwordFile = settings.embeddedPasswordFile();
        try (var database = Database.open(settings)) {
            new ServiceRuns(database.dataSource()).begin("test", "here");
            // What an older Rampart left, part one: a superuser without a password.
            try (Connection connection = database.dataSource().getConnection()) {
                connection.createStatement().execute("ALTER ROLE postgres PASSWORD NULL");
            }
        }
        // Part two: initdb's trust rules, no password file, a group-readable data directory.
        Files.writeString(pgData.resolve("pg_hba.conf"), """
                local   all   all                 trust
                host    all   all   127.0.0.1/32  trust
                host    all   all   ::1/128       trust
                """);
        Files.delete(passwordFile);
        Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwxr-x---"));

        try (var database = Database.open(settings)) {
            int port = Integer.parseInt(setting(database, "port"));
            String password = Files.readString(passwordFile).strip();
            assertRefused(port, null);
            assertRefused(port, "not-the-password");
            try (Connection connection = connect(port, password)) {
                assertThat(connection.isValid(2)).isTrue();
            }
            assertThat(new ServiceRuns(database.dataSource()).count()).isEqualTo(1);
            assertThat(Files.readString(pgData.resolve("pg_hba.conf"))).doesNotContain("trust");
            assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(pgData)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aLostPasswordFileIsReportedAndNotReplaced(@TempDir Path dataDir) throws Exception {
        var settings = DatabaseSettings.embedded(dataDir.resolve("postgres"));
        try (var database = Database.open(settings)) {
            assertThat(database.isEmbedded()).isTrue();
        }
        Files.delete(settings.embeddedPasswordFile());

        // A new password would not match the one the server holds; say what is wrong instead.
        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining(settings.embeddedPasswordFile() + " is missing");
        assertThat(settings.embeddedPasswordFile()).doesNotExist();
    }

    /**
     * Without a password the driver gives up as soon as the server asks for one (08004); a wrong
     * one the server refuses (28P01). A server that trusted would let both in.
     */
    private static void assertRefused(int port, String password) {
        assertThatThrownBy(() -> connect(port, password).close())
                .isInstanceOfSatisfying(PSQLException.class,
                        e -> assertThat(e.getSQLState()).isIn("08004", "28P01", "28000"));
    }

    private static Connection connect(int port, String password) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static String setting(Database database, String name) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }
}
