package net.rampart.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The detect area's settings (see docs/configuration.md, "Detection").
 *
 * @param monitorsFile the monitors YAML; empty turns detection off
 * @param publicUrl    where people reach the API, for the link a notification carries; empty
 *                     means this host's address and the HTTP port
 */
public record DetectConfig(Optional<Path> monitorsFile, Optional<URI> publicUrl) {

    public static final String MONITORS = "RAMPART_MONITORS";
    public static final String PUBLIC_URL = "RAMPART_PUBLIC_URL";

    public static DetectConfig from(Settings settings) throws ConfigException {
        return new DetectConfig(monitorsFile(settings), publicUrl(settings));
    }

    private static Optional<URI> publicUrl(Settings settings) throws ConfigException {
        Optional<String> value = settings.text(PUBLIC_URL);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI url = new URI(value.get());
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return Optional.of(url);
            }
        } catch (URISyntaxException e) {
            // Reported below, in the same words as a URL of another scheme.
        }
        throw new ConfigException(PUBLIC_URL, "'" + value.get() + "' is not an http(s)://host[:port] URL");
    }

    private static Optional<Path> monitorsFile(Settings settings) throws ConfigException {
        Optional<String> value = settings.text(MONITORS);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(value.get()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(MONITORS, "'" + value.get() + "' is not a path");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(MONITORS, file + " is not a readable file");
        }
        return Optional.of(file);
    }
}
