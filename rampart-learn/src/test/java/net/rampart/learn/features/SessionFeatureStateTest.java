package net.rampart.learn.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionFeatureStateTest {
    private static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    private static long minute(int m) {
        return T0 + m * 60_000L;
    }

    private static double feature(double[] v, SessionFeature f) {
        return v[f.ordinal()];
    }

    @Test
    void everyFeatureOfAHandMadeHistory() {
        SessionFeatureState s = new SessionFeatureState(FlapDamping.DEFAULT);
        assertThat(s.up(minute(0))).isTrue();
        assertThat(s.down(minute(30))).isTrue();
        assertThat(s.up(minute(31))).isTrue();
        assertThat(s.down(minute(50))).isTrue();
        assertThat(s.up(minute(55))).isTrue();
        assertThat(s.up(minute(57))).as("a second Peer Up of a session that is up").isFalse();

        double[] v = s.features(minute(60));
        // (55, 60]: the up at 55 is just out of the five minutes, its repeat at 57 in.
        assertThat(feature(v, SessionFeature.UPS_5M)).isEqualTo(1);
        assertThat(feature(v, SessionFeature.UPS_1H)).isEqualTo(3);
        assertThat(feature(v, SessionFeature.UPS_24H)).isEqualTo(4);
        assertThat(feature(v, SessionFeature.DOWNS_5M)).isEqualTo(0);
        assertThat(feature(v, SessionFeature.DOWNS_1H)).isEqualTo(2);
        assertThat(feature(v, SessionFeature.STATE_CHANGES_5M)).isEqualTo(0);
        assertThat(feature(v, SessionFeature.STATE_CHANGES_1H)).isEqualTo(4);
        assertThat(feature(v, SessionFeature.STATE_CHANGES_24H)).isEqualTo(5);
        assertThat(feature(v, SessionFeature.UP)).isEqualTo(1);
        assertThat(feature(v, SessionFeature.UPTIME_SECONDS)).isEqualTo(300);
        assertThat(feature(v, SessionFeature.SECONDS_SINCE_CHANGE)).isEqualTo(300);
        assertThat(feature(v, SessionFeature.AGE_SECONDS)).isEqualTo(3600);
        assertThat(feature(v, SessionFeature.DOWNS)).isEqualTo(2);
        // Up 0-30, 31-50 and 55-60: 54 minutes over two downs.
        assertThat(feature(v, SessionFeature.MTBF_SECONDS)).isEqualTo(27 * 60);
        double merit = 1000 * Math.pow(2, -30 / 15.0) + 1000 * Math.pow(2, -10 / 15.0);
        assertThat(feature(v, SessionFeature.FIGURE_OF_MERIT)).isCloseTo(merit, org.assertj.core.api.Assertions.within(1e-9));
    }
}
