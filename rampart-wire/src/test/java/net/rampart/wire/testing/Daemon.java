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

/** A real peer process an integration test started itself, stopped by its own pid only. */
public final class Daemon implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
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
        return new Daemon(name, builder.start(), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
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
}
