package net.rampart.rpki.rtr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.rampart.rpki.InMemorySnapshotStore;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.testing.Daemon;

/**
 * Real routers take their VRPs from Rampart's RTR server and classify routes with them:
 * FRR's bgpd (rtrlib) marks its routes valid, invalid or not found, and follows an
 * incremental update; BIRD 2's RPKI protocol fills its ROA table and roa_check agrees.
 */
class RouterInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LOCAL_AS = 65000;

    private static RpkiSnapshot snapshot(Vrp... vrps) {
        return RpkiSnapshot.of(VrpSet.of(List.of(vrps)), List.of(), List.of());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not finish");
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void frrMarksItsRoutesAndFollowsAnUpdate(@TempDir Path dir) throws Exception {
        Path bgpd = Path.of("/usr/lib/frr/bgpd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bgpd),
                "FRR bgpd is not installed: skipping the FRR interop test");
        boolean rpkiModule;
        try (var files = Files.find(Path.of("/usr/lib"), 4, (p, a) -> p.endsWith("bgpd_rpki.so"))) {
            rpkiModule = files.findAny().isPresent();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(rpkiModule,
                "frr-rpki-rtrlib (bgpd_rpki.so) is not installed: skipping the FRR interop test");
        String vtysh = Daemon.require("vtysh").toString();
        SnapshotHistory history = SnapshotHistory.open(new InMemorySnapshotStore(), 10, Clock.systemUTC());
        history.update(snapshot(Vrp.parse("192.0.2.0/24", 24, LOCAL_AS), Vrp.parse("198.51.100.0/24", 24, 64999)));
        try (RtrServer server = new RtrServer(history, new RtrTimers(30, 10, 600), 2)) {
            int port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
            Path conf = dir.resolve("bgpd.conf");
            Files.writeString(conf, """
                    hostname rampart-it
                    rpki
                     rpki polling_period 30
                     rpki cache 127.0.0.1 %d preference 1
                    exit
                    router bgp %d
                     bgp router-id 192.0.2.1
                     no bgp ebgp-requires-policy
                     address-family ipv4 unicast
                      network 192.0.2.0/24
                      network 198.51.100.0/24
                      network 203.0.113.0/24
                     exit-address-family
                    exit
                    """.formatted(port, LOCAL_AS));
            try (Daemon frr = Daemon.start(List.of(bgpd.toString(), "-Z", "-S", "-n", "-p", "0",
                    "-M", "rpki", "-f", conf.toString(), "-i", dir.resolve("bgpd.pid").toString(), "--vty_socket",
                    dir.toString(), "-A", "127.0.0.1", "-P", "0", "--log", "stdout"), dir.resolve("bgpd.out"),
                    dir.resolve("bgpd.err"))) {
                Daemon.await("FRR to mark 192.0.2.0/24 valid", TIMEOUT,
                        () -> "valid".equals(frrState(vtysh, dir, "192.0.2.0/24")));
                assertThat(frrState(vtysh, dir, "198.51.100.0/24")).isEqualTo("invalid");
                assertThat(frrState(vtysh, dir, "203.0.113.0/24")).isEqualTo("not found");
                assertThat(frr.isAlive()).isTrue();

                // A new serial: FRR is notified, asks for the delta and re-validates.
                history.update(snapshot(Vrp.parse("192.0.2.0/24", 24, LOCAL_AS),
                        Vrp.parse("198.51.100.0/24", 24, LOCAL_AS), Vrp.parse("203.0.113.0/24", 24, 64999)));
                Daemon.await("FRR to follow the update", TIMEOUT,
                        () -> "valid".equals(frrState(vtysh, dir, "198.51.100.0/24"))
                                && "invalid".equals(frrState(vtysh, dir, "203.0.113.0/24")));
                String table = run(List.of(vtysh, "--vty_socket", dir.toString(), "-c", "show rpki prefix-table"));
                assertThat(table).contains("Number of IPv4 Prefixes: 3");
            }
        }
    }

    private static String frrState(String vtysh, Path vtyDir, String prefix) {
        try {
            String out = run(List.of(vtysh, "--vty_socket", vtyDir.toString(), "-c",
                    "show bgp ipv4 unicast " + prefix + " json"));
            JsonNode paths = JSON.readTree(out).path("paths");
            return paths.isEmpty() ? null : paths.get(0).path("rpkiValidationState").asText(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void birdFillsItsRoaTableAndClassifiesRoutes(@TempDir Path dir) throws Exception {
        String birdProgram = Daemon.require("bird").toString();
        String birdc = Daemon.require("birdc").toString();
        List<Vrp> vrps = new ArrayList<>();
        vrps.add(Vrp.parse("192.0.2.0/24", 24, 64496));
        vrps.add(Vrp.parse("198.51.100.0/22", 24, 64497));
        vrps.add(Vrp.parse("2001:db8::/32", 48, 64498));
        SnapshotHistory history = SnapshotHistory.open(new InMemorySnapshotStore(), 10, Clock.systemUTC());
        history.update(RpkiSnapshot.of(VrpSet.of(vrps), List.of(), List.of()));
        try (RtrServer server = new RtrServer(history, new RtrTimers(30, 10, 600), 2)) {
            int port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
            Path conf = dir.resolve("bird.conf");
            Path ctl = dir.resolve("bird.ctl");
            Files.writeString(conf, """
                    router id 192.0.2.1;
                    roa4 table rpki4;
                    roa6 table rpki6;
                    protocol device { }
                    protocol rpki rampart {
                      roa4 { table rpki4; };
                      roa6 { table rpki6; };
                      remote 127.0.0.1 port %d;
                      retry keep 5;
                      refresh keep 30;
                      expire keep 600;
                    }
                    """.formatted(port));
            try (Daemon bird = Daemon.start(List.of(birdProgram, "-f", "-c", conf.toString(), "-s",
                    ctl.toString(), "-P", dir.resolve("bird.pid").toString()), dir.resolve("bird.out"),
                    dir.resolve("bird.err"))) {
                Daemon.await("BIRD's RPKI session with Rampart", TIMEOUT,
                        () -> birdc(birdc, ctl, "show protocols rampart").contains("Established"));
                Daemon.await("BIRD's ROA tables", TIMEOUT,
                        () -> birdc(birdc, ctl, "show route table rpki4 count").contains("2 of 2 routes")
                                && birdc(birdc, ctl, "show route table rpki6 count").contains("1 of 1 routes"));
                // roa_check: 1 is ROA_VALID, 2 ROA_INVALID, 0 ROA_UNKNOWN.
                assertThat(birdc(birdc, ctl, "eval roa_check(rpki4, 192.0.2.0/24, 64496)")).contains(")1");
                assertThat(birdc(birdc, ctl, "eval roa_check(rpki4, 192.0.2.0/24, 64511)")).contains(")2");
                assertThat(birdc(birdc, ctl, "eval roa_check(rpki4, 198.51.101.0/24, 64497)")).contains(")1");
                assertThat(birdc(birdc, ctl, "eval roa_check(rpki4, 198.51.101.128/25, 64497)")).contains(")2");
                assertThat(birdc(birdc, ctl, "eval roa_check(rpki4, 203.0.113.0/24, 64497)")).contains(")0");
                assertThat(birdc(birdc, ctl, "eval roa_check(rpki6, 2001:db8:1::/48, 64498)")).contains(")1");
                assertThat(bird.isAlive()).isTrue();
            }
        }
    }

    private static String birdc(String birdc, Path ctl, String command) {
        try {
            return run(List.of(birdc, "-s", ctl.toString(), command));
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
