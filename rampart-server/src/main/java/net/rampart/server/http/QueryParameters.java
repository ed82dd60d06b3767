package net.rampart.server.http;

import io.javalin.http.Context;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Query parameters in the API's shared forms; a bad one is a 400 naming the parameter. */
public final class QueryParameters {

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

    /** An AS number, as {@code AS65000} or {@code 65000} (0 to 4294967295). */
    public static Optional<Long> asn(Context ctx, String name) {
        return text(ctx, name).map(value -> {
            String digits = value.toUpperCase(Locale.ROOT).startsWith("AS") ? value.substring(2) : value;
            try {
                long asn = Long.parseLong(digits);
                if (asn >= 0 && asn <= 0xFFFF_FFFFL && !digits.startsWith("+")) {
                    return asn;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw InvalidInputException.parameter(name, "must be an AS number such as AS65000 or 65000, not '" + value + "'");
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
