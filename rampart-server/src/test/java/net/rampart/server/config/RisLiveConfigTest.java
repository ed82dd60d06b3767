package net.rampart.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RisLiveConfigTest {

    @TempDir
    Path dir;

    private static RisLiveConfig from(Map<String, String> values) throws ConfigException {
        return RisLiveConfig.from(new Settings(values));
    }

    @Test
    void unsetIsOffWithTheBeaconsAsCanary() throws Exception {
        RisLiveConfig config = from(Map.of());

        assertThat(config.url()).isEmpty();
        assertThat(config.canary()).containsExactly(IpPrefix.parse("84.205.64.0/24"),
                IpPrefix.parse("2001:7fb:fe00::/48"));
        assertThat(config.silence()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void theUrlNamesThisClientUnlessItNamesOne() throws Exception {
        assertThat(from(Map.of(RisLiveConfig.URL, "wss://ris-live.example/v1/ws/")).url())
                .contains(URI.create("wss://ris-live.example/v1/ws/?client=rampart"));
        assertThat(from(Map.of(RisLiveConfig.URL, "ws://127.0.0.1:8765/v1/ws/?x=1")).url())
                .contains(URI.create("ws://127.0.0.1:8765/v1/ws/?x=1&client=rampart"));
        assertThat(from(Map.of(RisLiveConfig.URL, "wss://ris-live.example/v1/ws/?client=noc-7")).url())
                .contains(URI.create("wss://ris-live.example/v1/ws/?client=noc-7"));
    }

    @Test
    void aUrlOfAnotherSchemeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> from(Map.of(RisLiveConfig.URL, "https://ris-live.example/v1/ws/")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("RAMPART_RIS_LIVE_URL: 'https://ris-live.example/v1/ws/' is not a ws:// or wss:// URL");
        assertThatThrownBy(() -> from(Map.of(RisLiveConfig.URL, "wss://bad host/")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("RAMPART_RIS_LIVE_URL: ");
    }

    @Test
    void theCanaryIsAListOfPrefixesOrOff() throws Exception {
        assertThat(from(Map.of(RisLiveConfig.CANARY, "off")).canary()).isEmpty();
        assertThat(from(Map.of(RisLiveConfig.CANARY, " 93.175.149.0/24 ,")).canary())
                .containsExactly(IpPrefix.parse("93.175.149.0/24"));
        assertThatThrownBy(() -> from(Map.of(RisLiveConfig.CANARY, "84.205.64.1/24")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("RAMPART_RIS_LIVE_CANARY: '84.205.64.1/24': ");
    }

    @Test
    void theSilenceIsADurationOfAMinuteToAWeek() throws Exception {
        assertThat(from(Map.of(RisLiveConfig.SILENCE, "90m")).silence()).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> from(Map.of(RisLiveConfig.SILENCE, "5s")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("RAMPART_RIS_LIVE_SILENCE: ");
    }

    @Test
    void risLiveWithoutAMonitorsFileIsRefused() throws Exception {
        assertThatThrownBy(() -> DetectConfig.from(new Settings(Map.of(RisLiveConfig.URL, "wss://ris-live.example/"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("RAMPART_RIS_LIVE_URL: needs RAMPART_MONITORS, the prefixes it subscribes to");
        Path monitors = Files.writeString(dir.resolve("monitors.yaml"), "prefixes: []\n");
        DetectConfig config = DetectConfig.from(new Settings(Map.of(RisLiveConfig.URL, "wss://ris-live.example/",
                DetectConfig.MONITORS, monitors.toString())));
        assertThat(config.risLive().url()).isPresent();
    }
}
