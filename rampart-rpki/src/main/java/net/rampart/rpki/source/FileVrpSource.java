package net.rampart.rpki.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** A JSON or CSV export on the local disk, e.g. written by a relying party on the same host. */
public final class FileVrpSource implements VrpSource {

    private final Path path;

    public FileVrpSource(Path path) {
        this.path = path;
    }

    /** The file, as configured, for checking it before the service starts. */
    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return "file:" + path;
    }

    @Override
    public SourceData fetch(Instant now) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return PayloadParser.parse(in, name(), now);
        }
    }
}
