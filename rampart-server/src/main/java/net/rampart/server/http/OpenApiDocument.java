package net.rampart.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.rampart.server.security.AccessRules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi.json}: the base document with every area's fragment merged in. Built once at
 * start; a fragment that is missing or malformed stops the start, since the API would be
 * undocumented.
 */
final class OpenApiDocument {

    private static final String BASE = "openapi/base.json";

    private OpenApiDocument() {
    }

    static ObjectNode build(ObjectMapper json, List<String> fragments, String version) {
        ObjectNode document = read(json, BASE);
        document.withObject("/info").put("version", version);
        for (String fragment : fragments) {
            ObjectNode part = read(json, fragment);
            mergeObject(document.withObject("/paths"), part.path("paths"), fragment);
            // Every components section (schemas, parameters, responses, ...) is one namespace.
            for (var section = part.path("components").fields(); section.hasNext(); ) {
                var entry = section.next();
                mergeObject(document.withObject("/components").withObject("/" + entry.getKey()), entry.getValue(),
                        fragment);
            }
        }
        return document;
    }

    /**
     * Declares bearer authentication as the document's default, marks the public operations
     * with an empty {@code security}, and gives each protected operation its required scope
     * ({@code x-required-scope}) and the 401, 403 and 429 answers: taken from the same
     * {@link AccessRules} the guard applies, so the document cannot drift from what is enforced.
     */
    static void applySecurity(ObjectNode document, AccessRules rules) {
        document.withObject("/components").withObject("/securitySchemes").withObject("/bearerAuth")
                .put("type", "http").put("scheme", "bearer")
                .put("description", "An API token (rmp_...), created with ./rampart tokens create; see docs/security.md");
        document.putArray("security").addObject().putArray("bearerAuth");
        ObjectNode responses = document.withObject("/components").withObject("/responses");
        responses.set("Unauthorized", errorResponse(document, "No token, or an unknown or revoked one"));
        responses.set("Forbidden", errorResponse(document, "The token's scope is below the one this operation needs"));
        responses.set("RateLimited", errorResponse(document, "The token exceeded its request rate; see Retry-After"));
        for (var path = document.path("paths").fields(); path.hasNext(); ) {
            var entry = path.next();
            for (var op = entry.getValue().fields(); op.hasNext(); ) {
                var operation = op.next();
                ObjectNode body = (ObjectNode) operation.getValue();
                var required = rules.required(operation.getKey().toUpperCase(java.util.Locale.ROOT), entry.getKey());
                if (required.isEmpty()) {
                    body.putArray("security");
                    continue;
                }
                body.put("x-required-scope", required.get().label());
                ObjectNode answers = body.withObject("/responses");
                answers.putObject("401").put("$ref", "#/components/responses/Unauthorized");
                answers.putObject("403").put("$ref", "#/components/responses/Forbidden");
                if (!answers.has("429")) {
                    answers.putObject("429").put("$ref", "#/components/responses/RateLimited");
                }
            }
        }
    }

    private static ObjectNode errorResponse(ObjectNode document, String description) {
        ObjectNode response = document.objectNode().put("description", description);
        response.withObject("/content").withObject("/application~1json").withObject("/schema")
                .put("$ref", "#/components/schemas/Error");
        return response;
    }

    private static void mergeObject(ObjectNode into, com.fasterxml.jackson.databind.JsonNode from, String fragment) {
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = from.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (into.has(entry.getKey())) {
                throw new IllegalStateException(fragment + " redefines " + entry.getKey());
            }
            into.set(entry.getKey(), entry.getValue());
        }
    }

    private static ObjectNode read(ObjectMapper json, String resource) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI fragment " + resource + " is not on the classpath");
            }
            return (ObjectNode) json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("OpenAPI fragment " + resource + " is not valid JSON", e);
        }
    }
}
