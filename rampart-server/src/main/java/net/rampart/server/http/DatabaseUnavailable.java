package net.rampart.server.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one answer to a request the database cannot serve now (it is away, or too far behind):
 * {@code 503 database_unavailable} with {@code Retry-After}, never PostgreSQL's own text, which
 * names tables and values and goes to the log only.
 */
public final class DatabaseUnavailable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailable.class);
    static final String DETAIL = "the database is unavailable or behind; retry";
    /**
     * Seconds a client is told to wait: the writers retry a failed batch within 5 s (their
     * longest back-off), so a database that is back is seen by then.
     */
    static final long RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable() {
    }

    /** Answers {@code ctx} with the 503 and logs why ({@code http_database_unavailable}). */
    static void answer(Context ctx, Throwable cause, String what) {
        log.atWarn().addKeyValue("event", "http_database_unavailable")
                .addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("error", cause.getMessage())
                .log("request answered 503: " + what);
        ctx.header("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("database_unavailable", DETAIL));
    }
}
