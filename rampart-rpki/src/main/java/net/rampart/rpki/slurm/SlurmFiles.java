package net.rampart.rpki.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured SLURM files, reloaded when one changes on disk. A file that fails to
 * parse keeps its previous good version in force, and the failure is reported; at start
 * ({@link #load}) there is no previous version, so there it is an error.
 */
public final class SlurmFiles {

    private static final Logger log = LoggerFactory.getLogger(SlurmFiles.class);

    /** One file's state, for the API. */
    public record FileState(Path path, boolean loaded, Instant loadedAt, String error, int prefixFilters,
            int prefixAssertions, int aspaFilters, int aspaAssertions, int bgpsecFilters, int bgpsecAssertions) {
    }

    /** What tells a file changed on disk: its modification time and size. */
    private record Stamp(FileTime modified, long size) {
        static Stamp of(Path p) throws IOException {
            return new Stamp(Files.getLastModifiedTime(p), Files.size(p));
        }
    }

    /** @param stamp the file's stamp when last read, or null when it could not be read */
    private record Entry(Stamp stamp, Slurm good, Instant loadedAt, String error) {
    }

    private final List<Path> paths;
    private final Map<Path, Entry> entries = new LinkedHashMap<>();
    private long failures;
    private volatile Slurm combined = Slurm.EMPTY;

    /** Files read on the first {@link #reloadIfChanged}, where a bad one is only reported. */
    public SlurmFiles(List<Path> paths) {
        this.paths = List.copyOf(paths);
    }

    /**
     * Reads every file now, for the start of the service: a file that cannot be read or is not
     * SLURM has no previous version to fall back on, so it is an error rather than a log line.
     * Later changes are picked up by {@link #reloadIfChanged} as usual.
     *
     * @throws IOException naming the first bad file and what is wrong with it
     */
    public static SlurmFiles load(List<Path> paths) throws IOException {
        SlurmFiles files = new SlurmFiles(paths);
        files.loadAll();
        return files;
    }

    private synchronized void loadAll() throws IOException {
        for (Path p : paths) {
            Stamp stamp;
            try {
                stamp = Stamp.of(p);
            } catch (IOException e) {
                throw new IOException(p + ": cannot read: " + e.getMessage(), e);
            }
            try {
                loaded(p, stamp, parse(p));
            } catch (IOException e) {
                throw new IOException(p + ": " + e.getMessage(), e);
            }
        }
        combine();
    }

    /** The merged filters and assertions of every file's last good version. */
    public Slurm current() {
        return combined;
    }

    public synchronized long failures() {
        return failures;
    }

    /** Re-reads files whose modification time or size changed; returns whether the merged SLURM changed. */
    public synchronized boolean reloadIfChanged() {
        boolean changed = false;
        for (Path p : paths) {
            Stamp stamp;
            try {
                stamp = Stamp.of(p);
            } catch (IOException e) {
                changed |= recordFailure(p, null, "cannot read: " + e.getMessage());
                continue;
            }
            Entry old = entries.get(p);
            if (old != null && stamp.equals(old.stamp)) {
                continue;
            }
            try {
                loaded(p, stamp, parse(p));
                changed = true;
            } catch (IOException e) {
                changed |= recordFailure(p, stamp, e.getMessage());
            }
        }
        if (changed) {
            combine();
        }
        return changed;
    }

    private static Slurm parse(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return SlurmParser.parse(in);
        }
    }

    private void loaded(Path p, Stamp stamp, Slurm s) {
        entries.put(p, new Entry(stamp, s, Instant.now(), null));
        log.atInfo().addKeyValue("event", "slurm_loaded").addKeyValue("file", p.toString())
                .addKeyValue("prefix_filters", s.prefixFilters().size())
                .addKeyValue("prefix_assertions", s.prefixAssertions().size()).log("SLURM file loaded");
    }

    private void combine() {
        List<Slurm> good = new ArrayList<>();
        entries.values().stream().filter(e -> e.good != null).forEach(e -> good.add(e.good));
        combined = Slurm.merge(good);
    }

    private boolean recordFailure(Path p, Stamp stamp, String error) {
        Entry old = entries.get(p);
        if (old != null && Objects.equals(old.stamp, stamp) && error.equals(old.error)) {
            return false;
        }
        failures++;
        log.atError().addKeyValue("event", "slurm_invalid").addKeyValue("file", p.toString())
                .addKeyValue("error", error).log("SLURM file rejected: keeping its previous version");
        entries.put(p, new Entry(stamp, old == null ? null : old.good, old == null ? null : old.loadedAt, error));
        return false;
    }

    public synchronized List<FileState> states() {
        List<FileState> out = new ArrayList<>();
        for (Path p : paths) {
            Entry e = entries.get(p);
            Slurm s = e == null || e.good == null ? Slurm.EMPTY : e.good;
            out.add(new FileState(p, e != null && e.good != null, e == null ? null : e.loadedAt,
                    e == null ? "not read yet" : e.error, s.prefixFilters().size(), s.prefixAssertions().size(),
                    s.aspaFilters().size(), s.aspaAssertions().size(), s.bgpsecFilters().size(),
                    s.bgpsecAssertions().size()));
        }
        return out;
    }
}
