package net.rampart.server.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void theScheduleCountsFromTheNewestBackup() {
        assertThat(Backups.firstDelay(Optional.of(NOW.minus(Duration.ofHours(6))), NOW, DAY)).isEqualTo(Duration.ofHours(18));
        assertThat(Backups.firstDelay(Optional.of(NOW), NOW, DAY)).isEqualTo(DAY);
    }

    @Test
    void anOverdueOrFirstBackupIsTakenAtOnce() {
        assertThat(Backups.firstDelay(Optional.of(NOW.minus(Duration.ofDays(3))), NOW, DAY)).isZero();
        assertThat(Backups.firstDelay(Optional.empty(), NOW, DAY)).isZero();
    }
}
