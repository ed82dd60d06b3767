package net.rampart.server.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.javalin.http.Context;
import net.rampart.wire.Asn;

/** Query parameters in the API's shared forms; a bad one is a 400 naming the parameter. */
public final class QueryParameters {

    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private QueryParameters() {
    }

    /**
     * Refuses a request whose query or path parameters hold text the service cannot store or show
     * (see {@link TextLimits}). It runs before every matched route, so parameters a route reads
     * with {@code ctx.queryParam} directly are covered as well as those read here, and no later
     * error message can echo a control character back.
     */
    public static void checkAll(Context ctx) {
        // Javalin decodes a malformed percent-escape to null: the parameter reads as absent, no text to check.
        ctx.queryParamMap().forEach((name, values) -> {
            if (name != null) {
                TextLimits.parameter("query parameter name", name, TextLimits.PARAMETER);
                values.stream().filter(Objects::nonNull)
                        .forEach(value -> TextLimits.parameter(name, value, TextLimits.PARAMETER));
            }
        });
        ctx.pathParamMap().forEach((name, value) -> TextLimits.parameter(name, value, TextLimits.PARAMETER));
    }

    public static Optional<String> text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** An AS number as {@link Asn#parse} reads it: {@code AS65000}, {@code 65000} or asdot {@code 1.10}. */
    public static Optional<Long> asn(Context ctx, String name) {
        return text(ctx, name).map(value -> asn(name, value));
    }

    /**
     * {@code value} of the parameter {@code name} (a query or path parameter, already stripped) as
     * an AS number, in every form {@link Asn#parse} reads; a 400 naming the parameter otherwise.
     */
    public static long asn(String name, String value) {
        try {
            return Asn.parse(value);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter(name, "must be an AS number such as AS65000, 65000 or 1.10 "
                    + "(asdot), not '" + value + "'");
        }
    }

    /**
     * A time in ISO 8601 UTC, such as {@code 2026-11-22T08:00:00Z}. Nothing the service keeps is
     * from before 1970, and PostgreSQL holds no time past 294276: outside that a time is a mistake.
     */
    public static Optional<Instant> instant(Context ctx, String name) {
        return text(ctx, name).map(text -> {
            Instant time;
            try {
                time = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw InvalidInputException.parameter(name, "must be an ISO 8601 UTC time such as "
                        + "2026-11-22T08:00:00Z, not '" + text + "'");
            }
            if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
                throw InvalidInputException.parameter(name, "must lie between " + EARLIEST + " and " + LATEST
                        + ", not '" + text + "'");
            }
            return time;
        });
    }

    /** One of the given words, case-insensitively, returned in lower case. */
    public static Optional<String> choice(Context ctx, String name, String... allowed) {
        return text(ctx, name).map(value -> {
            String lower = value.toLowerCase(Locale.ROOT);
            for (String word : allowed) {
                if (word.equals(lower)) {
                    return word;
                }
            }
            throw InvalidInputException.parameter(name, "must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
        });
    }
}
