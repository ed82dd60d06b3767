package net.rampart.server.learn;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.JsonBody;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;

/**
 * The routes and sessions a request to the feature and prediction APIs names, read from its
 * body with every problem refused naming its field ({@code routes[2].prefix}), and how the
 * answers write a key that names nothing and a feature's value.
 */
final class FeatureKeys {

    /** Keys one request may name. */
    static final int MAX_KEYS = 1000;

    /** A route: the prefix a router has from a peer (every RIB view and path ID of it). */
    record RouteKey(String router, String peer, String prefix) {
    }

    /** A BGP session: a peer of a router. */
    record SessionKey(String router, String peer) {
    }

    private FeatureKeys() {
    }

    static List<RouteKey> routes(JsonNode body, String field) {
        List<RouteKey> keys = new ArrayList<>();
        for (JsonNode key : objects(body, field)) {
            String name = field + "[" + keys.size() + "]";
            keys.add(new RouteKey(required(key, name, "router"), peer(key, name), prefix(key, name)));
        }
        return keys;
    }

    static List<SessionKey> sessions(JsonNode body, String field) {
        List<SessionKey> keys = new ArrayList<>();
        for (JsonNode key : objects(body, field)) {
            String name = field + "[" + keys.size() + "]";
            keys.add(new SessionKey(required(key, name, "router"), peer(key, name)));
        }
        return keys;
    }

    /** The objects of the array {@code field}; none when it is absent. */
    private static List<JsonNode> objects(JsonNode body, String field) {
        JsonNode list = body.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw InvalidInputException.field(field, "must be an array of objects");
        }
        if (list.size() > MAX_KEYS) {
            throw InvalidInputException.field(field, "at most " + MAX_KEYS + " in one request");
        }
        List<JsonNode> keys = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                throw InvalidInputException.field(field + "[" + i + "]", "must be an object");
            }
            keys.add(list.get(i));
        }
        return keys;
    }

    private static String required(JsonNode key, String name, String field) {
        String value = JsonBody.text(key, field);
        if (value.isBlank()) {
            throw InvalidInputException.field(name + "." + field, "required");
        }
        return value;
    }

    /** A peer's address in the form the store keeps it. */
    private static String peer(JsonNode key, String name) {
        String text = required(key, name, "peer");
        try {
            return AddressText.of(AddressText.parse(text));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.field(name + ".peer", e.getMessage());
        }
    }

    private static String prefix(JsonNode key, String name) {
        String text = required(key, name, "prefix");
        try {
            return IpPrefix.parse(text.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.field(name + ".prefix", e.getMessage());
        }
    }

    /** The answer for a key that names nothing the store has: {@code 404 not_found}, naming the key. */
    static void notFound(Context ctx, String field, String detail) {
        ctx.status(HttpStatus.NOT_FOUND).json(ApiError.naming("not_found", field + ": " + detail, field));
    }

    /** A count as an integer, a measure as a number, a missing value (NaN) as null: how the API writes a feature. */
    static Object number(double v) {
        if (Double.isNaN(v)) {
            return null;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }
}
