package net.rampart.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad setting, or a bad file a setting names, stops the real process with exit code 2 and one
 * line naming the setting, no stack trace.
 */
class ConfigErrorIT {

    @TempDir
    Path dataDir;

    /** The files the settings name, kept apart from the data directory whose contents are checked. */
    @TempDir
    Path files;

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

    /** A bad file is found before the embedded database is started (or even made). */
    private void assertDatabaseNotStarted(ServiceProcess service) {
        assertThat(service.events("database_started")).as(service.output()).isEmpty();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    private void assertFileError(Map<String, String> settings, String setting, String problem) throws Exception {
        try (var service = run(settings)) {
            assertConfigError(service, setting, problem);
            assertDatabaseNotStarted(service);
        }
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

    @Test
    void slurmFileThatIsNotJson() throws Exception {
        Path slurm = Files.writeString(files.resolve("local.slurm.json"), "{ broken");
        assertFileError(Map.of("RAMPART_RPKI_SLURM_FILES", slurm.toString()), "RAMPART_RPKI_SLURM_FILES",
                "local.slurm.json: not JSON");
    }

    @Test
    void slurmFileThatIsJsonButNotSlurm() throws Exception {
        Path slurm = Files.writeString(files.resolve("local.slurm.json"), """
                {"validationOutputFilters": {"prefixFilters": [{"asn": 64496}]}}""");
        assertFileError(Map.of("RAMPART_RPKI_SLURM_FILES", slurm.toString()), "RAMPART_RPKI_SLURM_FILES",
                "local.slurm.json: slurmVersion must be 1 or 2");
    }

    @Test
    void vrpFileSourceThatDoesNotExist() throws Exception {
        assertFileError(Map.of("RAMPART_RPKI_SOURCES", "file:" + files.resolve("missing-vrps.json")),
                "RAMPART_RPKI_SOURCES", "missing-vrps.json is not a readable file");
    }

    @Test
    void vrpFileSourceThatIsNotVrpData() throws Exception {
        // A SLURM file named as a source by mistake: JSON, but no VRPs.
        Path vrps = Files.writeString(files.resolve("vrps.json"), "{\"slurmVersion\": 1}");
        assertFileError(Map.of("RAMPART_RPKI_SOURCES", "file:" + vrps), "RAMPART_RPKI_SOURCES",
                "vrps.json: JSON has neither metadata nor roas: not VRP data");
    }

    @Test
    void inventoryWithAYamlSyntaxError() throws Exception {
        Path inventory = Files.writeString(files.resolve("inventory.yaml"), "customers: [ {id: example-net\n");
        // The parser's message spans lines (the offending line, a caret); the setting is still reported on one.
        assertFileError(Map.of("RAMPART_INVENTORY", inventory.toString()), "RAMPART_INVENTORY",
                "inventory.yaml: not valid YAML");
    }

    @Test
    void playbookWithAnUnknownAction() throws Exception {
        Path playbooks = Files.writeString(files.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp
                    match: {vectors: [udp_flood]}
                    steps: [{action: explode, ttl: 10m}]
                """);
        assertFileError(Map.of("RAMPART_PLAYBOOKS", playbooks.toString()), "RAMPART_PLAYBOOKS",
                "playbooks.yaml: playbooks[0].steps[0].action: 'explode' is not police, discard, redirect or mark");
    }

    @Test
    void monitorsFileWithProblems() throws Exception {
        Path monitors = Files.writeString(files.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 192.0.2.1/24
                    origins: [AS6x]
                """);
        // Every problem of the file, in the one line.
        assertFileError(Map.of("RAMPART_MONITORS", monitors.toString()), "RAMPART_MONITORS",
                "monitors.yaml: prefixes[0].prefix: '192.0.2.1/24' has host bits set; did you mean 192.0.2.0/24?; "
                        + "monitors.yaml: prefixes[0].origins[0]: 'AS6x' is not an AS number");
    }
}
