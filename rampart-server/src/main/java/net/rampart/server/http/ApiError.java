package net.rampart.server.http;

import io.javalin.http.HttpStatus;

import java.util.Locale;

/** The body of every error response: a short machine-readable code and a sentence for people. */
public record ApiError(String error, String detail) {

    /** The error for a status that has no more specific code: the status's name, such as {@code uri_too_long}. */
    public static ApiError forStatus(int status, String detail) {
        return new ApiError(HttpStatus.forStatus(status).name().toLowerCase(Locale.ROOT), detail);
    }
}
