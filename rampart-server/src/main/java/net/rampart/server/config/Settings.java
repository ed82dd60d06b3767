package net.rampart.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.rampart.wire.DurationText;

/**
 * Raw settings: environment variables over an optional {@code .env} file, read with typed getters
 * that reject a bad value with a {@link ConfigException} naming the variable. Each area of the
 * service builds its own config record from these getters.
 */
public final class Settings {

    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment over the given {@code .env} file, when it exists. */
    public static Settings load(Map<String, String> environment, Path dotEnv) throws ConfigException {
        Map<String, String> merged = new HashMap<>();
        if (Files.isRegularFile(dotEnv)) {
            merged.putAll(DotEnvFile.parse(dotEnv));
        }
        merged.putAll(environment);
        return new Settings(merged);
    }

    /** The value, or empty when unset or blank. */
    public Optional<String> text(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String text(String name, String fallback) {
        return text(name).orElse(fallback);
    }

    /** A TCP port: 1–65535, or 0 meaning the listener is off. */
    public int port(String name, int fallback) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.get());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name, "'" + value.get() + "' is not a port number (0-65535; 0 turns the listener off)");
    }

    public int integer(String name, int fallback, int min, int max) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name, "'" + value.get() + "' is not a whole number between " + min + " and " + max);
    }

    /**
     * A duration as {@link DurationText#parse} reads it: plain seconds ({@code 600}), a number
     * with a unit ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}) or ISO 8601
     * ({@code PT30S}, {@code P1D}).
     */
    public Duration duration(String name, Duration fallback, Duration min, Duration max) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed;
        try {
            parsed = DurationText.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, e.getMessage());
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new ConfigException(name, "'" + value.get() + "' is outside " + min + " to " + max);
        }
        return parsed;
    }

    public boolean bool(String name, boolean fallback) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(name, "'" + value.get() + "' is not true or false");
        };
    }

    /** One of the allowed words, case-insensitively; returned in upper case. */
    public String choice(String name, String fallback, String... allowed) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        String upper = value.get().toUpperCase(Locale.ROOT);
        for (String word : allowed) {
            if (word.equals(upper)) {
                return word;
            }
        }
        throw new ConfigException(name, "'" + value.get() + "' is not one of " + String.join(", ", allowed));
    }

    /** An absolute http(s) URL. */
    public Optional<URI> httpUrl(String name) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            var uri = new URI(value.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(name, "'" + value.get() + "' is not an http:// or https:// URL");
    }
}
