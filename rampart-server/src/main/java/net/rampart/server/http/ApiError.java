package net.rampart.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.HttpStatus;

import java.util.Locale;

/**
 * The body of every error response: a short machine-readable code and a sentence for people,
 * and, where the code has one, what it names. The codes are listed in docs/api.md.
 *
 * @param field     the body field or query/path parameter at fault ({@code invalid_field},
 *                  {@code invalid_parameter}); absent otherwise
 * @param guardrail the guardrail that refused an event ({@code guardrail_refused}); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String detail, String field, String guardrail) {

    public ApiError(String error, String detail) {
        this(error, detail, null, null);
    }

    /** An error about one body field or parameter, which it names. */
    public static ApiError naming(String error, String detail, String field) {
        return new ApiError(error, detail, field, null);
    }

    /** An event a mitigation guardrail refused, naming the guardrail. */
    public static ApiError guardrailRefused(String detail, String guardrail) {
        return new ApiError("guardrail_refused", detail, null, guardrail);
    }

    /** The error for a status that has no more specific code: the status's name, such as {@code uri_too_long}. */
    public static ApiError forStatus(int status, String detail) {
        return new ApiError(HttpStatus.forStatus(status).name().toLowerCase(Locale.ROOT), detail);
    }
}
