package net.rampart.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the command line finds its API token: {@code RAMPART_API_TOKEN}, else the admin token
 * the service wrote into its data directory on first start (readable by its owner only, so
 * this works for the operator who runs the service).
 */
final class ApiToken {

    static final String VARIABLE = "RAMPART_API_TOKEN";
    static final String FILE_NAME = "admin.token";

    private ApiToken() {
    }

    static Optional<String> find(Map<String, String> environment) {
        String given = environment.getOrDefault(VARIABLE, "").strip();
        if (!given.isEmpty()) {
            return Optional.of(given);
        }
        try {
            String token = Files.readString(file(environment), StandardCharsets.US_ASCII).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException absentOrUnreadable) {
            return Optional.empty();
        }
    }

    /** Where {@link #find} looked, for the operator when it found nothing. */
    static String notFound(Map<String, String> environment) {
        return "no API token found: " + VARIABLE + " is not set and " + file(environment) + " cannot be read";
    }

    private static Path file(Map<String, String> environment) {
        String dataDir = environment.getOrDefault("RAMPART_DATA_DIR", "").strip();
        return Path.of(dataDir.isEmpty() ? "data" : dataDir, FILE_NAME);
    }
}
