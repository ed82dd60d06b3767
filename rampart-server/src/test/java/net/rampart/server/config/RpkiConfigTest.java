package net.rampart.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpkiConfigTest {

    @Test
    void staleDataKeepsTheServiceReadyUnlessTheSettingAsks() throws Exception {
        assertThat(RpkiConfig.from(new Settings(Map.of())).readyRequiresFreshData()).isFalse();
        assertThat(RpkiConfig.from(new Settings(Map.of(RpkiConfig.READY_REQUIRES_FRESH, "yes")))
                .readyRequiresFreshData()).isTrue();
    }

    @Test
    void aBadValueNamesTheSetting() {
        assertThatThrownBy(() -> RpkiConfig.from(new Settings(Map.of(RpkiConfig.READY_REQUIRES_FRESH, "sometimes"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("RAMPART_READY_REQUIRES_FRESH_RPKI: 'sometimes' is not true or false");
    }
}
