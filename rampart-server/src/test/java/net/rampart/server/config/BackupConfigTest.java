package net.rampart.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupConfigTest {

    @Test
    void onRequestOnlyIntoTheDataDirectoryUnlessSet(@TempDir Path dir) throws Exception {
        BackupConfig config = BackupConfig.from(new Settings(Map.of()), dir);
        assertThat(config.directory()).isEqualTo(dir.resolve("backups"));
        assertThat(config.schedule()).isEmpty();
        assertThat(config.keep()).isEqualTo(7);

        BackupConfig set = BackupConfig.from(new Settings(Map.of(BackupConfig.DIRECTORY, dir.resolve("b").toString(),
                BackupConfig.SCHEDULE, "24h", BackupConfig.KEEP, "30", BackupConfig.PG_BIN, dir.toString())), dir);
        assertThat(set.directory()).isEqualTo(dir.resolve("b"));
        assertThat(set.schedule()).contains(Duration.ofHours(24));
        assertThat(set.keep()).isEqualTo(30);
        assertThat(set.pgBin()).contains(dir);
    }

    @Test
    void eachBadValueNamesItsSetting(@TempDir Path dir) {
        Map<String, String> bad = Map.of(
                BackupConfig.SCHEDULE, "30s",
                BackupConfig.KEEP, "0",
                BackupConfig.PG_BIN, dir.resolve("missing").toString());
        bad.forEach((name, value) -> assertThatThrownBy(() -> BackupConfig.from(new Settings(Map.of(name, value)), dir))
                .as(name).isInstanceOf(ConfigException.class).hasMessageStartingWith(name + ":"));
    }
}
