package net.rampart.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import net.rampart.store.DatabaseSettings;
import net.rampart.wire.ip.AddressText;

/**
 * The settings every part of the service shares (see docs/configuration.md).
 *
 * @param httpPort    REST API, metrics and the dashboard; 0 turns HTTP off
 * @param bmpPort     BMP listener for routers; 0 turns it off
 * @param rtrPort     RTR server for routers; 0 turns it off
 * @param bindAddress address every listener binds to
 * @param dataDir     where the embedded database and spools live
 * @param database    the external database, or the embedded one under the data directory
 * @param logLevel    INFO or DEBUG (and the other logback levels)
 * @param sentryDsn   where ERROR events go; empty turns Sentry off
 */
public record ServerConfig(int httpPort, int bmpPort, int rtrPort, InetAddress bindAddress, Path dataDir,
                           DatabaseSettings database, String logLevel, Optional<URI> sentryDsn) {

    public static final String HTTP_PORT = "RAMPART_HTTP_PORT";
    public static final String BMP_PORT = "RAMPART_BMP_PORT";
    public static final String RTR_PORT = "RAMPART_RTR_PORT";
    public static final String BIND_ADDRESS = "RAMPART_BIND_ADDRESS";
    public static final String DATA_DIR = "RAMPART_DATA_DIR";
    public static final String DATABASE_URL = "RAMPART_DATABASE_URL";
    public static final String LOG_LEVEL = "RAMPART_LOG_LEVEL";
    public static final String SENTRY_DSN = "SENTRY_DSN";

    public static ServerConfig from(Settings settings) throws ConfigException {
        int httpPort = settings.port(HTTP_PORT, 8080);
        int bmpPort = settings.port(BMP_PORT, 11019);
        int rtrPort = settings.port(RTR_PORT, 3323);
        requireDistinct(Map.of(HTTP_PORT, httpPort, BMP_PORT, bmpPort, RTR_PORT, rtrPort));
        Path dataDir = dataDir(settings);
        return new ServerConfig(httpPort, bmpPort, rtrPort, bindAddress(settings), dataDir,
                database(settings, dataDir),
                settings.choice(LOG_LEVEL, "INFO", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
                sentryDsn(settings));
    }

    /** The listeners that are on, by the setting that names their port. */
    public Map<String, Integer> enabledPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (var entry : List.of(Map.entry(HTTP_PORT, httpPort), Map.entry(BMP_PORT, bmpPort),
                Map.entry(RTR_PORT, rtrPort))) {
            if (entry.getValue() != 0) {
                ports.put(entry.getKey(), entry.getValue());
            }
        }
        return ports;
    }

    private static void requireDistinct(Map<String, Integer> ports) throws ConfigException {
        for (var a : ports.entrySet()) {
            for (var b : ports.entrySet()) {
                if (a.getValue() != 0 && a.getKey().compareTo(b.getKey()) < 0 && a.getValue().equals(b.getValue())) {
                    throw new ConfigException(a.getKey(), "port " + a.getValue() + " is also set for " + b.getKey());
                }
            }
        }
    }

    private static InetAddress bindAddress(Settings settings) throws ConfigException {
        String value = settings.text(BIND_ADDRESS, "0.0.0.0");
        // Only literal addresses: a name would need DNS at start and could bind somewhere unexpected.
        try {
            return AddressText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BIND_ADDRESS, e.getMessage());
        }
    }

    private static Path dataDir(Settings settings) throws ConfigException {
        String value = settings.text(DATA_DIR, "./data");
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(DATA_DIR, "'" + value + "' is not a path");
        }
        try {
            // Owner-only when created here; an existing directory is the operator's to set.
            Files.createDirectories(path,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (Exception e) {
            throw new ConfigException(DATA_DIR, "cannot create directory " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!Files.isWritable(path)) {
            throw new ConfigException(DATA_DIR, path + " is not writable");
        }
        return path;
    }

    /**
     * Accepts the libpq form ({@code postgresql://user:password@host:port/db?sslmode=require}) and
     * the JDBC form ({@code jdbc:postgresql://host:port/db?user=...}).
     */
    static DatabaseSettings database(Settings settings, Path dataDir) throws ConfigException {
        var value = settings.text(DATABASE_URL);
        if (value.isEmpty()) {
            return DatabaseSettings.embedded(dataDir.resolve("postgres"));
        }
        String url = value.get();
        if (url.startsWith("jdbc:postgresql://")) {
            return DatabaseSettings.external(url, null, null);
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new ConfigException(DATABASE_URL,
                    "must start with postgresql:// (or jdbc:postgresql://); leave it empty for the embedded database");
        }
        try {
            var uri = new URI(url);
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
                throw new ConfigException(DATABASE_URL, "needs a host and a database name, e.g. postgresql://rampart@db:5432/rampart");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : null;
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            return DatabaseSettings.external(jdbc, user, password);
        } catch (URISyntaxException e) {
            throw new ConfigException(DATABASE_URL, "is not a URL: " + e.getReason());
        }
    }

    private static Optional<URI> sentryDsn(Settings settings) throws ConfigException {
        var dsn = settings.httpUrl(SENTRY_DSN);
        if (dsn.isPresent() && (dsn.get().getUserInfo() == null || dsn.get().getPath().length() <= 1)) {
            throw new ConfigException(SENTRY_DSN, "must look like https://PUBLIC_KEY@host/PROJECT_ID");
        }
        return dsn;
    }
}
