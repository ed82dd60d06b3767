package net.rampart.mitigation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditLogTest {

    @Test
    void appendsOneJsonObjectPerLineAcrossReopens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit/mitigation.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(new AuditEntry(Instant.parse("2026-11-22T08:00:00Z"), "ams1", "detector:fnm",
                    "mitigation_created", "m-1", "e-1", Map.of("victim", "192.0.2.1")));
        }
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(new AuditEntry(Instant.parse("2026-11-22T08:01:00Z"), "ams1", "token:alice",
                    "mitigation_withdrawn", "m-1", null, Map.of("reason", "quote \" and\nnewline")));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("schema_version").asInt()).isEqualTo(AuditEntry.SCHEMA_VERSION);
        assertThat(first.get("time").asText()).isEqualTo("2026-11-22T08:00:00Z");
        assertThat(first.get("actor").asText()).isEqualTo("detector:fnm");
        assertThat(first.get("details").get("victim").asText()).isEqualTo("192.0.2.1");
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.get("event_id").isNull()).isTrue();
        assertThat(second.get("details").get("reason").asText()).isEqualTo("quote \" and\nnewline");
    }

    @Test
    void theFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path created = dir.resolve("audit/mitigation.jsonl");
        new JsonLinesAuditLog(created).close();
        assertThat(Files.getPosixFilePermissions(created)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(created.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));

        // A file an older version left readable by everyone is tightened and keeps its entries.
        Path older = Files.writeString(dir.resolve("older.jsonl"), "{}\n");
        Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rw-r--r--"));
        new JsonLinesAuditLog(older).close();
        assertThat(Files.getPosixFilePermissions(older)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(older)).isEqualTo("{}\n");
    }
}
