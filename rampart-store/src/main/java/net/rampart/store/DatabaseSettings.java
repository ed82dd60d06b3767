package net.rampart.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Rampart's PostgreSQL lives.
 *
 * @param jdbcUrl       an external server's JDBC URL, or empty to run an embedded PostgreSQL
 * @param user          user for the external server (may also be in the URL)
 * @param password      password for the external server (may also be in the URL)
 * @param embeddedDataDirectory where the embedded server keeps its data, kept across restarts
 *                              (owner-only; its password is in {@link #embeddedPasswordFile()})
 */
public record DatabaseSettings(Optional<String> jdbcUrl, Optional<String> user, Optional<String> password,
                               Path embeddedDataDirectory) {

    public static DatabaseSettings embedded(Path dataDirectory) {
        return new DatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), dataDirectory);
    }

    public static DatabaseSettings external(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(Optional.of(jdbcUrl), Optional.ofNullable(user), Optional.ofNullable(password),
                Path.of("unused"));
    }

    /**
     * The owner-only file holding the embedded server's superuser password: beside the data
     * directory rather than in it, because initdb needs it before the directory may hold anything.
     */
    public Path embeddedPasswordFile() {
        Path directory = embeddedDataDirectory.toAbsolutePath();
        return directory.resolveSibling(directory.getFileName() + ".password");
    }

    public boolean isEmbedded() {
        return jdbcUrl.isEmpty();
    }
}
