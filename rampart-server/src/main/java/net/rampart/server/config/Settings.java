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
     * A duration: plain seconds ({@code 600}) or a number with a unit ({@code 500ms}, {@code 30s},
     * {@code 10m}, {@code 24h}, {@code 7d}).
     */
    public Duration duration(String name, Duration fallback, Duration min, Duration max) throws ConfigException {
        var value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(value.get().toLowerCase(Locale.ROOT));
        if (parsed == null) {
            throw new ConfigException(name, "'" + value.get() + "' is not a duration (e.g. 600, 30s, 10m, 24h, 7d)");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new ConfigException(name, "'" + value.get() + "' is outside " + min + " to " + max);
        }
        return parsed;
    }

    private static Duration parseDuration(String text) {
        int split = 0;
        while (split < text.length() && Character.isDigit(text.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 12) {
            return null;
        }
        long amount = Long.parseLong(text.substring(0, split));
        return switch (text.substring(split)) {
            case "", "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> null;
        };
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
