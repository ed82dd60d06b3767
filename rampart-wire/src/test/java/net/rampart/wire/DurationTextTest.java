package net.rampart.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"30, PT30S", "30s, PT30S", "500ms, PT0.5S", "10m, PT10M", "2h, PT2H", "7d, P7D",
            "10M, PT10M", "30S, PT30S", "1D, P1D", "' 90s ', PT1M30S", "999999999999d, P999999999999D"})
    void readsSecondsAndUnits(String text, String expected) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"PT30S, 30", "P1D, 86400", "pt2h, 7200", "PT1M30S, 90", "P1DT1H, 90000"})
    void readsIso8601(String text, long seconds) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void readsFractionalIsoSeconds() {
        assertThat(DurationText.parse("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "0d", "PT0S", "P0D"})
    void zeroIsADuration(String text) {
        // Settings such as RAMPART_BGP_RESTART_TIME take 0; callers that need more set a minimum.
        assertThat(DurationText.parse(text)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-5S", "-PT5S", "P-1D", "-P1D"})
    void negativeIsoDurationsAreRefused(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is a negative duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-5", "-5s", "5x", "s", "10 m", "1.5h", "ten", "P", "PT", "5w", "1y", "1000000000000",
            "1000000000000s", "0x10"})
    void garbageIsRefused(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration: write seconds (30)")
                .hasMessageContaining("PT30S");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S, 500ms", "PT90S, 90s", "PT90M, 90m", "PT48H, 2d", "PT25H, 25h", "PT0S, 0s"})
    void formatWritesTheShortestFormParseReadsBack(String iso, String text) {
        Duration d = Duration.parse(iso);
        assertThat(DurationText.format(d)).isEqualTo(text);
        assertThat(DurationText.parse(text)).isEqualTo(d);
    }
}
