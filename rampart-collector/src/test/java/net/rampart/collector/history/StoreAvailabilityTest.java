package net.rampart.collector.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StoreAvailabilityTest {
    private static final HistoryUnavailableException DOWN = new HistoryUnavailableException("down", null);

    /** A clock the test moves; it starts past 0, which would read as "not failing". */
    private final AtomicLong clock = new AtomicLong(1);
    private final StoreAvailability availability = new StoreAvailability(clock::get);

    @Test
    void readinessIsLostOnlyOnceWritesHaveFailedForTenSeconds() {
        assertThat(availability.available()).isTrue();
        assertThat(availability.makingProgress()).isTrue();

        availability.failed(100, DOWN);
        assertThat(availability.available()).isFalse();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        // A retry that fails too is the same outage: it does not restart the 10 s.
        availability.failed(100, DOWN);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5) - 1);
        assertThat(availability.makingProgress()).isTrue();
        clock.incrementAndGet();
        assertThat(availability.makingProgress()).isFalse();

        availability.answered();
        assertThat(availability.available()).isTrue();
        assertThat(availability.makingProgress()).isTrue();
    }

    @Test
    void anOutageIsLoggedWhenItStartsAndWhenItEndsNotAtEachRetry() {
        Logger logger = (Logger) LoggerFactory.getLogger(HistoryRecorder.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            availability.answered();
            availability.failed(100, DOWN);
            availability.failed(100, DOWN);
            availability.failed(50, DOWN);
            availability.answered();
            availability.answered();
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).extracting(StoreAvailabilityTest::eventName, ILoggingEvent::getLevel)
                .containsExactly(tuple("history_store_unavailable", Level.WARN),
                        tuple("history_store_recovered", Level.INFO));
    }

    private static Object eventName(ILoggingEvent line) {
        return line.getKeyValuePairs().stream().filter(kv -> kv.key.equals("event")).findFirst()
                .map(kv -> kv.value).orElse(null);
    }
}
