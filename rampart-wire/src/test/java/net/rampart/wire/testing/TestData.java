package net.rampart.wire.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real-world captures; tests that need them are skipped, saying so, without them. */
public final class TestData {

    private TestData() {
    }

    /** The folder {@code sub} of the test data, or a skipped test when it is not there. */
    public static Path folder(String sub) {
        String root = System.getProperty("rampart.testdata");
        assumeTrue(root != null && !root.isBlank(),
                "skipped: system property rampart.testdata is not set, so the real-world captures cannot be found");
        Path dir = Path.of(root).resolve(sub);
        assumeTrue(Files.isDirectory(dir), "skipped: test data folder " + dir + " is absent");
        return dir;
    }
}
