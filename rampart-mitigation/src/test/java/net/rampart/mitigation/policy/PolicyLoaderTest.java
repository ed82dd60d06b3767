package net.rampart.mitigation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.rampart.config.YamlValidator;
import net.rampart.config.YamlValidator.DuplicateKeys;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.EventAction;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.wire.DurationText;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    private final PolicyLoader loader = new PolicyLoader(new TtlBounds(Duration.ofMinutes(1), Duration.ofHours(24)));

    static Path docsDir() {
        String docs = System.getProperty("rampart.docs");
        assumeTrue(docs != null && Files.isDirectory(Path.of(docs)),
                "skipped: the docs folder (system property rampart.docs) is not available");
        return Path.of(docs);
    }

    @Test
    void theDocumentedExamplesLoadAsTheyAre() throws Exception {
        Path docs = docsDir();
        Policy policy = loader.load(docs.resolve("examples/inventory.yaml"), docs.resolve("examples/playbooks.yaml"));

        Customer customer = policy.inventory().customerOwning(AddressText.parse("192.0.2.10")).orElseThrow();
        assertThat(customer.prefixes()).containsExactly(IpPrefix.parse("192.0.2.0/24"),
                IpPrefix.parse("2001:db8::/32"));
        assertThat(policy.inventory().customerOwning(AddressText.parse("2001:db8:ffff::1"))).contains(customer);
        assertThat(policy.inventory().customerOwning(AddressText.parse("198.51.100.1"))).isEmpty();

        Playbook udp = policy.playbookFor(event(AttackVector.UDP_FLOOD), customer.profile()).orElseThrow();
        assertThat(udp.steps()).hasSize(2);
        assertThat(udp.steps().get(0).flowAction()).isEqualTo(new FlowAction.TrafficRate(100_000_000 / 8f));
        assertThat(udp.steps().get(1).flowAction()).isEqualTo(new FlowAction.Discard());
        assertThat(udp.steps().get(1).escalation()).isPresent();
    }

    @Test
    void reportsEveryProblemWithItsPlace() {
        String playbooks = """
                playbooks:
                  - name: bad
                    match: {vectors: [udp_flood, dns_flood]}
                    steps:
                      - action: police
                        ttl: 10m
                        escalate_when: {min_persistence: 1m}
                      - action: discard
                        ttl: 3d
                      - action: redirect
                        ttl: 5s
                        escalate_when: {min_confidence: 2}
                """;
        assertThatThrownBy(() -> loader.parsePlaybooks(playbooks, "playbooks.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "playbooks.yaml: playbooks[0].match.vectors[1]: 'dns_flood' is not one of udp_flood,"
                                + " syn_flood, ack_flood, icmp_flood, unknown",
                        "playbooks.yaml: playbooks[0].steps[0].rate_bps: police needs a rate",
                        "playbooks.yaml: playbooks[0].steps[0].escalate_when: the first step has no escalation"
                                + " condition",
                        "playbooks.yaml: playbooks[0].steps[1].ttl: 3d is outside the allowed 1m to 1d",
                        "playbooks.yaml: playbooks[0].steps[1].escalate_when: required for every step after the first",
                        "playbooks.yaml: playbooks[0].steps[2].route_target: redirect needs a route target",
                        "playbooks.yaml: playbooks[0].steps[2].ttl: 5s is outside the allowed 1m to 1d",
                        "playbooks.yaml: playbooks[0].steps[2].escalate_when.min_confidence: expected a number"
                                + " from 0 to 1"));
    }

    @Test
    void inventoryProblems() {
        String inventory = """
                customers:
                  - id: a
                    prefixes: [192.0.2.1/24]
                  - id: b
                    policy_profile: paranoid
                    prefixes: [2001:db8::/32]
                  - id: c
                    prefixes: [2001:db8::/32]
                  - id: a
                    prefixes: []
                safelist: [not-a-prefix]
                colour: blue
                """;
        assertThatThrownBy(() -> loader.parseInventory(inventory, "inventory.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "inventory.yaml: colour: unknown key (expected one of bgp, customers, pops, safelist)",
                        "inventory.yaml: customers[0].prefixes[0]: '192.0.2.1/24' has host bits set; did you mean"
                                + " 192.0.2.0/24?",
                        "inventory.yaml: customers[1].policy_profile: 'paranoid' is not strict, normal or relaxed",
                        "inventory.yaml: customers[2].prefixes[0]: 2001:db8::/32 already belongs to customer 'b'",
                        "inventory.yaml: customers[3].id: customer 'a' is listed twice",
                        "inventory.yaml: customers[3].prefixes: at least one prefix is required",
                        "inventory.yaml: safelist[0]: 'not-a-prefix' is not an IP address"));
    }

    /**
     * A safelist entry as wide as 0.0.0.0/0 switches mitigation off for every victim it covers
     * without an error anywhere, so the file is refused, naming each such entry.
     */
    @Test
    void tooWideSafelistEntriesRefuseTheFile() {
        String inventory = """
                safelist:
                  - 0.0.0.0/0
                  - {prefix: "::/0", reason: everything}
                  - {prefix: 10.0.0.0/7, reason: one bit too wide}
                  - {prefix: "2000::/15", reason: one bit too wide}
                  - {prefix: 192.0.2.1/24, reason: host bits}
                  - 10.0.0.0/8
                """;
        assertThatThrownBy(() -> loader.parseInventory(inventory, "inventory.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).containsExactly(
                        "inventory.yaml: safelist[0]: 0.0.0.0/0 is too wide to safelist: IPv4 safelist prefixes"
                                + " must be /8 or longer",
                        "inventory.yaml: safelist[1].prefix: ::/0 is too wide to safelist: IPv6 safelist prefixes"
                                + " must be /16 or longer",
                        "inventory.yaml: safelist[2].prefix: 10.0.0.0/7 is too wide to safelist: IPv4 safelist"
                                + " prefixes must be /8 or longer",
                        "inventory.yaml: safelist[3].prefix: 2000::/15 is too wide to safelist: IPv6 safelist"
                                + " prefixes must be /16 or longer",
                        "inventory.yaml: safelist[4].prefix: '192.0.2.1/24' has host bits set; did you mean"
                                + " 192.0.2.0/24?"));
    }

    @Test
    void safelistEntriesAtTheMinimumLengthLoad() throws Exception {
        Inventory inventory = loader.parseInventory("""
                safelist:
                  - 10.0.0.0/8
                  - {prefix: "2001::/16", reason: widest allowed}
                """, "inventory.yaml");
        assertThat(inventory.safelist()).extracting(SafelistEntry::prefix)
                .containsExactly(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("2001::/16"));
    }

    @Test
    void theInventoryMayCarryTheBgpSettings() throws Exception {
        Inventory inventory = loader.parseInventory("""
                bgp:
                  asn: AS65000
                  router_id: 198.51.100.10
                  hold_time: 30s
                  peers: [198.51.100.1/65001, "[2001:db8:ffff::1]:1179/65001"]
                """, "inventory.yaml");
        assertThat(inventory.bgp()).hasValueSatisfying(b -> {
            assertThat(b.localAsn()).isEqualTo(65000);
            assertThat(b.routerId()).isEqualTo(0xC633640A);
            assertThat(b.holdTime()).isEqualTo(Duration.ofSeconds(30));
            assertThat(b.peers()).extracting(Object::toString)
                    .containsExactly("198.51.100.1:179/65001", "[2001:db8:ffff::1]:1179/65001");
        });
        assertThatThrownBy(() -> loader.parseInventory("bgp: {asn: x, router_id: 2001:db8::1, peers: [a/1]}\n",
                "inventory.yaml")).isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
                .containsExactly("inventory.yaml: bgp.asn: 'x' is not an AS number 1-4294967295",
                        "inventory.yaml: bgp.router_id: expected an IPv4 address",
                        "inventory.yaml: bgp.peers[0]: 'a' is not an IP address"));
        // Unquoted asdot 1.10 is the YAML number 1.1, which would read as another ASN (1.1 = AS65537).
        assertThatThrownBy(() -> loader.parseInventory("bgp: {asn: 1.10, router_id: 198.51.100.10, peers: []}\n",
                "inventory.yaml")).isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
                .containsExactly("inventory.yaml: bgp.asn: YAML reads 1.1 as a number; write asdot in quotes, e.g. '1.10'"));
    }

    @Test
    void badYamlAndMissingFilesAreReportedNotThrown(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path broken = dir.resolve("playbooks.yaml");
        Files.writeString(broken, "playbooks: [ {name: x\n");
        assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"), broken))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.problems()).hasSize(2);
                    assertThat(e.problems().get(0)).startsWith("missing.yaml: cannot read");
                    assertThat(e.problems().get(1)).startsWith("playbooks.yaml: not valid YAML");
                });
    }

    @Test
    void matchesOnProtocolPortsAndProfile() throws Exception {
        List<Playbook> playbooks = loader.parsePlaybooks("""
                playbooks:
                  - name: ntp-amplification
                    match: {vectors: [udp_flood], protocols: [udp], dst_ports: [123], profiles: [strict]}
                    steps: [{action: discard, ttl: 5m}]
                  - name: any-udp
                    match: {vectors: [udp_flood]}
                    steps: [{action: mark, dscp: 8, ttl: 5m}]
                """, "playbooks.yaml");
        Policy policy = new Policy(Inventory.empty(), playbooks);
        AttackEvent ntp = new AttackEvent("e", java.time.Instant.EPOCH, "t", AddressText.parse("192.0.2.1"),
                AttackVector.UDP_FLOOD, OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(123, 4444), EventAction.BAN, null);
        assertThat(policy.playbookFor(ntp, PolicyProfile.STRICT).orElseThrow().name()).isEqualTo("ntp-amplification");
        assertThat(policy.playbookFor(ntp, PolicyProfile.RELAXED).orElseThrow().name()).isEqualTo("any-udp");
        assertThat(policy.playbookFor(event(AttackVector.UDP_FLOOD), PolicyProfile.STRICT).orElseThrow().name())
                .isEqualTo("any-udp");
        assertThat(policy.playbookFor(event(AttackVector.ICMP_FLOOD), PolicyProfile.STRICT)).isEmpty();
    }

    @Test
    void ratesAndDurationsAsPeopleWriteThem() {
        List<String> problems = new java.util.ArrayList<>();
        YamlValidator yaml = new YamlValidator("playbooks.yaml", problems, DuplicateKeys.LAST_WINS);
        assertThat(PlaybookSchema.rate("10M", "r", yaml)).hasValue(10_000_000L);
        assertThat(PlaybookSchema.rate("1.5G", "r", yaml)).hasValue(1_500_000_000L);
        assertThat(PlaybookSchema.rate("64000", "r", yaml)).hasValue(64_000L);
        assertThat(problems).isEmpty();
        assertThat(PlaybookSchema.rate("fast", "r", yaml)).isEmpty();
        assertThat(problems).hasSize(1);
        assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
    }

    static AttackEvent event(AttackVector vector) {
        return new AttackEvent("e", java.time.Instant.EPOCH, "t", AddressText.parse("192.0.2.1"), vector,
                OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(), OptionalInt.empty(), List.of(),
                EventAction.BAN, null);
    }
}
