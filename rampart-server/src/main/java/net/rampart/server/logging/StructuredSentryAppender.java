package net.rampart.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sentry.SentryEvent;
import io.sentry.logback.SentryAppender;

/**
 * Sends ERROR events to Sentry with the structured fields of the log event (router, peer,
 * message type, ...) as extras and the event name as a tag, so an alert carries its context.
 */
final class StructuredSentryAppender extends SentryAppender {

    @Override
    protected SentryEvent createEvent(ILoggingEvent loggingEvent) {
        SentryEvent event = super.createEvent(loggingEvent);
        var pairs = loggingEvent.getKeyValuePairs();
        if (pairs != null) {
            for (var pair : pairs) {
                String value = String.valueOf(pair.value);
                if ("event".equals(pair.key)) {
                    event.setTag("event", value);
                } else {
                    event.setExtra(pair.key, value);
                }
            }
        }
        return event;
    }
}
