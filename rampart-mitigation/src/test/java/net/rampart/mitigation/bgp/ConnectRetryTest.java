package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectRetryTest {

    @Test
    void theWaitDoublesUpToTheMaximumAndStartsOverOnceEstablished() {
        ConnectRetry retry = new ConnectRetry(Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(retry.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(retry.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(retry.next()).isEqualTo(Duration.ofMillis(800));
        assertThat(retry.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.next()).isEqualTo(Duration.ofSeconds(1));

        retry.reset();
        assertThat(retry.next()).isEqualTo(Duration.ofMillis(200));
    }
}
