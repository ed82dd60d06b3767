package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The timer is stepped with made-up nanoTime readings: no test here waits. */
class HoldTimerTest {

    private static final long START = 1_000_000_000L;

    private static long at(long seconds) {
        return START + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void beforeOpenTheHoldTimeIsFourMinutes() {
        HoldTimer timer = new HoldTimer(START);
        assertThat(timer.holdSeconds()).isEqualTo(240);
        assertThat(timer.expired(at(240))).isFalse();
        assertThat(timer.expired(at(240) + 1)).isTrue();
    }

    @Test
    void anythingHeardRestartsTheHoldTime() {
        HoldTimer timer = new HoldTimer(START);
        timer.negotiated(3);
        timer.received(at(2));
        assertThat(timer.expired(at(5))).isFalse();
        assertThat(timer.expired(at(5) + 1)).isTrue();
    }

    @Test
    void aKeepaliveIsDueEveryThirdOfTheHoldTime() {
        HoldTimer timer = new HoldTimer(START);
        timer.negotiated(30);
        timer.keepaliveSent(START);
        assertThat(timer.keepaliveDue(at(9))).isFalse();
        assertThat(timer.keepaliveDue(at(10))).isTrue();
        // The answer counted as sending it: the next is due ten seconds later.
        assertThat(timer.keepaliveDue(at(10))).isFalse();
        assertThat(timer.keepaliveDue(at(19))).isFalse();
        assertThat(timer.keepaliveDue(at(20))).isTrue();
    }

    @Test
    void aHoldTimeOfZeroNeverExpiresAndSendsNoKeepalives() {
        HoldTimer timer = new HoldTimer(START);
        timer.negotiated(0);
        assertThat(timer.holdSeconds()).isZero();
        assertThat(timer.expired(at(100_000))).isFalse();
        assertThat(timer.keepaliveDue(at(100_000))).isFalse();
    }
}
