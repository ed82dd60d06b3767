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

    /**
     * gobgpd's TOML for a router of AS {@code asn}, listening for BGP nowhere until
     * {@link Config#port} says otherwise, e.g.
     * {@code GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(port, "local-rib").toml()}.
     */
    public static Config config(long asn, String routerId) {
        return new Config(asn, routerId);
    }

    /** A {@code [[neighbors]]} entry for {@link Config#neighbor}. */
    public static Neighbor neighbor(String address, long peerAs) {
        return new Neighbor(address, peerAs);
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The configuration file of one gobgpd; {@link #toml()} renders it. */
    public static final class Config {
        private final long asn;
        private final String routerId;
        private int port = -1;
        private String localAddress;
        private final List<Neighbor> neighbors = new ArrayList<>();
        private final StringBuilder bmpServers = new StringBuilder();
        private final StringBuilder mrtDumps = new StringBuilder();

        private Config(long asn, String routerId) {
            this.asn = asn;
            this.routerId = routerId;
        }

        /** The port it listens on for BGP; -1, the default, listens nowhere. */
        public Config port(int port) {
            this.port = port;
            return this;
        }

        /** The one address it listens on and speaks BGP from ({@code local-address-list}). */
        public Config localAddress(String address) {
            this.localAddress = address;
            return this;
        }

        public Config neighbor(Neighbor neighbor) {
            neighbors.add(neighbor);
            return this;
        }

        /**
         * A BMP station on loopback {@code port} it connects to, sending the routes of
         * {@code routeMonitoringPolicy} ({@code pre-policy}, {@code post-policy},
         * {@code local-rib}, {@code all}, ...).
         */
        public Config bmpServer(int port, String routeMonitoringPolicy) {
            bmpServers.append("""
                    [[bmp-servers]]
                      [bmp-servers.config]
                        address = "127.0.0.1"
                        port = %d
                        route-monitoring-policy = %s
                    """.formatted(port, quoted(routeMonitoringPolicy)));
            return this;
        }

        /** An MRT dump of {@code dumpType} ({@code updates}, {@code table}) to {@code fileName}. */
        public Config mrtDump(String dumpType, String fileName) {
            mrtDumps.append("""
                    [[mrt-dump]]
                      [mrt-dump.config]
                        dump-type = %s
                        file-name = %s
                    """.formatted(quoted(dumpType), quoted(fileName)));
            return this;
        }

        public String toml() {
            StringBuilder toml = new StringBuilder("""
                    [global.config]
                      as = %d
                      router-id = %s
                      port = %d
                    """.formatted(asn, quoted(routerId), port));
            if (localAddress != null) {
                toml.append("  local-address-list = [").append(quoted(localAddress)).append("]\n");
            }
            neighbors.forEach(n -> n.appendTo(toml));
            return toml.append(bmpServers).append(mrtDumps).toString();
        }

        @Override
        public String toString() {
            return toml();
        }
    }

    /** One BGP neighbour of a {@link Config}, with the address families it negotiates. */
    public static final class Neighbor {
        private final String address;
        private final long peerAs;
        private boolean passive;
        private String localAddress;
        private int remotePort;
        private int connectRetrySeconds;
        private int idleHoldAfterResetSeconds;
        private final StringBuilder families = new StringBuilder();

        private Neighbor(String address, long peerAs) {
            this.address = address;
            this.peerAs = peerAs;
        }

        /** Waits for the neighbour to connect instead of connecting itself. */
        public Neighbor passive() {
            this.passive = true;
            return this;
        }

        /** The address it speaks to this neighbour from. */
        public Neighbor localAddress(String address) {
            this.localAddress = address;
            return this;
        }

        /** The neighbour's BGP port, when not 179. */
        public Neighbor remotePort(int port) {
            this.remotePort = port;
            return this;
        }

        /** Seconds between connection attempts (gobgpd's default is 120). */
        public Neighbor connectRetry(int seconds) {
            this.connectRetrySeconds = seconds;
            return this;
        }

        /**
         * Seconds it stays idle after an operator's {@code gobgp neighbor ADDRESS reset} before
         * it takes or makes a connection again (gobgpd's default is 30).
         */
        public Neighbor idleHoldAfterReset(int seconds) {
            this.idleHoldAfterResetSeconds = seconds;
            return this;
        }

        /** Address families by gobgpd's names: {@code ipv4-unicast}, {@code l2vpn-evpn}, {@code ipv6-flowspec}... */
        public Neighbor families(String... names) {
            for (String name : names) {
                family(name, null);
            }
            return this;
        }

        /** An address family in which it accepts ADD-PATH path identifiers from the neighbour. */
        public Neighbor addPathsReceived(String family) {
            return family(family, "receive = true");
        }

        /** An address family in which it sends the neighbour up to {@code max} paths per prefix (ADD-PATH). */
        public Neighbor addPathsSent(String family, int max) {
            return family(family, "send-max = " + max);
        }

        private Neighbor family(String name, String addPaths) {
            families.append("""
                      [[neighbors.afi-safis]]
                        [neighbors.afi-safis.config]
                          afi-safi-name = %s
                    """.formatted(quoted(name)));
            if (addPaths != null) {
                families.append("    [neighbors.afi-safis.add-paths.config]\n      ").append(addPaths).append('\n');
            }
            return this;
        }

        private void appendTo(StringBuilder toml) {
            toml.append("""
                    [[neighbors]]
                      [neighbors.config]
                        neighbor-address = %s
                        peer-as = %d
                    """.formatted(quoted(address), peerAs));
            if (passive || localAddress != null || remotePort != 0) {
                toml.append("  [neighbors.transport.config]\n");
                if (passive) {
                    toml.append("    passive-mode = true\n");
                }
                if (localAddress != null) {
                    toml.append("    local-address = ").append(quoted(localAddress)).append('\n');
                }
                if (remotePort != 0) {
                    toml.append("    remote-port = ").append(remotePort).append('\n');
                }
            }
            if (connectRetrySeconds != 0 || idleHoldAfterResetSeconds != 0) {
                toml.append("  [neighbors.timers.config]\n");
                if (connectRetrySeconds != 0) {
                    toml.append("    connect-retry = ").append(connectRetrySeconds).append('\n');
                }
                if (idleHoldAfterResetSeconds != 0) {
                    toml.append("    idle-hold-time-after-reset = ").append(idleHoldAfterResetSeconds).append('\n');
                }
            }
            toml.append(families);
        }
    }
}
