package net.rampart.mitigation.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends audit entries to a file, one JSON object per line, flushed after each so that a crash
 * loses nothing already recorded. Fields: {@code schema_version}, {@code time}, {@code pop},
 * {@code actor}, {@code action}, {@code mitigation_id}, {@code event_id}, {@code details}.
 * The file says who mitigated what and when, so it is readable by its owner only.
 */
public final class JsonLinesAuditLog implements AuditLog, Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private final ReentrantLock lock = new ReentrantLock();

    public JsonLinesAuditLog(Path file) throws IOException {
        if (file.getParent() != null) {
            // Only directories created here are made owner-only: an existing one may be shared, like /var/log.
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // Versions before this one created it readable by everyone.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void record(AuditEntry entry) {
        String line = toJson(entry);
        lock.lock();
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log", e);
        } finally {
            lock.unlock();
        }
    }

    static String toJson(AuditEntry entry) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("schema_version", AuditEntry.SCHEMA_VERSION);
            g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(entry.time()));
            g.writeStringField("pop", entry.pop());
            g.writeStringField("actor", entry.actor());
            g.writeStringField("action", entry.action());
            g.writeStringField("mitigation_id", entry.mitigationId());
            g.writeStringField("event_id", entry.eventId());
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, String> e : entry.details().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            out.close();
        } finally {
            lock.unlock();
        }
    }
}
