package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.DetectConfig;
import net.rampart.server.config.RisLiveConfig;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code RAMPART_MONITORS} is read before anything starts: a bad file stops the start, naming the setting and every problem. */
class DetectionSettingTest {

    @TempDir
    Path dir;

    private RampartService service(String monitors) throws ConfigException {
        Settings settings = new Settings(Map.of("RAMPART_DATA_DIR", dir.resolve("data").toString(),
                DetectConfig.MONITORS, monitors));
        return new RampartService(ServerConfig.from(settings), settings, "test");
    }

    @Test
    void aFileWithProblemsNamesTheSettingAndEveryProblemInOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 192.0.2.1/24
                    origins: [AS6x]
                """);

        assertThatThrownBy(() -> service(file.toString())).isInstanceOf(ConfigException.class)
                .hasMessage("RAMPART_MONITORS: monitors.yaml: prefixes[0].prefix: '192.0.2.1/24' has host bits set; "
                        + "did you mean 192.0.2.0/24?; monitors.yaml: prefixes[0].origins[0]: 'AS6x' is not an AS "
                        + "number such as 65000, AS65000 or asdot 1.10");
    }

    @Test
    void aMissingFileIsRefused() {
        assertThatThrownBy(() -> service(dir.resolve("nope.yaml").toString())).isInstanceOf(ConfigException.class)
                .hasMessage("RAMPART_MONITORS: " + dir.resolve("nope.yaml") + " is not a readable file");
    }

    @Test
    void aGoodFileIsAccepted() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                """);

        assertThatCode(() -> service(file.toString())).doesNotThrowAnyException();
    }

    @Test
    void aRisLiveUrlOfAnotherSchemeStopsTheStartNamingTheSetting() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), "prefixes: []\n");
        Settings settings = new Settings(Map.of("RAMPART_DATA_DIR", dir.resolve("data").toString(),
                DetectConfig.MONITORS, file.toString(), RisLiveConfig.URL, "http://ris-live.example/v1/ws/"));

        assertThatThrownBy(() -> new RampartService(ServerConfig.from(settings), settings, "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("RAMPART_RIS_LIVE_URL: 'http://ris-live.example/v1/ws/' is not a ws:// or wss:// URL");
    }
}
