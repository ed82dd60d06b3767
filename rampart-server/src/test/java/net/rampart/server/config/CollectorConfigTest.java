package net.rampart.server.config;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorConfigTest {

    @Test
    void allowlistIsReadFromTheSetting() throws Exception {
        var config = CollectorConfig.from(new Settings(Map.of(CollectorConfig.BMP_ALLOW, "192.0.2.0/24, 2001:db8::/32")));
        assertThat(config.allowlist().permits(InetAddress.getByName("192.0.2.10"))).isTrue();
        assertThat(config.allowlist().permits(InetAddress.getByName("198.51.100.1"))).isFalse();
    }

    @Test
    void unsetAllowsEverySource() throws Exception {
        assertThat(CollectorConfig.from(new Settings(Map.of())).allowlist().allowsAll()).isTrue();
    }

    @Test
    void badEntryNamesTheSetting() {
        assertThatThrownBy(() -> CollectorConfig.from(new Settings(Map.of(CollectorConfig.BMP_ALLOW, "10.0.0.0/8,core-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("RAMPART_BMP_ALLOW: 'core-1' is not an IP address");
    }
}
