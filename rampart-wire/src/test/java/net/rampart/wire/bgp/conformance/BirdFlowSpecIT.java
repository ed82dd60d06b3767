package net.rampart.wire.bgp.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.flowspec.FlowSpecAction;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends every conformance rule, the one of 240 bytes or more and the IPv6 prefix offset
 * included, to a real BIRD 2 and checks that BIRD accepts each into its FlowSpec tables with
 * the same prefixes, offsets and extended communities. BIRD decodes both of those rules as
 * the RFCs say, which GoBGP and ExaBGP do not.
 * BIRD refuses a neighbor with its own address, so it listens on 127.0.0.2 (still loopback).
 */
class BirdFlowSpecIT {

    @TempDir
    Path dir;

    @Test
    void birdAcceptsEveryRampartFlowSpecRule() throws Exception {
        Path bird = Daemon.locate("bird");
        Path birdc = Daemon.locate("birdc");
        assumeTrue(bird != null && birdc != null, "bird/birdc not installed: BIRD conformance skipped");
        int port = Daemon.freePort();
        Path socket = dir.resolve("bird.ctl");
        Files.writeString(dir.resolve("bird.conf"), """
                router id 192.0.2.103;
                flow4 table flowtab4;
                flow6 table flowtab6;
                protocol device { }
                protocol bgp rampart {
                  local 127.0.0.2 port %d as 65000;
                  neighbor 127.0.0.1 as %d;
                  multihop;
                  strict bind on;
                  passive on;
                  flow4 { table flowtab4; import all; export none; };
                  flow6 { table flowtab6; import all; export none; };
                }
                """.formatted(port, ConformanceRules.LOCAL_AS));
        try (Daemon daemon = Daemon.start("bird", dir, List.of(bird.toString(), "-f", "-c", "bird.conf", "-s",
                socket.toString(), "-P", dir.resolve("bird.pid").toString()))) {
            OpenMessage open = OpenMessage.of(ConformanceRules.LOCAL_AS, 90, 0xC0000265, List.of(
                    new Capability.Multiprotocol(AfiSafi.IPV4_FLOWSPEC), new Capability.Multiprotocol(AfiSafi.IPV6_FLOWSPEC),
                    new Capability.FourOctetAs(ConformanceRules.LOCAL_AS), new Capability.RouteRefresh()));
            try (BgpTestSpeaker speaker = BgpTestSpeaker.connect("127.0.0.2", port, open, Duration.ofSeconds(20))) {
                List<ConformanceRules.Rule> all = new ArrayList<>(ConformanceRules.ipv4());
                all.addAll(ConformanceRules.ipv6());
                for (ConformanceRules.Rule rule : all) {
                    speaker.send(ConformanceRules.announce(rule));
                }
                String v4 = awaitRoutes(birdc, socket, "flowtab4", ConformanceRules.ipv4().size());
                String v6 = awaitRoutes(birdc, socket, "flowtab6", ConformanceRules.ipv6().size());
                assertThat(routes(v4)).as("flowtab4: %s%nBIRD log:%n%s", v4, daemon.log())
                        .containsExactlyInAnyOrderElementsOf(expected(ConformanceRules.ipv4()));
                assertThat(routes(v6)).as("flowtab6: %s%nBIRD log:%n%s", v6, daemon.log())
                        .containsExactlyInAnyOrderElementsOf(expected(ConformanceRules.ipv6()));
            }
        }
    }

    private static final Pattern PREFIX = Pattern.compile("\\b(dst|src) ([0-9a-f.:]+/\\d+)( offset (\\d+))?");
    private static final Pattern COMMUNITY = Pattern.compile("\\(generic, 0x([0-9a-f]+), 0x([0-9a-f]+)\\)");

    /**
     * Each route BIRD shows, reduced to what identifies it here: its source and destination
     * prefixes with their RFC 8956 offsets, and its extended communities.
     */
    private static List<String> routes(String shown) {
        List<String> routes = new ArrayList<>();
        StringBuilder current = null;
        List<Long> communities = new ArrayList<>();
        for (String line : shown.lines().toList()) {
            if (line.startsWith("flow")) {
                if (current != null) {
                    routes.add(current.append(sorted(communities)).toString());
                }
                current = new StringBuilder();
                communities = new ArrayList<>();
                Matcher m = PREFIX.matcher(line.substring(0, line.indexOf('}')));
                while (m.find()) {
                    String cidr = m.group(2);
                    IpPrefix prefix = cidr.contains(":") ? Ipv6Prefix.parse(cidr) : Ipv4Prefix.parse(cidr);
                    current.append(m.group(1)).append(' ').append(prefix).append('@')
                            .append(m.group(4) == null ? "0" : m.group(4)).append("; ");
                }
            } else if (line.contains("BGP.ext_community") && current != null) {
                Matcher m = COMMUNITY.matcher(line);
                while (m.find()) {
                    communities.add(Long.parseUnsignedLong(m.group(1), 16) << 32 | Long.parseUnsignedLong(m.group(2), 16));
                }
            }
        }
        if (current != null) {
            routes.add(current.append(sorted(communities)).toString());
        }
        return routes;
    }

    private static List<String> expected(List<ConformanceRules.Rule> rules) {
        List<String> out = new ArrayList<>();
        for (ConformanceRules.Rule rule : rules) {
            StringBuilder sb = new StringBuilder();
            for (FlowSpecComponent c : rule.nlri().components()) {
                if (c instanceof FlowSpecComponent.Prefix p) {
                    sb.append(p.type() == FlowSpecComponent.DESTINATION_PREFIX ? "dst " : "src ")
                            .append(p.prefix()).append('@').append(p.offset()).append("; ");
                }
            }
            out.add(sb.append(sorted(rule.actions().stream().map(FlowSpecAction::toExtendedCommunity).toList())).toString());
        }
        return out;
    }

    private static String sorted(List<Long> communities) {
        return communities.stream().sorted().map(Long::toHexString).toList().toString();
    }

    private static String awaitRoutes(Path birdc, Path socket, String table, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        String shown = "";
        while (Instant.now().isBefore(deadline)) {
            shown = birdc(birdc, socket, "show route table " + table + " all");
            if (shown.lines().filter(l -> l.startsWith("flow")).count() >= count) {
                break;
            }
            Thread.sleep(200);
        }
        return shown;
    }

    private static String birdc(Path birdc, Path socket, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(birdc.toString(), "-s", socket.toString(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
