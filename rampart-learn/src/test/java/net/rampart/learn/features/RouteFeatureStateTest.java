package net.rampart.learn.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouteFeatureStateTest {
    private static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final long PATH_A = 0xA;
    private static final long PATH_B = 0xB;

    private static long minute(double m) {
        return T0 + (long) (m * 60_000);
    }

    /**
     * Announced, a duplicate, new attributes, a new AS path, withdrawn, announced again,
     * withdrawn again: one hour of a route whose every feature is worked out by hand below.
     */
    private static RouteFeatureState flappingHour() {
        RouteFeatureState s = new RouteFeatureState(FlapDamping.DEFAULT);
        assertThat(s.announce(minute(0), 1, PATH_A, 3, 10)).isTrue();
        assertThat(s.announce(minute(10), 1, PATH_A, 3, 10)).as("duplicate").isFalse();
        assertThat(s.announce(minute(20), 2, PATH_A, 3, 11)).as("new attributes").isTrue();
        assertThat(s.announce(minute(30), 3, PATH_B, 5, 11)).as("new AS path").isTrue();
        assertThat(s.withdraw(minute(40))).isTrue();
        assertThat(s.announce(minute(42), 3, PATH_B, 5, 11)).as("announced again").isTrue();
        assertThat(s.withdraw(minute(58))).isTrue();
        return s;
    }

    private static double feature(double[] v, RouteFeature f) {
        return v[f.ordinal()];
    }

    @Test
    void everyFeatureOfAHandMadeHistory() {
        double[] v = flappingHour().features(minute(60));

        // Windows are (asOf - length, asOf]: the first announcement, exactly an hour old, is out of the hour.
        assertThat(feature(v, RouteFeature.ANNOUNCEMENTS_5M)).isEqualTo(0);
        assertThat(feature(v, RouteFeature.ANNOUNCEMENTS_1H)).isEqualTo(4);
        assertThat(feature(v, RouteFeature.ANNOUNCEMENTS_24H)).isEqualTo(5);
        assertThat(feature(v, RouteFeature.WITHDRAWALS_5M)).isEqualTo(1);
        assertThat(feature(v, RouteFeature.WITHDRAWALS_1H)).isEqualTo(2);
        assertThat(feature(v, RouteFeature.WITHDRAWALS_24H)).isEqualTo(2);
        assertThat(feature(v, RouteFeature.PATH_CHANGES_5M)).isEqualTo(0);
        assertThat(feature(v, RouteFeature.PATH_CHANGES_1H)).isEqualTo(1);
        assertThat(feature(v, RouteFeature.PATH_CHANGES_24H)).isEqualTo(1);
        // Up at 0, attributes at 20 and 30, down at 40, up at 42, down at 58; the duplicate is none.
        assertThat(feature(v, RouteFeature.STATE_CHANGES_5M)).isEqualTo(1);
        assertThat(feature(v, RouteFeature.STATE_CHANGES_1H)).isEqualTo(5);
        assertThat(feature(v, RouteFeature.STATE_CHANGES_24H)).isEqualTo(6);
        assertThat(feature(v, RouteFeature.PATH_LENGTH)).isEqualTo(5);
        // Lengths 3, 3, 3, 5, 5: mean 3.8, population variance (3 * 0.64 + 2 * 1.44) / 5.
        assertThat(feature(v, RouteFeature.PATH_LENGTH_VARIANCE)).isCloseTo(0.96, within(1e-12));
        assertThat(feature(v, RouteFeature.NEXT_HOPS_24H)).isEqualTo(2);
        assertThat(feature(v, RouteFeature.WITHDRAWN)).isEqualTo(1);
        assertThat(feature(v, RouteFeature.SECONDS_SINCE_CHANGE)).isEqualTo(120);
        assertThat(feature(v, RouteFeature.AGE_SECONDS)).isEqualTo(3600);
        assertThat(feature(v, RouteFeature.FAILURES)).isEqualTo(2);
        // Announced 0-40 and 42-58: 56 minutes over two withdrawals.
        assertThat(feature(v, RouteFeature.MTBF_SECONDS)).isEqualTo(28 * 60);
        // 500 at 20 and 30 (new attributes), 1000 at 40 and 58 (withdrawals), nothing at 42; half-life 15 minutes.
        double merit = 500 * Math.pow(2, -40 / 15.0) + 500 * Math.pow(2, -30 / 15.0)
                + 1000 * Math.pow(2, -20 / 15.0) + 1000 * Math.pow(2, -2 / 15.0);
        assertThat(feature(v, RouteFeature.FIGURE_OF_MERIT)).isCloseTo(merit, within(1e-9));
    }

    @Test
    void aDayLaterOnlyTheLifetimeFiguresRemain() {
        double[] v = flappingHour().features(minute(60 + 24 * 60));
        for (RouteFeature f : RouteFeature.all()) {
            if (f.column().matches(".*_(5m|1h|24h)") || f == RouteFeature.PATH_LENGTH_VARIANCE) {
                assertThat(feature(v, f)).as(f.column()).isEqualTo(0);
            }
        }
        assertThat(feature(v, RouteFeature.FAILURES)).isEqualTo(2);
        assertThat(feature(v, RouteFeature.MTBF_SECONDS)).as("withdrawn: no up time added").isEqualTo(28 * 60);
        assertThat(feature(v, RouteFeature.SECONDS_SINCE_CHANGE)).isEqualTo(120 + 24 * 3600);
        assertThat(feature(v, RouteFeature.FIGURE_OF_MERIT)).isLessThan(1e-20);
    }

    @Test
    void aRouteNeverWithdrawnHasNoMeanTimeBetweenFailures() {
        RouteFeatureState s = new RouteFeatureState(FlapDamping.DEFAULT);
        s.announce(minute(0), 1, PATH_A, 2, 1);
        double[] v = s.features(minute(90));
        assertThat(feature(v, RouteFeature.MTBF_SECONDS)).isNaN();
        assertThat(feature(v, RouteFeature.FIGURE_OF_MERIT)).isZero();
        assertThat(feature(v, RouteFeature.WITHDRAWN)).isZero();
        assertThat(feature(v, RouteFeature.STATE_CHANGES_24H)).isEqualTo(1);
    }

    @Test
    void aRouteFirstSeenWithdrawnHasNoPathLengthAndNoFailure() {
        RouteFeatureState s = new RouteFeatureState(FlapDamping.DEFAULT);
        assertThat(s.withdraw(minute(0))).isFalse();
        double[] v = s.features(minute(1));
        assertThat(feature(v, RouteFeature.PATH_LENGTH)).isNaN();
        assertThat(feature(v, RouteFeature.FAILURES)).isZero();
        assertThat(feature(v, RouteFeature.WITHDRAWALS_5M)).isEqualTo(1);
        assertThat(feature(v, RouteFeature.STATE_CHANGES_5M)).isZero();
    }

    @Test
    void nextExpiryIsWhenTheFirstEventLeavesAWindow() {
        RouteFeatureState s = flappingHour();
        // The withdrawal at 58 leaves the five minutes at 63; nothing leaves a window between 60 and 63.
        assertThat(s.nextExpiry(minute(60))).isEqualTo(minute(63));
        // After the last event has left the day, nothing changes any more.
        assertThat(s.nextExpiry(minute(58 + 24 * 60))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void encodedStateContinuesAsTheOriginal() {
        RouteFeatureState original = flappingHour();
        RouteFeatureState copy = RouteFeatureState.decode(original.encode(), FlapDamping.DEFAULT);
        assertThat(copy.features(minute(60))).containsExactly(original.features(minute(60)));
        for (RouteFeatureState s : new RouteFeatureState[] {original, copy}) {
            s.announce(minute(61), 4, PATH_A, 3, 12);
            s.withdraw(minute(62));
        }
        assertThat(copy.features(minute(65))).containsExactly(original.features(minute(65)));
        assertThat(copy.encode()).isEqualTo(original.encode());
    }

    @Test
    void aDayOfMoreEventsThanKeptSaturatesTheCounts() {
        RouteFeatureState s = new RouteFeatureState(FlapDamping.DEFAULT);
        int events = RecentEvents.CAPACITY + 500;
        for (int i = 0; i < events; i++) {
            // Every 10 s: 5500 events in about 15 hours, all inside the day.
            long t = T0 + i * 10_000L;
            if (i % 2 == 0) {
                s.announce(t, 1, PATH_A, 2, 1);
            } else {
                s.withdraw(t);
            }
        }
        double[] v = s.features(T0 + events * 10_000L);
        assertThat(feature(v, RouteFeature.ANNOUNCEMENTS_24H) + feature(v, RouteFeature.WITHDRAWALS_24H))
                .isEqualTo(RecentEvents.CAPACITY);
        assertThat(feature(v, RouteFeature.FAILURES)).as("lifetime counts are not capped").isEqualTo(events / 2);
    }

    @Test
    void aStateFromAnotherVersionIsRefused() {
        byte[] bytes = flappingHour().encode();
        bytes[0] = 99;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouteFeatureState.decode(bytes, FlapDamping.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }
}
