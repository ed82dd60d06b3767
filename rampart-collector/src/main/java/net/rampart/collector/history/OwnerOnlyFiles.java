package net.rampart.collector.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The spool holds the routes of every peer, so its directories and files are for Rampart's own
 * account only, from the moment they exist (the process umask usually leaves them world-readable).
 * Public for the load tools' history lanes, which keep a spool of their own.
 */
public final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnlyFiles() {
    }

    /** Creates the directory and missing parents owner-only, and makes it owner-only if an older version made it. */
    public static void directory(Path directory) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.setPosixFilePermissions(directory, DIRECTORY);
    }

    /** Opens the file, creating it owner-only when the options create it. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), FILE);
    }

    /** Replaces the file's content with the text, creating it owner-only. */
    public static void writeAscii(Path file, CharSequence text) throws IOException {
        try (FileChannel channel = open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = StandardCharsets.US_ASCII.encode(CharBuffer.wrap(text));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }
}
