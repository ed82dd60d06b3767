package net.rampart.mitigation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The inventory's bgp section goes through the same rules as the RAMPART_BGP_* variables; here
 * each problem is named by its path in the file.
 */
class BgpSectionTest {

    private final PolicyLoader loader = new PolicyLoader(new TtlBounds(Duration.ofMinutes(1), Duration.ofHours(24)));

    private void assertProblems(String bgp, String... expected) {
        assertThatThrownBy(() -> loader.parseInventory("bgp: " + bgp + "\n", "inventory.yaml"))
                .isInstanceOfSatisfying(PolicyException.class,
                        e -> assertThat(e.problems()).containsExactly(expected));
    }

    @Test
    void everyBadValueIsNamedByItsPath() {
        assertProblems("{router_id: 10.0.0.1, peers: [192.0.2.1/65001, x/1], hold_time: 2s,"
                        + " graceful_restart_time: 4096s, passive_port: 70000, colour: red}",
                "inventory.yaml: bgp.colour: unknown key (expected one of asn, graceful_restart_time, hold_time,"
                        + " passive_port, peers, router_id)",
                "inventory.yaml: bgp.asn: required with peers",
                "inventory.yaml: bgp.peers[1]: 'x' is not an IP address",
                "inventory.yaml: bgp.hold_time: '2s' is not 0 or 3-65535 seconds",
                "inventory.yaml: bgp.graceful_restart_time: '4096s' is not 0-4095 seconds",
                "inventory.yaml: bgp.passive_port: '70000' is not a port 0-65535 (0: connect to the peers)");
    }

    @Test
    void peersMustBeAListOfAtLeastOne() {
        assertProblems("{asn: 65000, router_id: 10.0.0.1, peers: 192.0.2.1/65001}",
                "inventory.yaml: bgp.peers: at least one address[:port]/asn is required");
        assertProblems("{asn: 65000, router_id: 10.0.0.1}",
                "inventory.yaml: bgp.peers: at least one address[:port]/asn is required");
    }

    @Test
    void theSectionIsAMapping() {
        assertProblems("[65000]", "inventory.yaml: bgp: expected a mapping");
    }

    @Test
    void numbersAreReadAsWritten() throws Exception {
        // YAML reads these as numbers, not text; the rules see the digits as written.
        Inventory inventory = loader.parseInventory("""
                bgp: {asn: 65000, router_id: 10.0.0.1, peers: [192.0.2.1/65001], hold_time: 30,
                      passive_port: 1179}
                """, "inventory.yaml");
        assertThat(inventory.bgp()).hasValueSatisfying(b -> {
            assertThat(b.localAsn()).isEqualTo(65000);
            assertThat(b.holdTime()).isEqualTo(Duration.ofSeconds(30));
            assertThat(b.passivePort()).isEqualTo(1179);
        });
    }
}
