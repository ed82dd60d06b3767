package net.rampart.server.config;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryConfigTest {

    @Test
    void checkpointsEveryMinuteUnlessSet() throws Exception {
        assertThat(HistoryConfig.from(new Settings(Map.of())).checkpointInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(HistoryConfig.from(new Settings(Map.of(HistoryConfig.CHECKPOINT_INTERVAL, "15s")))
                .checkpointInterval()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aCheckpointIntervalOutOfRangeNamesTheSetting() {
        assertThatThrownBy(() -> HistoryConfig.from(new Settings(Map.of(HistoryConfig.CHECKPOINT_INTERVAL, "500ms"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("RAMPART_HISTORY_CHECKPOINT_INTERVAL: '500ms' is outside");
        assertThatThrownBy(() -> HistoryConfig.from(new Settings(Map.of(HistoryConfig.CHECKPOINT_INTERVAL, "2h"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("RAMPART_HISTORY_CHECKPOINT_INTERVAL: '2h' is outside");
    }
}
