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
 * @param risLive      RIPE RIS Live as a second source of routes; its URL empty turns it off
 */
public record DetectConfig(Optional<Path> monitorsFile, Optional<URI> publicUrl, RisLiveConfig risLive) {

    public static final String MONITORS = "RAMPART_MONITORS";
    public static final String PUBLIC_URL = "RAMPART_PUBLIC_URL";

    public static DetectConfig from(Settings settings) throws ConfigException {
        Optional<Path> monitors = monitorsFile(settings);
        RisLiveConfig risLive = RisLiveConfig.from(settings);
        if (risLive.url().isPresent() && monitors.isEmpty()) {
            // RIS Live is subscribed to the monitored prefixes: without them it would hear nothing.
            throw new ConfigException(RisLiveConfig.URL, "needs " + MONITORS + ", the prefixes it subscribes to");
        }
        return new DetectConfig(monitors, publicUrl(settings), risLive);
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
