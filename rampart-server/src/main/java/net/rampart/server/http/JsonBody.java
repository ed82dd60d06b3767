package net.rampart.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Request bodies as every route reads them, so that a bad one gets the same answer on every route. */
public final class JsonBody {

    private JsonBody() {
    }

    /**
     * The body's JSON, or null for an empty body.
     *
     * @throws InvalidInputException when the body is not JSON, with Jackson's own message: where the
     *                               syntax breaks, or "Duplicate field 'x'" naming a repeated key
     */
    public static JsonNode read(ObjectMapper json, Context ctx) {
        try {
            return json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw InvalidInputException.unreadableBody("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The JSON object in the body.
     *
     * @param expected what the route says when the body is JSON but not an object
     * @throws InvalidInputException when it is not JSON or not an object
     */
    public static JsonNode object(ObjectMapper json, Context ctx, String expected) {
        JsonNode body = read(json, ctx);
        if (body == null || !body.isObject()) {
            throw InvalidInputException.unreadableBody(expected);
        }
        return body;
    }

    /**
     * A text field of a body, "" when it is absent or null.
     *
     * @throws InvalidInputException naming the field when it holds anything but a string
     */
    public static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw InvalidInputException.field(field, "expected a string");
        }
        return value.textValue();
    }
}
