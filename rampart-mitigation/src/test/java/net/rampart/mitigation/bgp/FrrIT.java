package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rampart's speaker against a real FRR bgpd, read back with FRR's own {@code show bgp ... flowspec}. */
class FrrIT {

    @TempDir
    Path dir;

    @Test
    void frrShowsExactlyTheRulesAndDropsWithdrawnOnes() throws Exception {
        assumeTrue(Daemon.onPath("/usr/lib/frr/bgpd"), "skipped: FRR bgpd is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: FRR bgpd runs as user frr, which only root can start it as");
        int port = Daemon.freePort();
        Files.writeString(dir.resolve("bgpd.conf"), """
                frr defaults traditional
                hostname rampart-test
                log stdout informational
                !
                router bgp 65003
                 bgp router-id 10.0.0.4
                 no bgp ebgp-requires-policy
                 neighbor 127.0.0.1 remote-as 65000
                 neighbor 127.0.0.1 passive
                 !
                 address-family ipv4 flowspec
                  neighbor 127.0.0.1 activate
                 exit-address-family
                 !
                 address-family ipv6 flowspec
                  neighbor 127.0.0.1 activate
                 exit-address-family
                !
                """);
        giveToFrr(dir);
        List<String> command = List.of("/usr/lib/frr/bgpd", "-f", dir.resolve("bgpd.conf").toString(), "-i",
                dir.resolve("bgpd.pid").toString(), "-p", Integer.toString(port), "-l", "127.0.0.1", "-Z", "-P", "0",
                "--vty_socket", dir.toString(), "-u", "frr", "-g", "frr", "--log", "stdout");
        try (Daemon bgpd = Daemon.start("bgpd", dir, command)) {
            SpeakerSettings settings = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(30),
                    List.of(BgpPeer.parse("127.0.0.1:" + port + "/65003")), 0, Duration.ofMillis(200),
                    Duration.ofSeconds(2), Duration.ZERO);
            try (BgpSpeaker speaker = new BgpSpeaker(settings)) {
                speaker.start(null);
                BgpSession session = speaker.sessions().get(0);
                assertThat(Daemon.await(Duration.ofSeconds(60), session::established))
                        .as(bgpd.log()).isTrue();
                FlowSpecRule police = rule("192.0.2.10/32", 17, List.of(53, 123), false,
                        new FlowAction.TrafficRate(12_500_000f));
                FlowSpecRule syn = rule("2001:db8::10/128", 6, List.of(443), true, new FlowAction.Discard());
                FlowSpecRule mark = rule("192.0.2.21/32", 1, List.of(), false, new FlowAction.MarkDscp(10));
                // FRR 8.4 refuses FlowSpec NLRI in the 2-octet length form (240 bytes and more), as
                // GoBGP does; ExaBgpIT covers those.
                session.announce(List.of(police, syn, mark));
                Set<String> v4 = Set.of(
                        "Destination Address 192.0.2.10/32; IP Protocol = 17; Destination Port = 53 , = 123;"
                                + " FS:rate 12500000.000000",
                        "Destination Address 192.0.2.21/32; IP Protocol = 1; FS:marking 10");
                Set<String> v6 = Set.of("Destination Address 2001:db8::10/128/off 0; IP Protocol = 6;"
                        + " Destination Port = 443; TCP Flags = 2,&= ! 16; FS:rate 0.000000");
                assertThat(awaitShow("ipv4", v4)).as(bgpd.log()).isEqualTo(v4);
                assertThat(awaitShow("ipv6", v6)).isEqualTo(v6);

                session.withdraw(List.of(police, syn));
                Set<String> left = Set.of("Destination Address 192.0.2.21/32; IP Protocol = 1; FS:marking 10");
                assertThat(awaitShow("ipv4", left)).isEqualTo(left);
                assertThat(awaitShow("ipv6", Set.of())).isEmpty();
            }
        }
    }

    private Set<String> awaitShow(String family, Set<String> expected) throws Exception {
        @SuppressWarnings("unchecked")
        Set<String>[] seen = new Set[] {Set.of()};
        Daemon.await(Duration.ofSeconds(20), () -> {
            try {
                seen[0] = show(family);
                return seen[0].equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
        return seen[0];
    }

    /** FRR's entries, each as its match and action lines joined, without the timing lines. */
    private Set<String> show(String family) throws Exception {
        String out = Daemon.run(dir, List.of("/usr/bin/vtysh", "--vty_socket", dir.toString(), "-c",
                "show bgp " + family + " flowspec detail"));
        Set<String> entries = new TreeSet<>();
        List<String> current = new ArrayList<>();
        for (String raw : (out + "\nBGP flowspec entry:").split("\n")) {
            String line = raw.strip();
            if (line.startsWith("BGP flowspec entry:") || line.startsWith("Displayed")) {
                if (!current.isEmpty()) {
                    entries.add(String.join("; ", current));
                    current.clear();
                }
            } else if (!line.isEmpty() && !line.startsWith("received for") && !line.startsWith("not installed")
                    && !line.startsWith("installed in")) {
                current.add(line);
            }
        }
        return entries;
    }

    private static void giveToFrr(Path dir) throws Exception {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal frr = users.lookupPrincipalByName("frr");
        GroupPrincipal group = users.lookupPrincipalByGroupName("frr");
        try (var files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(frr);
                view.setGroup(group);
            }
        }
    }

    private static FlowSpecRule rule(String dst, int protocol, List<Integer> ports, boolean syn, FlowAction action) {
        return new FlowSpecRule(new FlowMatch(IpPrefix.parse(dst), OptionalInt.of(protocol), ports, syn), action);
    }
}
