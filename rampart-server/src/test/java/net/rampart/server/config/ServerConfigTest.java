package net.rampart.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @TempDir
    Path dir;

    private ServerConfig config(Map<String, String> values) throws ConfigException {
        Map<String, String> withDataDir = new HashMap<>(values);
        withDataDir.putIfAbsent(ServerConfig.DATA_DIR, dir.resolve("data").toString());
        return ServerConfig.from(new Settings(withDataDir));
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        var config = ServerConfig.from(new Settings(Map.of(ServerConfig.DATA_DIR, dir.toString())));
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.bmpPort()).isEqualTo(11019);
        assertThat(config.rtrPort()).isEqualTo(3323);
        assertThat(config.bindAddress().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(config.database().isEmbedded()).isTrue();
        assertThat(config.database().embeddedDataDirectory()).isEqualTo(dir.resolve("postgres"));
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(config.sentryDsn()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "RAMPART_HTTP_PORT, abc, not a port number",
            "RAMPART_HTTP_PORT, 65536, not a port number",
            "RAMPART_HTTP_PORT, -1, not a port number",
            "RAMPART_BMP_PORT, 11019x, not a port number",
            "RAMPART_RTR_PORT, 3.5, not a port number",
            "RAMPART_BIND_ADDRESS, example.com, is not an IP address",
            "RAMPART_BIND_ADDRESS, 300.1.1.1, is not an IP address",
            "RAMPART_BIND_ADDRESS, 010.0.0.1, has a leading zero",
            "RAMPART_LOG_LEVEL, LOUD, not one of",
            "RAMPART_DATABASE_URL, mysql://db/rampart, must start with postgresql://",
            "RAMPART_DATABASE_URL, postgresql://db, needs a host and a database name",
            "SENTRY_DSN, not a url, not an http:// or https:// URL",
            "SENTRY_DSN, https://sentry.example/1, must look like https://PUBLIC_KEY@host/PROJECT_ID",
    })
    void badValueNamesTheSettingAndTheProblem(String name, String value, String problem) {
        assertThatThrownBy(() -> config(Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((ConfigException) e).setting()).isEqualTo(name));
    }

    @Test
    void twoListenersOnOnePortAreRefused() {
        assertThatThrownBy(() -> config(Map.of(ServerConfig.HTTP_PORT, "9000", ServerConfig.RTR_PORT, "9000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port 9000 is also set for");
    }

    @Test
    void portZeroTurnsAListenerOffAndMayRepeat() throws Exception {
        var config = config(Map.of(ServerConfig.BMP_PORT, "0", ServerConfig.RTR_PORT, "0"));
        assertThat(config.enabledPorts()).containsOnlyKeys(ServerConfig.HTTP_PORT);
    }

    @Test
    void aNewDataDirIsOwnerOnly() throws Exception {
        Path data = dir.resolve("new/data");
        config(Map.of(ServerConfig.DATA_DIR, data.toString()));
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void dataDirThatCannotBeCreatedIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> config(Map.of(ServerConfig.DATA_DIR, file.resolve("sub").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("RAMPART_DATA_DIR: cannot create directory");
    }

    @Test
    void libpqStyleDatabaseUrlBecomesJdbcWithCredentials() throws Exception {
        var database = config(Map.of(ServerConfig.DATABASE_URL,
                "postgresql://rampart:s3cret@db.internal:5433/rampart?sslmode=require")).database();
        assertThat(database.isEmbedded()).isFalse();
        assertThat(database.jdbcUrl()).contains("jdbc:postgresql://db.internal:5433/rampart?sslmode=require");
        assertThat(database.user()).contains("rampart");
        assertThat(database.password()).contains("s3cret");
    }

    @Test
    void jdbcDatabaseUrlIsUsedAsItIs() throws Exception {
        var database = config(Map.of(ServerConfig.DATABASE_URL, "jdbc:postgresql://127.0.0.1/rampart?user=x")).database();
        assertThat(database.jdbcUrl()).contains("jdbc:postgresql://127.0.0.1/rampart?user=x");
    }

    @Test
    void ipv6BindAddressAndLevelsAreAccepted() throws Exception {
        var config = config(Map.of(ServerConfig.BIND_ADDRESS, "::1", ServerConfig.LOG_LEVEL, "debug",
                ServerConfig.SENTRY_DSN, "http://key@127.0.0.1:9000/42"));
        assertThat(config.bindAddress().isLoopbackAddress()).isTrue();
        assertThat(config.logLevel()).isEqualTo("DEBUG");
        assertThat(config.sentryDsn()).isPresent();
    }
}
