package net.rampart.server.http;

/**
 * Text the API refuses at its edge (see {@link TextLimits}). The message names the field or
 * parameter and says what is wrong; it never holds the offending character itself.
 */
public final class InvalidTextException extends RuntimeException {

    private final String error;
    private final String field;

    InvalidTextException(String error, String field, String problem) {
        super(field + ": " + problem, null, false, false);
        this.error = error;
        this.field = field;
    }

    /** The error code of the answer: {@code invalid_field} in a body, {@code invalid_parameter} in the URL. */
    public String error() {
        return error;
    }

    /** The body field (as a path such as {@code alerts[0].labels.vector}) or the parameter at fault. */
    public String field() {
        return field;
    }
}
