package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.StringJoiner;

/**
 * The usual text of a route's AS path, {@code 65001 65002 {65003,65004}} with confederation
 * segments in parentheses, built from the {@code as_path_segments} of an API route: what routers'
 * CLIs and other collectors print, for the tests that compare the API with them.
 */
final class AsPathText {

    private AsPathText() {
    }

    static String of(JsonNode route) {
        StringJoiner path = new StringJoiner(" ");
        for (JsonNode segment : route.path("as_path_segments")) {
            String type = segment.path("type").asText();
            boolean set = type.endsWith("_set");
            StringJoiner asns = set ? new StringJoiner(",", "{", "}") : new StringJoiner(" ");
            segment.path("asns").forEach(asn -> asns.add(asn.asText()));
            path.add(type.startsWith("as_confed_") ? "(" + asns + ")" : asns.toString());
        }
        return path.toString();
    }
}
