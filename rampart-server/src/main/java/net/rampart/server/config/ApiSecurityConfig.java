package net.rampart.server.config;

import net.rampart.server.security.TlsMaterial;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the HTTP API is protected (see docs/security.md).
 *
 * @param tokensRequired  bearer tokens on every API route ({@code RAMPART_API_AUTH=tokens}), or none ({@code off})
 * @param metricsPublic   {@code /metrics} without a token, as Prometheus scrapes by default
 * @param requestsPerSecond each token's sustained request rate
 * @param burst           requests a token may make at once above that rate
 * @param tls             HTTPS, and client certificates when a client CA is set; empty for plain HTTP
 * @param sessionTtl      how long a dashboard sign-in lasts ({@code RAMPART_SESSION_TTL})
 */
public record ApiSecurityConfig(boolean tokensRequired, boolean metricsPublic, int requestsPerSecond, int burst,
                                Optional<TlsMaterial> tls, Duration sessionTtl) {

    public static final String API_AUTH = "RAMPART_API_AUTH";
    public static final String METRICS_PUBLIC = "RAMPART_METRICS_PUBLIC";
    public static final String RATE_LIMIT = "RAMPART_API_RATE_LIMIT";
    public static final String RATE_BURST = "RAMPART_API_RATE_BURST";
    public static final String TLS_CERT = "RAMPART_TLS_CERT";
    public static final String TLS_KEY = "RAMPART_TLS_KEY";
    public static final String TLS_CLIENT_CA = "RAMPART_TLS_CLIENT_CA";
    public static final String SESSION_TTL = "RAMPART_SESSION_TTL";

    public static ApiSecurityConfig from(Settings settings) throws ConfigException {
        boolean tokens = settings.choice(API_AUTH, "TOKENS", "TOKENS", "OFF").equals("TOKENS");
        int rate = settings.integer(RATE_LIMIT, 50, 1, 1_000_000);
        int burst = settings.integer(RATE_BURST, Math.max(100, rate * 2), 1, 10_000_000);
        Duration sessionTtl = settings.duration(SESSION_TTL, Duration.ofHours(12), Duration.ofMinutes(1),
                Duration.ofDays(30));
        return new ApiSecurityConfig(tokens, settings.bool(METRICS_PUBLIC, true), rate, burst, tls(settings),
                sessionTtl);
    }

    private static Optional<TlsMaterial> tls(Settings settings) throws ConfigException {
        Optional<String> cert = settings.text(TLS_CERT);
        Optional<String> key = settings.text(TLS_KEY);
        Optional<String> clientCa = settings.text(TLS_CLIENT_CA);
        if (cert.isEmpty() && key.isEmpty()) {
            if (clientCa.isPresent()) {
                throw new ConfigException(TLS_CLIENT_CA, "client certificates need HTTPS: set " + TLS_CERT + " and "
                        + TLS_KEY + " too");
            }
            return Optional.empty();
        }
        if (cert.isEmpty()) {
            throw new ConfigException(TLS_CERT, "required with " + TLS_KEY);
        }
        if (key.isEmpty()) {
            throw new ConfigException(TLS_KEY, "required with " + TLS_CERT);
        }
        return Optional.of(new TlsMaterial(
                TlsMaterial.certificates(TLS_CERT, Path.of(cert.get())),
                TlsMaterial.privateKey(TLS_KEY, Path.of(key.get())),
                clientCa.isEmpty() ? null : TlsMaterial.certificates(TLS_CLIENT_CA, Path.of(clientCa.get()))));
    }
}
