package net.rampart.wire.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real FRR {@code bgpd} with its BMP module, on loopback without zebra, for tests: AS 65000,
 * one passive eBGP neighbour (AS 65001) for IPv4 and IPv6 unicast, and BMP pre- and
 * post-policy monitoring sent to a collector's port. Its vty socket lives in the test's
 * directory, so {@link #vtysh} talks to this bgpd only. {@link #feederConfig} is a GoBGP
 * configuration for that neighbour.
 */
public final class FrrBmpRouter implements AutoCloseable {

    public static final String BGPD = "/usr/lib/frr/bgpd";
    public static final String LOCAL_AS = "65000";

    private final Daemon bgpd;
    private final Path directory;

    private FrrBmpRouter(Daemon bgpd, Path directory) {
        this.bgpd = bgpd;
        this.directory = directory;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of(BGPD)) && Daemon.onPath("vtysh");
    }

    /** Starts bgpd listening on {@code bgpPort} for {@code neighbour}, monitored by BMP to {@code bmpPort}. */
    public static FrrBmpRouter start(Path directory, String neighbour, int bgpPort, int bmpPort)
            throws IOException, InterruptedException {
        Path config = Files.writeString(directory.resolve("bgpd.conf"), config(neighbour, bmpPort));
        Daemon bgpd = Daemon.start("bgpd", directory, List.of(BGPD, "-f", config.toString(),
                "-i", directory.resolve("bgpd.pid").toString(), "--vty_socket", directory.toString(), "-p",
                Integer.toString(bgpPort), "-l", "127.0.0.1", "-Z", "-S", "-M", "bmp", "--log", "stdout"));
        FrrBmpRouter router = new FrrBmpRouter(bgpd, directory);
        if (!Daemon.await(Duration.ofSeconds(60), router::answers)) {
            String log = bgpd.log();
            bgpd.close();
            throw new IOException("bgpd did not start: " + log);
        }
        return router;
    }

    private boolean answers() {
        try {
            vtysh("show bgp summary json");
            return true;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs one vtysh command against this bgpd and returns its output. */
    public String vtysh(String command) throws IOException, InterruptedException {
        return Daemon.run(directory, List.of("vtysh", "--vty_socket", directory.toString(), "-c", command));
    }

    /** Whether the session with {@code neighbour} is Established. */
    public boolean established(String neighbour) {
        try {
            return vtysh("show bgp neighbors " + neighbour + " json").contains("\"bgpState\":\"Established\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String log() {
        return bgpd.log();
    }

    /** Stops bgpd with SIGTERM; its BMP session ends with it. */
    @Override
    public void close() throws InterruptedException {
        bgpd.close();
    }

    private static String config(String neighbour, int bmpPort) {
        return """
                frr defaults traditional
                hostname rampart-it
                !
                router bgp 65000
                 bgp router-id 192.0.2.1
                 no bgp ebgp-requires-policy
                 neighbor %1$s remote-as 65001
                 neighbor %1$s passive
                 !
                 address-family ipv4 unicast
                  neighbor %1$s activate
                  neighbor %1$s soft-reconfiguration inbound
                 exit-address-family
                 address-family ipv6 unicast
                  neighbor %1$s activate
                  neighbor %1$s soft-reconfiguration inbound
                 exit-address-family
                 !
                 bmp targets collector
                  bmp monitor ipv4 unicast pre-policy
                  bmp monitor ipv4 unicast post-policy
                  bmp monitor ipv6 unicast pre-policy
                  bmp monitor ipv6 unicast post-policy
                  bmp connect 127.0.0.1 port %2$d min-retry 100 max-retry 1000
                 exit
                !
                """.formatted(neighbour, bmpPort);
    }

    /** GoBGP as the neighbour: AS 65001 from {@code address}, connecting to bgpd's {@code bgpPort}. */
    public static String feederConfig(String address, int bgpPort) {
        return GoBgpDaemon.config(65001, "192.0.2.2").localAddress(address)
                .neighbor(GoBgpDaemon.neighbor("127.0.0.1", 65000).localAddress(address).remotePort(bgpPort)
                        .connectRetry(1).families("ipv4-unicast", "ipv6-unicast"))
                .toml();
    }
}
