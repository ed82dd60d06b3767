package net.rampart.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.sentry.Sentry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingTest {

    private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level before = root.getLevel();

    @AfterEach
    void restore() {
        root.setLevel(before);
    }

    @Test
    void withoutDsnNothingGoesToSentry() {
        Logging.configure("INFO", Optional.empty(), "test");
        assertThat(root.getAppender("SENTRY")).isNull();
        assertThat(Sentry.isEnabled()).isFalse();
    }

    @Test
    void levelSettingSwitchesTheRootLogger() {
        Logging.configure("DEBUG", Optional.empty(), "test");
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        Logging.configure("INFO", Optional.empty(), "test");
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }
}
