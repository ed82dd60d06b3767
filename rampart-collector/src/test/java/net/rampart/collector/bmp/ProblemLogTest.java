package net.rampart.collector.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProblemLogTest {
    private long now = 1_000;
    private final ProblemLog problems = new ProblemLog(() -> now);

    @Test
    void theFirstFewAreLoggedThenOneAMinuteWithWhatWasLeftOut() {
        for (int i = 0; i < ProblemLog.IN_FULL; i++) {
            assertThat(problems.shouldLog()).as("bad message %d", i + 1).isTrue();
        }
        for (int i = 0; i < 1000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(10);
            assertThat(problems.shouldLog()).isFalse();
        }
        now += TimeUnit.MINUTES.toNanos(1);
        assertThat(problems.shouldLog()).isTrue();
        assertThat(problems.suppressed()).isEqualTo(1000);
        assertThat(problems.suppressed()).as("reset by reading").isZero();
        now += TimeUnit.SECONDS.toNanos(30);
        assertThat(problems.shouldLog()).isFalse();
    }
}
