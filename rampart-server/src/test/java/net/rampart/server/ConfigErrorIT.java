package net.rampart.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad setting stops the real process with exit code 2 and one line naming it, no stack trace. */
class ConfigErrorIT {

    @TempDir
    Path dataDir;

    private ServiceProcess run(Map<String, String> overrides) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "RAMPART_HTTP_PORT", Integer.toString(ServiceProcess.freePort()),
                "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0",
                "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dataDir.toString()));
        environment.putAll(overrides);
        return ServiceProcess.start(environment);
    }

    private static void assertConfigError(ServiceProcess service, String setting, String problem) throws Exception {
        assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isEqualTo(2);
        assertThat(service.stderr()).as(service.output()).hasSize(1);
        assertThat(service.stderr().get(0)).startsWith("rampart: configuration error: " + setting + ": ")
                .contains(problem);
        assertThat(String.join("\n", service.stdout()) + service.stderr()).doesNotContain("\tat ", "Exception:");
    }

    @Test
    void portThatIsNotANumber() throws Exception {
        try (var service = run(Map.of("RAMPART_HTTP_PORT", "abc"))) {
            assertConfigError(service, "RAMPART_HTTP_PORT", "'abc' is not a port number");
        }
    }

    @Test
    void portAlreadyInUse() throws Exception {
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (var service = run(Map.of("RAMPART_HTTP_PORT", Integer.toString(taken.getLocalPort())))) {
                assertConfigError(service, "RAMPART_HTTP_PORT", "cannot listen on 127.0.0.1:" + taken.getLocalPort());
            }
        }
    }

    @Test
    void unreachableDatabase() throws Exception {
        int closed = ServiceProcess.freePort();
        try (var service = run(Map.of("RAMPART_DATABASE_URL", "postgresql://rampart:pw@127.0.0.1:" + closed + "/rampart"))) {
            assertConfigError(service, "RAMPART_DATABASE_URL", "cannot connect");
        }
    }
}
