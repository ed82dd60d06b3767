package net.rampart.rpki.rtr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real peer program started by a test and stopped by its own process handle. */
final class ExternalProgram implements AutoCloseable {

    private final Process process;

    private ExternalProgram(Process process) {
        this.process = process;
    }

    static void requireInstalled(String program) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= Files.isExecutable(Path.of(dir, program));
        }
        assumeTrue(found, program + " is not installed: skipping this interop test");
    }

    static ExternalProgram start(List<String> command, Path stdout, Path stderr) throws IOException {
        return new ExternalProgram(new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start());
    }

    /** Runs to completion within the timeout and returns the exit code. */
    static int run(List<String> command, Path stdout, Path stderr, Duration timeout) throws Exception {
        try (ExternalProgram p = start(command, stdout, stderr)) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command.get(0) + " did not finish within " + timeout);
            }
            return p.process.exitValue();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
