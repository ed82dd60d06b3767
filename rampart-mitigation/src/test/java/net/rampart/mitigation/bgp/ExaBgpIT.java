package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.IntStream;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.flowspec.FlowSpecCodec;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rampart's speaker against a real ExaBGP, read through ExaBGP's own JSON output. */
class ExaBgpIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void exabgpParsesEveryRuleIncludingALongNlriAndSeesWithdrawals() throws Exception {
        assumeTrue(Daemon.onPath("/usr/sbin/exabgp"), "skipped: exabgp is not installed");
        int port = Daemon.freePort();
        Path updates = dir.resolve("updates.jsonl");
        Path receiver = dir.resolve("receiver.sh");
        // The shell keeps its standard output (ExaBGP's pipe) open: ExaBGP takes a closed one for a dead helper.
        Files.writeString(receiver, "#!/bin/sh\ncat >> '" + updates + "'\n");
        Files.setPosixFilePermissions(receiver, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("exabgp.conf"), """
                process receiver {
                    run %s;
                    encoder json;
                }
                neighbor 127.0.0.1 {
                    router-id 10.0.0.3;
                    local-address 127.0.0.1;
                    local-as 65002;
                    peer-as 65000;
                    passive;
                    family {
                        ipv4 flow;
                        ipv6 flow;
                    }
                    api {
                        processes [ receiver ];
                        receive { parsed; update; }
                    }
                }
                """.formatted(receiver));
        List<String> command = List.of("/usr/bin/env", "exabgp.tcp.bind=127.0.0.1", "exabgp.tcp.port=" + port,
                "exabgp.daemon.daemonize=false", "exabgp.daemon.user=" + System.getProperty("user.name"),
                "exabgp.log.destination=stdout", "exabgp.api.ack=false", "/usr/sbin/exabgp",
                dir.resolve("exabgp.conf").toString());
        try (Daemon exabgp = Daemon.start("exabgp", dir, command)) {
            SpeakerSettings settings = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(30),
                    List.of(BgpPeer.parse("127.0.0.1:" + port + "/65002")), 0, Duration.ofMillis(200),
                    Duration.ofSeconds(2), Duration.ZERO);
            try (BgpSpeaker speaker = new BgpSpeaker(settings)) {
                speaker.start(null);
                BgpSession session = speaker.sessions().get(0);
                assertThat(Daemon.await(Duration.ofSeconds(30), session::established))
                        .as(exabgp.log()).isTrue();

                List<Integer> manyPorts = IntStream.range(0, 80).map(i -> 1000 + i).boxed().toList();
                FlowSpecRule longRule = rule("192.0.2.30/32", 17, manyPorts, false, new FlowAction.Discard());
                ByteSink sink = new ByteSink(512);
                FlowSpecCodec.write(FlowSpecEncoding.nlri(longRule.match()), sink);
                assertThat(sink.size()).as("NLRI with its 2-byte length").isGreaterThanOrEqualTo(242);
                FlowSpecRule police = rule("192.0.2.10/32", 17, List.of(53, 123), false,
                        new FlowAction.TrafficRate(12_500_000f));
                FlowSpecRule syn = rule("2001:db8::10/128", 6, List.of(443), true, new FlowAction.Discard());
                FlowSpecRule redirect = rule("192.0.2.20/32", 17, List.of(), false,
                        new FlowAction.Redirect("65000:666"));
                session.announce(List.of(police, syn, redirect, longRule));

                String ports = manyPorts.stream().map(p -> "=" + p).reduce((a, b) -> a + " " + b).orElseThrow();
                Map<String, String> expected = Map.of(
                        "flow destination-ipv4 192.0.2.10/32 protocol =udp destination-port [ =53 =123 ]",
                        "rate-limit:12500000",
                        "flow destination-ipv6 2001:db8::10/128/0 next-header =tcp destination-port =443 tcp-flags"
                                + " [ =syn&!=ack ]", "rate-limit:0",
                        "flow destination-ipv4 192.0.2.20/32 protocol =udp", "redirect:65000:666",
                        "flow destination-ipv4 192.0.2.30/32 protocol =udp destination-port [ " + ports + " ]",
                        "rate-limit:0");
                Daemon.await(Duration.ofSeconds(20), () -> rib(updates).equals(expected));
                assertThat(rib(updates)).as(exabgp.log()).isEqualTo(expected);

                session.withdraw(List.of(police, longRule, syn));
                Map<String, String> left = Map.of("flow destination-ipv4 192.0.2.20/32 protocol =udp",
                        "redirect:65000:666");
                Daemon.await(Duration.ofSeconds(20), () -> rib(updates).equals(left));
                assertThat(rib(updates)).isEqualTo(left);
            }
        }
    }

    private static FlowSpecRule rule(String dst, int protocol, List<Integer> ports, boolean syn, FlowAction action) {
        return new FlowSpecRule(new FlowMatch(IpPrefix.parse(dst), OptionalInt.of(protocol), ports, syn), action);
    }

    /** ExaBGP's view, replayed from its JSON: each rule's text form and its extended communities. */
    private static Map<String, String> rib(Path updates) {
        Map<String, String> rib = new TreeMap<>();
        try {
            if (!Files.exists(updates)) {
                return rib;
            }
            for (String line : Files.readAllLines(updates)) {
                JsonNode update = JSON.readTree(line).path("neighbor").path("message").path("update");
                String communities = String.join(" ", update.path("attribute").path("extended-community")
                        .findValuesAsText("string"));
                update.path("announce").forEach(family -> family.forEach(byNextHop -> byNextHop.forEach(
                        flow -> rib.put(flow.path("string").asText(), communities))));
                update.path("withdraw").forEach(family -> family.forEach(
                        flow -> rib.remove(flow.path("string").asText())));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rib;
    }
}
