package net.rampart.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.mitigation.MutableClock;
import org.junit.jupiter.api.Test;

class UpdateRateTest {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    /** The collector's monotonic totals, set by each test. */
    private final Map<String, Long> totals = new HashMap<>(Map.of("ipv4", 1000L, "ipv6", 0L));
    private final UpdateRate rate = new UpdateRate(List.of("ipv4", "ipv6"), totals::get, clock);

    private long[] series(String family) {
        @SuppressWarnings("unchecked")
        var perMinute = (Map<String, long[]>) rate.lastHour().get("per_minute");
        return perMinute.get(family);
    }

    private long last(String family, int minutesBack) {
        long[] s = series(family);
        return s[s.length - 1 - minutesBack];
    }

    @Test
    void countsOnlyWhatCameAfterItStartedAndBooksItToTheMinuteOfTheSample() {
        totals.put("ipv4", 1030L);
        clock.advance(Duration.ofSeconds(20));
        rate.sample();
        totals.put("ipv4", 1050L);
        totals.put("ipv6", 7L);
        clock.advance(Duration.ofSeconds(30));
        rate.sample();

        assertThat(last("ipv4", 0)).isEqualTo(50);
        assertThat(last("ipv6", 0)).isEqualTo(7);
        assertThat(series("ipv4")).hasSize(UpdateRate.MINUTES);
        assertThat(rate.lastHour().get("start")).isEqualTo(START.minus(Duration.ofMinutes(59)));
    }

    @Test
    void aNewMinuteStartsAtZeroAndTheOldOneMovesBack() {
        totals.put("ipv4", 1010L);
        clock.advance(Duration.ofSeconds(59));
        rate.sample();
        totals.put("ipv4", 1013L);
        clock.advance(Duration.ofSeconds(2)); // 10:01:01
        rate.sample();

        assertThat(last("ipv4", 1)).isEqualTo(10);
        assertThat(last("ipv4", 0)).isEqualTo(3);
    }

    @Test
    void minutesWithoutASampleAreZeroAndAMinuteAnHourOldIsForgotten() {
        totals.put("ipv4", 1005L);
        rate.sample(); // 10:00
        clock.advance(Duration.ofMinutes(3));
        rate.sample(); // 10:03, nothing new

        assertThat(last("ipv4", 3)).isEqualTo(5);
        assertThat(last("ipv4", 2)).isZero();
        assertThat(last("ipv4", 1)).isZero();

        clock.advance(Duration.ofMinutes(57)); // 11:00: the slot of 10:00 is reused
        totals.put("ipv4", 1006L);
        rate.sample();

        assertThat(last("ipv4", 0)).as("only this minute's update, not 10:00's too").isEqualTo(1);
        assertThat(series("ipv4")).containsOnly(0L, 1L);
        assertThat(rate.lastHour().get("start")).isEqualTo(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aTotalThatWentDownWasResetAndAllItHoldsIsNew() {
        totals.put("ipv4", 4L);
        rate.sample();

        assertThat(last("ipv4", 0)).isEqualTo(4);

        totals.put("ipv4", 9L);
        rate.sample();

        assertThat(last("ipv4", 0)).as("counted on from the reset").isEqualTo(9);
    }
}
