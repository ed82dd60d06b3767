package net.rampart.collector.bmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real gobgpd started for a test on loopback, driven through its own CLI. */
public final class GoBgpDaemon implements AutoCloseable {

    private final Process process;
    private final int apiPort;
    private final Path log;

    private GoBgpDaemon(Process process, int apiPort, Path log) {
        this.process = process;
        this.apiPort = apiPort;
        this.log = log;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/gobgpd")) && Files.isExecutable(Path.of("/usr/bin/gobgp"));
    }

    /** Starts gobgpd with the given TOML and waits until its API answers. */
    public static GoBgpDaemon start(Path directory, String toml) throws IOException, InterruptedException {
        Path config = Files.writeString(directory.resolve("gobgpd.toml"), toml);
        Path log = directory.resolve("gobgpd.log");
        int apiPort = freePort();
        Process process = new ProcessBuilder("gobgpd", "-f", config.toString(), "-p",
                "--api-hosts", "127.0.0.1:" + apiPort, "--pprof-disable")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var daemon = new GoBgpDaemon(process, apiPort, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", apiPort), 200);
                return daemon;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        daemon.close();
        throw new IOException("gobgpd did not start: " + Files.readString(log));
    }

    public static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code gobgp -p PORT args...} and returns its stdout; fails on a non-zero exit. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gobgp", "-p", Integer.toString(apiPort)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(20, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** {@code gobgp global rib -a FAMILY -j}: the sender's own view of its Loc-RIB. */
    public JsonNode localRib(String family) throws IOException, InterruptedException {
        String json = cli("global", "rib", "-a", family, "-j");
        return new ObjectMapper().readTree(json.isBlank() ? "{}" : json);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops it with SIGTERM, as an operator would; its BMP session ends with it. */
    public void stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
