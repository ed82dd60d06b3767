package net.rampart.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The first admin credential. The CLI needs an admin token to create tokens, so when the
 * database holds no active admin token the service makes one and writes it to
 * {@code admin.token} in the data directory, readable by its owner only — the operator who can
 * read the data directory already controls the service.
 */
public final class AdminTokenFile {

    public static final String FILE_NAME = "admin.token";
    private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);

    private AdminTokenFile() {
    }

    /** Creates the admin token and its file when there is no active admin token; returns the file when it did. */
    public static Optional<Path> ensure(ApiTokens tokens, Path dataDir) throws SQLException, IOException {
        if (tokens.hasActiveAdmin()) {
            return Optional.empty();
        }
        ApiTokenSecret secret = tokens.create("bootstrap-admin", Scope.ADMIN, "service");
        Path file = dataDir.resolve(FILE_NAME);
        Path partial = Files.createTempFile(dataDir, FILE_NAME, ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, secret.secret() + "\n", StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.atWarn().addKeyValue("event", "admin_token_created").addKeyValue("file", file.toString())
                .addKeyValue("token_id", secret.id())
                .log("No admin API token existed: created one in " + file + " (owner-only); use it to create "
                        + "the tokens people and tools use, then revoke it or keep the file safe");
        return Optional.of(file);
    }
}
