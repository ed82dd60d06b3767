package net.rampart.detect.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlapDampingTest {

    private static final FlapDamping RFC = FlapDamping.RFC_7196;
    private static final long HALF_LIFE = Duration.ofMinutes(15).toMillis();

    @Test
    void theDefaultsAreRfc7196s() {
        assertThat(RFC.withdrawalPenalty()).isEqualTo(1000);
        assertThat(RFC.readvertisementPenalty()).isEqualTo(1000);
        assertThat(RFC.attributeChangePenalty()).isEqualTo(500);
        assertThat(RFC.suppressThreshold()).isEqualTo(6000);
        assertThat(RFC.reuseThreshold()).isEqualTo(750);
        assertThat(RFC.halfLife()).isEqualTo(Duration.ofMinutes(15));
        assertThat(RFC.maxSuppressTime()).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void theFigureOfMeritHalvesEachHalfLife() {
        // RFC 2439: figure(t) = figure(t0) x 2^(-(t - t0) / half-life).
        assertThat(RFC.decay(1000, HALF_LIFE)).isEqualTo(500.0);
        assertThat(RFC.decay(1000, 2 * HALF_LIFE)).isEqualTo(250.0);
        assertThat(RFC.decay(6000, HALF_LIFE / 2)).isCloseTo(6000 / Math.sqrt(2), within(1e-9));
        assertThat(RFC.decay(6000, 0)).isEqualTo(6000.0);
        assertThat(RFC.decay(6000, -5000)).as("an event out of order decays nothing").isEqualTo(6000.0);
    }

    @Test
    void theCeilingIsWhereTheMaximumSuppressTimeDecaysToTheReuseThreshold() {
        // 750 x 2^(60 / 15) = 750 x 16.
        assertThat(RFC.ceiling()).isEqualTo(12000.0);
        assertThat(RFC.add(11500, 1000)).isEqualTo(12000.0);
        assertThat(RFC.add(5000, 1000)).isEqualTo(6000.0);
        assertThat(RFC.millisUntilReuse(RFC.ceiling())).isEqualTo(Duration.ofMinutes(60).toMillis());
    }

    @Test
    void reuseComesAfterHalfLifeTimesLog2OfFigureOverReuse() {
        // 6000 / 750 = 8 = 2^3: three half-lives.
        assertThat(RFC.millisUntilReuse(6000)).isEqualTo(3 * HALF_LIFE);
        assertThat(RFC.decay(6000, RFC.millisUntilReuse(6000))).isEqualTo(750.0);
        // 9000 / 750 = 12: log2(12) = 3.5849625007211565 half-lives, rounded up to the millisecond.
        assertThat(RFC.millisUntilReuse(9000)).isEqualTo(3_226_467L);
        assertThat(RFC.decay(9000, RFC.millisUntilReuse(9000))).isLessThanOrEqualTo(750.0);
        assertThat(RFC.millisUntilReuse(750)).isZero();
        assertThat(RFC.millisUntilReuse(100)).isZero();
    }

    @Test
    void refusesParametersThatCannotWork() {
        assertThatThrownBy(() -> new FlapDamping(1000, 1000, 500, 6000, 6000, Duration.ofMinutes(15),
                Duration.ofMinutes(60))).hasMessageContaining("reuse_threshold 6000 must be at least 1 and below");
        assertThatThrownBy(() -> new FlapDamping(1000, 1000, 500, 13000, 750, Duration.ofMinutes(15),
                Duration.ofMinutes(60))).hasMessageContaining("suppress_threshold 13000 is never reached");
        assertThatThrownBy(() -> new FlapDamping(-1, 1000, 500, 6000, 750, Duration.ofMinutes(15),
                Duration.ofMinutes(60))).hasMessage("a penalty cannot be negative");
        assertThatThrownBy(() -> new FlapDamping(1000, 1000, 500, 6000, 750, Duration.ofMinutes(15),
                Duration.ofMinutes(10))).hasMessageContaining("max_suppress_time at least half_life");
    }
}
