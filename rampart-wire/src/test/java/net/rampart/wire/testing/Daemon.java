package net.rampart.wire.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/** A real peer process an integration test started itself, stopped by its own pid only. */
public final class Daemon implements AutoCloseable {

    private final String name;
    private final Process process;
    /** Its standard output, and its standard error too unless {@link #errors} is set. */
    private final Path log;
    private final Path errors;

    private Daemon(String name, Process process, Path log, Path errors) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.errors = errors;
    }

    public static Daemon start(String name, Path workDir, List<String> command) throws IOException {
        return start(name, workDir, command, Map.of());
    }

    /** Starts {@code command} in {@code workDir} with {@code environment} added to this JVM's. */
    public static Daemon start(String name, Path workDir, List<String> command, Map<String, String> environment)
            throws IOException {
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new Daemon(name, builder.start(), log, null);
    }

    /**
     * Starts {@code command} in this JVM's working directory with its standard output and
     * standard error in files of their own, for a program whose output a test reads.
     */
    public static Daemon start(List<String> command, Path stdout, Path stderr) throws IOException {
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        return new Daemon(Path.of(command.get(0)).getFileName().toString(), process, stdout, stderr);
    }

    /**
     * Runs {@code command} as {@link #start(List, Path, Path)} does, to completion within
     * {@code timeout}, and returns its exit code.
     */
    public static int run(List<String> command, Path stdout, Path stderr, Duration timeout)
            throws IOException, InterruptedException {
        try (Daemon program = start(command, stdout, stderr)) {
            if (!program.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(command.get(0) + " did not finish within " + timeout);
            }
            return program.process.exitValue();
        }
    }

    /** The CPU time the process has used so far, user and system; zero where the system does not tell. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it wrote, standard error after standard output when they went to files of their own. */
    public String log() {
        return errors == null ? read(log) : read(log) + read(errors);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Sends a signal by this process's own pid: {@code STOP} and {@code CONT} freeze and resume it like a hung router. */
    public void signal(String signal) throws IOException, InterruptedException {
        run(log.getParent(), List.of("kill", "-" + signal, Long.toString(process.pid())));
    }

    /**
     * Stops the process and any children it forked (ExaBGP runs its API helpers as children);
     * the children are listed first, while they are still this process's descendants.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    /** Runs a command to completion (bounded in time) and returns its standard output. */
    public static String run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "cmd", ".out");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String output = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " from " + command + ": " + output);
        }
        return output;
    }

    /** A TCP port on the loopback address that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static boolean onPath(String command) {
        return locate(command) != null;
    }

    /** The executable's path (see {@link #locate}); skips the running test when it is not installed. */
    public static Path require(String command) {
        Path path = locate(command);
        Assumptions.assumeTrue(path != null, command + " is not installed: skipping this interop test");
        return path;
    }

    /**
     * The executable's path, looked up on PATH and in the system binary directories (daemons
     * such as bird and bgpd live in sbin, which a user's PATH may lack), or null when it is not
     * installed.
     */
    public static Path locate(String command) {
        if (command.contains(File.separator)) {
            return Files.isExecutable(Path.of(command)) ? Path.of(command) : null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/bin:/usr/lib/frr";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }

    /** Polls {@code condition} until it holds or the deadline passes; returns whether it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    /** Polls {@code condition} until it holds; fails the test, naming {@code what}, when the deadline passes first. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!await(timeout, condition)) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }
}
