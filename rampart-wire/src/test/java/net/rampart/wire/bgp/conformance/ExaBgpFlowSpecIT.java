package net.rampart.wire.bgp.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.flowspec.FlowSpecAction;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends Rampart-encoded FlowSpec UPDATEs to a real ExaBGP and checks that its JSON API reports
 * the same rules and extended communities; and has ExaBGP announce a rule of 240 bytes or more,
 * which Rampart must decode to the rule it describes.
 */
class ExaBgpFlowSpecIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void exabgpAcceptsAndShowsRampartFlowSpecRules() throws Exception {
        Path exabgp = Daemon.locate("exabgp");
        assumeTrue(exabgp != null, "exabgp not installed: ExaBGP conformance skipped");
        int port = Daemon.freePort();
        Path received = dir.resolve("received.json");
        Path receiver = dir.resolve("receiver.sh");
        // ExaBGP treats a helper whose stdout closes as dead, so the helper keeps it open.
        Files.writeString(receiver, "#!/bin/sh\nwhile IFS= read -r line; do printf '%s\\n' \"$line\" >> '"
                + received + "'; done\n");
        Files.setPosixFilePermissions(receiver, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("exabgp.conf"), """
                process receiver {
                    run %s;
                    encoder json;
                }
                neighbor 127.0.0.1 {
                    router-id 192.0.2.102;
                    local-address 127.0.0.1;
                    local-as 65000;
                    peer-as %d;
                    passive;
                    listen %d;
                    family {
                        ipv4 flow;
                        ipv6 flow;
                    }
                    api {
                        processes [ receiver ];
                        receive { parsed; update; }
                    }
                    flow {
                        route long-rule {
                            match {
                %s            }
                            then {
                                rate-limit 5000;
                            }
                        }
                    }
                }
                """.formatted(receiver, ConformanceRules.LOCAL_AS, port, exabgpRoute(LONG_RULE)));
        Map<String, String> env = Map.of("exabgp.daemon.user", System.getProperty("user.name"),
                "exabgp.daemon.daemonize", "false", "exabgp.log.destination", "stdout", "exabgp.cli.enable", "false");
        try (Daemon daemon = Daemon.start("exabgp", dir, List.of(exabgp.toString(), dir.resolve("exabgp.conf").toString()),
                env)) {
            OpenMessage open = OpenMessage.of(ConformanceRules.LOCAL_AS, 90, 0xC0000265, List.of(
                    new Capability.Multiprotocol(AfiSafi.IPV4_FLOWSPEC), new Capability.Multiprotocol(AfiSafi.IPV6_FLOWSPEC),
                    new Capability.FourOctetAs(ConformanceRules.LOCAL_AS), new Capability.RouteRefresh()));
            List<ConformanceRules.Rule> sent = new ArrayList<>(ConformanceRules.ipv4());
            sent.addAll(ConformanceRules.ipv6());
            sent.removeIf(r -> !withinExaBgpLimits(r));
            try (BgpTestSpeaker speaker = BgpTestSpeaker.connect(port, open, Duration.ofSeconds(20))) {
                for (ConformanceRules.Rule rule : sent) {
                    speaker.send(ConformanceRules.announce(rule));
                }
                Map<Map<String, List<String>>, List<Long>> expected = new HashMap<>();
                for (ConformanceRules.Rule rule : sent) {
                    expected.put(ExaBgpNotation.render(rule.nlri()),
                            rule.actions().stream().map(FlowSpecAction::toExtendedCommunity).sorted().toList());
                }
                Map<Map<String, List<String>>, List<Long>> shown = awaitFlows(received, sent.size());
                assertThat(shown).as("ExaBGP log:%n%s", daemon.log()).isEqualTo(expected);

                // ExaBGP announces its own rule of 240 bytes or more; Rampart must decode it as the same rule.
                FlowSpecNlri decoded = speaker.awaitFlowSpec(Duration.ofSeconds(20));
                assertThat(decoded).isEqualTo(LONG_RULE.nlri());
            }
        }
    }

    /**
     * ExaBGP 4.2 decodes the 0xFnnn length by shifting the high nibble 16 bits instead of 8, so
     * it cannot take a rule of 240 bytes or more (it encodes them correctly, which the test
     * uses the other way round), and it drops IPv6 prefixes with a non-zero RFC 8956 offset.
     */
    private static boolean withinExaBgpLimits(ConformanceRules.Rule rule) {
        boolean offset = rule.nlri().components().stream()
                .anyMatch(c -> c instanceof FlowSpecComponent.Prefix p && p.offset() != 0);
        return !offset && !ConformanceRules.needsTwoOctetLength(rule);
    }

    private static final ConformanceRules.Rule LONG_RULE = ConformanceRules.ipv4().stream()
            .filter(ConformanceRules::needsTwoOctetLength).findFirst().orElseThrow();

    /** ExaBGP's static-route notation for a rule whose components are a prefix and port equalities. */
    private static String exabgpRoute(ConformanceRules.Rule rule) {
        StringBuilder match = new StringBuilder();
        for (FlowSpecComponent c : rule.nlri().components()) {
            switch (c) {
                case FlowSpecComponent.Prefix p -> match.append("destination ").append(p.prefix()).append(";\n");
                case FlowSpecComponent.Numeric n -> {
                    match.append("port [");
                    n.matches().forEach(m -> match.append(" =").append(m.value()));
                    match.append(" ];\n");
                }
                default -> throw new IllegalArgumentException(c.toString());
            }
        }
        return match.toString();
    }

    /** What ExaBGP reported: each announced rule in its notation, mapped to the extended communities of its UPDATE. */
    private static Map<Map<String, List<String>>, List<Long>> awaitFlows(Path received, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        Map<Map<String, List<String>>, List<Long>> flows = new HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            flows.clear();
            if (Files.exists(received)) {
                for (String line : Files.readAllLines(received)) {
                    JsonNode update = JSON.readTree(line).path("neighbor").path("message").path("update");
                    List<Long> communities = new ArrayList<>();
                    update.path("attribute").path("extended-community").forEach(ec -> communities.add(ec.path("value").asLong()));
                    communities.sort(null);
                    for (JsonNode family : update.path("announce")) {
                        for (JsonNode nextHop : family) {
                            for (JsonNode flow : nextHop) {
                                Map<String, List<String>> rule = new LinkedHashMap<>();
                                flow.fields().forEachRemaining(f -> {
                                    if (!f.getKey().equals("string")) {
                                        List<String> terms = new ArrayList<>();
                                        f.getValue().forEach(t -> terms.add(t.asText()));
                                        rule.put(f.getKey(), terms);
                                    }
                                });
                                flows.put(rule, communities);
                            }
                        }
                    }
                }
            }
            if (flows.size() >= count) {
                break;
            }
            Thread.sleep(200);
        }
        return flows;
    }
}
