package net.rampart.server;

import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every route the fully assembled service serves is in /openapi.json, and nothing more. */
class OpenApiCoverageIT {

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
        } finally {
            service.stop();
        }
    }
}
