package net.rampart.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The detect area's settings (see docs/configuration.md, "Detection").
 *
 * @param monitorsFile the monitors YAML; empty turns detection off
 */
public record DetectConfig(Optional<Path> monitorsFile) {

    public static final String MONITORS = "RAMPART_MONITORS";

    public static DetectConfig from(Settings settings) throws ConfigException {
        Optional<String> value = settings.text(MONITORS);
        if (value.isEmpty()) {
            return new DetectConfig(Optional.empty());
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
        return new DetectConfig(Optional.of(file));
    }
}
