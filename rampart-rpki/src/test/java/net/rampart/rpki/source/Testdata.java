package net.rampart.rpki.source;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real-world samples, or a skipped test saying they are absent. */
public final class Testdata {

    private Testdata() {
    }

    public static Path rpki(String name) {
        String root = System.getProperty("rampart.testdata");
        assumeTrue(root != null && Files.isDirectory(Path.of(root, "rpki")),
                "shared testdata not found (system property rampart.testdata): skipping " + name);
        Path file = Path.of(root, "rpki", name);
        assumeTrue(Files.isRegularFile(file), "testdata file " + name + " absent: skipping");
        return file;
    }
}
