package net.rampart.wire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * pmacct's BMP collector, {@code pmbmpd}, started for a test on loopback with its message log
 * as JSON lines in a file: another collector's decode of what a test sends, to compare with.
 */
public final class PmBmpd implements AutoCloseable {
    private final Daemon daemon;
    private final Path log;
    private final int port;

    private PmBmpd(Daemon daemon, Path log, int port) {
        this.daemon = daemon;
        this.log = log;
        this.port = port;
    }

    public static boolean installed() {
        return Daemon.onPath("pmbmpd");
    }

    /** Starts pmbmpd in {@code directory} and waits until it accepts connections. */
    public static PmBmpd start(Path directory) throws IOException, InterruptedException {
        int port = Daemon.freePort();
        Path log = directory.resolve("pmbmpd-msglog.json");
        Path config = Files.writeString(directory.resolve("pmbmpd.conf"), String.join("\n",
                "bmp_daemon_ip: 127.0.0.1", "bmp_daemon_port: " + port, "bmp_daemon_max_peers: 50",
                "bmp_daemon_msglog_file: " + log, "bmp_daemon_msglog_output: json",
                "logfile: " + directory.resolve("pmbmpd.log"), ""));
        Daemon daemon = Daemon.start("pmbmpd", directory, List.of("pmbmpd", "-f", config.toString()));
        if (!Daemon.await(Duration.ofSeconds(20), () -> daemon.isAlive() && accepts(port))) {
            String output = daemon.log();
            daemon.close();
            throw new IOException("pmbmpd did not start: " + output);
        }
        return new PmBmpd(daemon, log, port);
    }

    private static boolean accepts(int port) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** Every line pmbmpd has logged so far, parsed. */
    public List<JsonNode> rows() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        if (!Files.exists(log)) {
            return rows;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        return rows;
    }

    public String log() {
        return daemon.log();
    }

    @Override
    public void close() throws InterruptedException {
        daemon.close();
    }
}
