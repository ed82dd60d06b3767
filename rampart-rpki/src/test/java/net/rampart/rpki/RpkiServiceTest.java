package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpkiServiceTest {

    /** The staleness reason on /health/ready and in the log says ages the way the settings are written. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"PT45S, 45s", "PT1M, 1m", "PT2H, 2h", "PT3H5M30S, 3h 5m", "PT24H, 1d", "PT49H, 2d 1h", "PT720H, 30d"})
    void agesAreShownInTheirLargestParts(String iso, String shown) {
        assertThat(RpkiService.roughly(Duration.parse(iso))).isEqualTo(shown);
    }
}
