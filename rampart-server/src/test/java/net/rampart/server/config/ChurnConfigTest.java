package net.rampart.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChurnConfigTest {

    @Test
    void offWithTheDetectorsDefaultsUnlessSet() throws Exception {
        ChurnConfig config = ChurnConfig.from(new Settings(Map.of()));
        assertThat(config.enabled()).isFalse();
        assertThat(config.threshold()).isEqualTo(5.0);
        assertThat(config.historyMinutes()).isEqualTo(28 * 1440);
        assertThat(config.minHistory()).isEqualTo(Duration.ofDays(3));
        assertThat(config.intervalMinutes()).isEqualTo(1);

        ChurnConfig set = ChurnConfig.from(new Settings(Map.of(ChurnConfig.ENABLED, "on", ChurnConfig.THRESHOLD, "6.5",
                ChurnConfig.HISTORY, "14d", ChurnConfig.MIN_HISTORY, "1d", ChurnConfig.INTERVAL, "5m")));
        assertThat(set.enabled()).isTrue();
        assertThat(set.threshold()).isEqualTo(6.5);
        assertThat(set.historyMinutes()).isEqualTo(14 * 1440);
        assertThat(set.minHistoryMinutes()).isEqualTo(1440);
        assertThat(set.intervalMinutes()).isEqualTo(5);
    }

    @Test
    void eachBadValueNamesItsSetting() {
        Map<String, String> bad = Map.of(
                ChurnConfig.ENABLED, "maybe",
                ChurnConfig.THRESHOLD, "5d",
                ChurnConfig.HISTORY, "2h",
                ChurnConfig.INTERVAL, "90s");
        bad.forEach((name, value) -> assertThatThrownBy(() -> ChurnConfig.from(new Settings(Map.of(name, value))))
                .as(name).isInstanceOf(ConfigException.class).hasMessageStartingWith(name + ":"));
        for (String threshold : new String[] {"0.5", "NaN", "-5", "101", "abc"}) {
            assertThatThrownBy(() -> ChurnConfig.from(new Settings(Map.of(ChurnConfig.THRESHOLD, threshold))))
                    .as(threshold).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(ChurnConfig.THRESHOLD + ": '" + threshold + "'");
        }
        assertThatThrownBy(() -> ChurnConfig.from(new Settings(Map.of(ChurnConfig.HISTORY, "2d",
                ChurnConfig.MIN_HISTORY, "3d"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(ChurnConfig.MIN_HISTORY + ":");
    }
}
