package net.rampart.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Applies RAMPART_LOG_LEVEL and, when SENTRY_DSN is set, sends ERROR events to Sentry. */
public final class Logging {

    private static final Duration SENTRY_FLUSH = Duration.ofSeconds(2);

    private Logging() {
    }

    public static void configure(String level, Optional<URI> sentryDsn, String release) {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        sentryDsn.ifPresent(dsn -> root.addAppender(sentryAppender(context, dsn, release)));
    }

    private static StructuredSentryAppender sentryAppender(LoggerContext context, URI dsn, String release) {
        var options = new SentryOptions();
        options.setDsn(dsn.toString());
        options.setRelease("rampart@" + release);
        options.setEnableUncaughtExceptionHandler(true);
        options.setShutdownTimeoutMillis(SENTRY_FLUSH.toMillis());
        var appender = new StructuredSentryAppender();
        appender.setContext(context);
        appender.setName("SENTRY");
        appender.setOptions(options);
        appender.setMinimumEventLevel(Level.ERROR);
        appender.setMinimumBreadcrumbLevel(Level.INFO);
        appender.start();
        return appender;
    }

    /** Sends what Sentry still holds; called last on shutdown. */
    public static void flush() {
        if (Sentry.isEnabled()) {
            Sentry.flush(SENTRY_FLUSH.toMillis());
        }
    }
}
