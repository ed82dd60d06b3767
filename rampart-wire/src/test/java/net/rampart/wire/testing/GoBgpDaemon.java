package net.rampart.wire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real gobgpd started for a test on loopback, with its gRPC API on a free port, driven
 * through its own CLI. Several can run in one directory under different names.
 */
public final class GoBgpDaemon implements AutoCloseable {

    private final Daemon daemon;
    private final Path directory;
    private final int apiPort;

    private GoBgpDaemon(Daemon daemon, Path directory, int apiPort) {
        this.daemon = daemon;
        this.directory = directory;
        this.apiPort = apiPort;
    }

    public static boolean installed() {
        return Daemon.onPath("gobgpd") && Daemon.onPath("gobgp");
    }

    /** Starts gobgpd named "gobgpd" with the given TOML and waits until its API answers. */
    public static GoBgpDaemon start(Path directory, String toml) throws IOException, InterruptedException {
        return start(directory, "gobgpd", toml);
    }

    /**
     * Starts gobgpd with the given TOML, written to {@code NAME.toml} (its log goes to
     * {@code NAME.log}), and waits until its API answers.
     */
    public static GoBgpDaemon start(Path directory, String name, String toml) throws IOException, InterruptedException {
        Path config = Files.writeString(directory.resolve(name + ".toml"), toml);
        int apiPort = Daemon.freePort();
        Daemon daemon = Daemon.start(name, directory, List.of("gobgpd", "-f", config.toString(), "-t", "toml",
                "--api-hosts", "127.0.0.1:" + apiPort, "--pprof-disable", "-l", "info"));
        if (!Daemon.await(Duration.ofSeconds(20), () -> daemon.isAlive() && answers(apiPort))) {
            String log = daemon.log();
            daemon.close();
            throw new IOException(name + " did not start: " + log);
        }
        return new GoBgpDaemon(daemon, directory, apiPort);
    }

    private static boolean answers(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Runs {@code gobgp -p PORT args...} and returns its stdout; fails on a non-zero exit. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gobgp", "-u", "127.0.0.1", "-p", Integer.toString(apiPort)));
        command.addAll(List.of(args));
        return Daemon.run(directory, command);
    }

    /** {@code gobgp global rib -a FAMILY -j}: the daemon's own view of its Loc-RIB. */
    public JsonNode localRib(String family) throws IOException, InterruptedException {
        String json = cli("global", "rib", "-a", family, "-j");
        return new ObjectMapper().readTree(json.isBlank() ? "{}" : json);
    }

    /**
     * The FlowSpec rules of its Loc-RIB for {@code family} ({@code ipv4-flowspec} or
     * {@code ipv6-flowspec}), each as gobgp prints it: the match, a space, and the actions
     * without gobgp's "(as: N)" decoration, e.g.
     * {@code [destination: 192.0.2.10/32][protocol: ==udp] rate: 12500000.000000}.
     */
    public Set<String> flowSpecRules(String family) throws IOException, InterruptedException {
        Set<String> rules = new TreeSet<>();
        for (String line : cli("global", "rib", "-a", family).split("\n")) {
            if (!line.startsWith("*>")) {
                continue;
            }
            String match = line.substring(3, line.lastIndexOf(']', line.indexOf(" fictitious")) + 1).strip();
            String actions = line.substring(line.indexOf("Extcomms: [") + "Extcomms: [".length());
            actions = actions.substring(0, actions.indexOf(']')).replaceAll("\\(as: \\d+\\)", "").strip();
            rules.add(match + " " + actions);
        }
        return rules;
    }

    /** Whether its session with {@code neighbor} is ESTABLISHED; false while the API does not answer. */
    public boolean established(String neighbor) {
        try {
            return cli("neighbor", neighbor, "-j").contains("\"session_state\":6");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isAlive() {
        return daemon.isAlive();
    }

    /** Freezes ({@code STOP}) or resumes ({@code CONT}) it, as a hung router would be. */
    public void signal(String signal) throws IOException, InterruptedException {
        daemon.signal(signal);
    }

    public String log() {
        return daemon.log();
    }

    /** Stops it with SIGTERM, as an operator would; its BGP and BMP sessions end with it. */
    @Override
    public void close() throws InterruptedException {
        daemon.close();
    }
}
