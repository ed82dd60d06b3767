package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the fully assembled service serves is in /openapi.json, and nothing more; every
 * list in it is documented in the one shape of docs/api.md.
 */
class OpenApiCoverageIT {

    /** Not a list to page through: the {@code top} few routes of a ranking, at most 1000 (docs/api.md). */
    private static final String RANKING = "/api/v1/churn";

    @Test
    void openApiDocumentsExactlyTheServedRoutes(@TempDir Path dataDir) throws Exception {
        var settings = new Settings(Map.of("RAMPART_HTTP_PORT", Integer.toString(ServiceProcess.freePort()),
                "RAMPART_BMP_PORT", "0", "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dataDir.toString()));
        var service = new RampartService(ServerConfig.from(settings), settings, "test");
        try {
            service.start();
            var paths = service.openApi().path("paths");
            var served = service.servedRoutes();
            assertThat(served).isNotEmpty();
            for (var route : served) {
                assertThat(paths.path(route.path()).has(route.method().name().toLowerCase(Locale.ROOT)))
                        .as("OpenAPI documents %s %s", route.method(), route.path()).isTrue();
            }
            paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method ->
                    assertThat(served).as("%s %s is documented but not served", method, path.getKey())
                            .anyMatch(route -> route.path().equals(path.getKey())
                                    && route.method().name().equalsIgnoreCase(method))));
            everyListIsTheSharedPage(service.openApi());
        } finally {
            service.stop();
        }
    }

    /**
     * An operation answering a list (an {@code items} array) answers the shared Page schema, takes
     * the shared limit and cursor parameters and documents their 400 as an Error. A list given
     * its own shape, or one that forgets limit or cursor, fails here.
     */
    private static void everyListIsTheSharedPage(JsonNode document) {
        int[] lists = {0};
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            JsonNode operation = method.getValue();
            JsonNode schema = resolve(document, operation.at("/responses/200/content/application~1json/schema"));
            boolean page = false;
            for (JsonNode part : schema.path("allOf")) {
                page |= part.path("$ref").asText().equals("#/components/schemas/Page");
            }
            if (!(page || schema.path("properties").has("items")) || path.getKey().equals(RANKING)) {
                return;
            }
            lists[0]++;
            String what = method.getKey() + " " + path.getKey();
            assertThat(page).as("%s answers allOf the shared Page", what).isTrue();
            assertThat(operation.path("parameters").findValuesAsText("$ref")).as("%s's parameters", what)
                    .contains("#/components/parameters/Limit", "#/components/parameters/Cursor");
            assertThat(resolve(document, operation.at("/responses/400")).at("/content/application~1json/schema/$ref")
                    .asText()).as("%s's 400", what).isEqualTo("#/components/schemas/Error");
        }));
        // routers, peers, routes, evpn, rpki/peers, history, vrps, tokens, mitigations, safelist, pops, mitigation/peers
        assertThat(lists[0]).as("lists found in the document").isEqualTo(12);
    }

    /** {@code node}, or what its {@code $ref} (a pointer into this document) names. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }
}
