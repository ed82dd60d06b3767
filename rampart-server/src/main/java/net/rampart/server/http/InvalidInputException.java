package net.rampart.server.http;

/**
 * A request part the API refuses at its edge: a query or path parameter, a body field, or a
 * body that is not JSON. It reaches {@link HttpApi}'s error handler, which answers 400 with an
 * {@link ApiError} carrying {@link #error()}, the message and {@link #field()}, so every route
 * refuses the same way. The message names the field or parameter and says what is wrong; text
 * the API refuses for its characters ({@link TextLimits}) is never repeated in it.
 */
public final class InvalidInputException extends RuntimeException {

    private static final String INVALID_PARAMETER = "invalid_parameter";
    private static final String INVALID_FIELD = "invalid_field";
    private static final String INVALID_JSON = "invalid_json";

    private final String error;
    private final String field;

    private InvalidInputException(String error, String field, String detail) {
        super(detail, null, false, false);
        this.error = error;
        this.field = field;
    }

    /** A query or path parameter that is malformed or out of range: {@code invalid_parameter}. */
    public static InvalidInputException parameter(String name, String problem) {
        return new InvalidInputException(INVALID_PARAMETER, name, name + ": " + problem);
    }

    /** A body field (a path such as {@code alerts[0].labels.vector}) missing or wrong: {@code invalid_field}. */
    public static InvalidInputException field(String name, String problem) {
        return new InvalidInputException(INVALID_FIELD, name, name + ": " + problem);
    }

    /** A body that is not JSON, or not the JSON value the operation takes: {@code invalid_json}, naming no field. */
    public static InvalidInputException unreadableBody(String detail) {
        return new InvalidInputException(INVALID_JSON, null, detail);
    }

    /** The error code of the answer: {@code invalid_parameter}, {@code invalid_field} or {@code invalid_json}. */
    public String error() {
        return error;
    }

    /** The body field or the parameter at fault; null for a body that is not JSON. */
    public String field() {
        return field;
    }

    /** The error body this refusal is answered with. */
    public ApiError toApiError() {
        return ApiError.naming(error, getMessage(), field);
    }
}
