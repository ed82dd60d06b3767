package net.rampart.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void environmentWinsOverDotEnvFile(@TempDir Path dir) throws Exception {
        Path dotEnv = Files.writeString(dir.resolve(".env"), """
                # comment
                export RAMPART_HTTP_PORT=9001
                RAMPART_LOG_LEVEL="DEBUG"
                RAMPART_DATA_DIR='/var/lib/rampart'
                RAMPART_BMP_PORT=1790 # trailing comment

                """);
        var settings = Settings.load(Map.of("RAMPART_HTTP_PORT", "9002"), dotEnv);
        assertThat(settings.port("RAMPART_HTTP_PORT", 8080)).isEqualTo(9002);
        assertThat(settings.text("RAMPART_LOG_LEVEL")).contains("DEBUG");
        assertThat(settings.text("RAMPART_DATA_DIR")).contains("/var/lib/rampart");
        assertThat(settings.port("RAMPART_BMP_PORT", 11019)).isEqualTo(1790);
    }

    @Test
    void missingDotEnvFileIsFine(@TempDir Path dir) throws Exception {
        var settings = Settings.load(Map.of(), dir.resolve(".env"));
        assertThat(settings.port("RAMPART_HTTP_PORT", 8080)).isEqualTo(8080);
    }

    @Test
    void malformedDotEnvLineIsReportedWithItsNumber(@TempDir Path dir) throws Exception {
        Path dotEnv = Files.writeString(dir.resolve(".env"), "A=1\nthis is not a setting\n");
        assertThatThrownBy(() -> Settings.load(Map.of(), dotEnv))
                .isInstanceOf(ConfigException.class)
                .hasMessage(".env: line 2 is not NAME=value");
    }

    @Test
    void blankValueMeansUnset() throws Exception {
        var settings = new Settings(Map.of("X", "  "));
        assertThat(settings.text("X")).isEmpty();
        assertThat(settings.port("X", 7)).isEqualTo(7);
    }

    @Test
    void durationsTakeUnitsAndBounds() throws Exception {
        var settings = new Settings(Map.of("A", "600", "B", "10m", "C", "250ms", "D", "7d", "E", "5x", "F", "0",
                "G", "PT2M", "H", "PT-2M"));
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofDays(30);
        assertThat(settings.duration("A", Duration.ZERO, min, max)).isEqualTo(Duration.ofSeconds(600));
        assertThat(settings.duration("B", Duration.ZERO, min, max)).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.duration("C", Duration.ZERO, min, max)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.duration("D", Duration.ZERO, min, max)).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> settings.duration("E", Duration.ZERO, min, max)).hasMessageStartingWith("E: '5x' is not a duration");
        assertThatThrownBy(() -> settings.duration("F", Duration.ZERO, min, max)).hasMessageStartingWith("F: '0' is outside");
        assertThat(settings.duration("G", Duration.ZERO, min, max)).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> settings.duration("H", Duration.ZERO, min, max)).hasMessage("H: 'PT-2M' is a negative duration");
    }

    @Test
    void integersBooleansAndChoicesAreChecked() throws Exception {
        var settings = new Settings(Map.of("N", "12", "M", "99", "T", "yes", "U", "maybe", "L", "warn"));
        assertThat(settings.integer("N", 0, 1, 50)).isEqualTo(12);
        assertThatThrownBy(() -> settings.integer("M", 0, 1, 50)).hasMessage("M: '99' is not a whole number between 1 and 50");
        assertThat(settings.bool("T", false)).isTrue();
        assertThatThrownBy(() -> settings.bool("U", false)).hasMessage("U: 'maybe' is not true or false");
        assertThat(settings.choice("L", "INFO", "INFO", "WARN")).isEqualTo("WARN");
    }
}
