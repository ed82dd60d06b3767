package net.rampart.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSecurityConfigTest {

    @TempDir
    Path dir;

    private static ApiSecurityConfig config(Map<String, String> values) throws ConfigException {
        return ApiSecurityConfig.from(new Settings(values));
    }

    @Test
    void defaultsRequireTokensAndLeaveMetricsPublic() throws Exception {
        ApiSecurityConfig c = config(Map.of());
        assertThat(c.tokensRequired()).isTrue();
        assertThat(c.metricsPublic()).isTrue();
        assertThat(c.requestsPerSecond()).isEqualTo(50);
        assertThat(c.burst()).isEqualTo(100);
        assertThat(c.tls()).isEmpty();
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(config(Map.of("RAMPART_API_AUTH", "off")).tokensRequired()).isFalse();
        assertThat(config(Map.of("RAMPART_SESSION_TTL", "90m")).sessionTtl()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void aBadValueNamesItsSetting() {
        assertThatThrownBy(() -> config(Map.of("RAMPART_API_AUTH", "maybe")))
                .hasMessageStartingWith("RAMPART_API_AUTH: 'maybe' is not one of");
        assertThatThrownBy(() -> config(Map.of("RAMPART_API_RATE_LIMIT", "0")))
                .hasMessageStartingWith("RAMPART_API_RATE_LIMIT:");
        assertThatThrownBy(() -> config(Map.of("RAMPART_SESSION_TTL", "10s")))
                .hasMessageStartingWith("RAMPART_SESSION_TTL: '10s' is outside");
        assertThatThrownBy(() -> config(Map.of("RAMPART_SESSION_TTL", "soon")))
                .hasMessageStartingWith("RAMPART_SESSION_TTL:");
    }

    @Test
    void tlsSettingsComeTogetherAndMustHoldPem() throws Exception {
        Path notPem = Files.writeString(dir.resolve("cert.pem"), "hello");
        assertThatThrownBy(() -> config(Map.of("RAMPART_TLS_KEY", notPem.toString())))
                .hasMessageStartingWith("RAMPART_TLS_CERT: required with RAMPART_TLS_KEY");
        assertThatThrownBy(() -> config(Map.of("RAMPART_TLS_CLIENT_CA", notPem.toString())))
                .hasMessageStartingWith("RAMPART_TLS_CLIENT_CA: client certificates need HTTPS");
        assertThatThrownBy(() -> config(Map.of("RAMPART_TLS_CERT", notPem.toString(), "RAMPART_TLS_KEY", notPem.toString())))
                .hasMessageStartingWith("RAMPART_TLS_CERT:");
        assertThatThrownBy(() -> config(Map.of("RAMPART_TLS_CERT", dir.resolve("absent.pem").toString(),
                "RAMPART_TLS_KEY", notPem.toString()))).hasMessageStartingWith("RAMPART_TLS_CERT: cannot read");
    }
}
