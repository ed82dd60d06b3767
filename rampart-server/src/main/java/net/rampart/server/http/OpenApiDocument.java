package net.rampart.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
