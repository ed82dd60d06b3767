package net.rampart.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MitigationConfigTest {

    @TempDir
    Path dir;

    private MitigationConfig config(Map<String, String> values) throws ConfigException {
        return MitigationConfig.from(new Settings(values), dir);
    }

    @Test
    void defaults() throws Exception {
        MitigationConfig c = config(Map.of());
        assertThat(c.pop()).isEqualTo("default");
        assertThat(c.inventoryFile()).isEmpty();
        assertThat(c.dryRun()).isFalse();
        assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.withdrawOnShutdown()).isFalse();
        assertThat(c.auditFile()).isEqualTo(dir.resolve("audit/mitigation.jsonl"));
        assertThat(c.limits().maxPorts()).isEqualTo(8);
        assertThat(c.bgp()).isEmpty();
        assertThat(c.webhooks()).isEmpty();
    }

    @Test
    void bgpPeersNeedAnAsnAndARouterId() throws Exception {
        MitigationConfig c = config(Map.of("RAMPART_BGP_PEERS", "192.0.2.1/65001,[2001:db8::1]:1179/AS65002",
                "RAMPART_BGP_ASN", "AS4200000000", "RAMPART_BGP_ROUTER_ID", "10.0.0.1",
                "RAMPART_BGP_HOLD_TIME", "30s"));
        assertThat(c.bgp()).hasValueSatisfying(b -> {
            assertThat(b.localAsn()).isEqualTo(4200000000L);
            assertThat(b.routerId()).isEqualTo(0x0A000001);
            assertThat(b.peers()).hasSize(2);
            assertThat(b.peers().get(1).port()).isEqualTo(1179);
            assertThat(b.holdTime()).isEqualTo(Duration.ofSeconds(30));
        });
        assertRefused(Map.of("RAMPART_BGP_PEERS", "192.0.2.1/65001", "RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                "RAMPART_BGP_ASN");
        assertRefused(Map.of("RAMPART_BGP_PEERS", "192.0.2.1/65001", "RAMPART_BGP_ASN", "65000"),
                "RAMPART_BGP_ROUTER_ID");
        assertRefused(Map.of("RAMPART_BGP_PEERS", "router-a", "RAMPART_BGP_ASN", "65000",
                "RAMPART_BGP_ROUTER_ID", "10.0.0.1"), "RAMPART_BGP_PEERS");
        assertRefused(Map.of("RAMPART_BGP_PEERS", "192.0.2.1/65001", "RAMPART_BGP_ASN", "65000",
                "RAMPART_BGP_ROUTER_ID", "2001:db8::1"), "RAMPART_BGP_ROUTER_ID");
        assertRefused(Map.of("RAMPART_BGP_PEERS", "192.0.2.1/65001", "RAMPART_BGP_ASN", "65000",
                "RAMPART_BGP_ROUTER_ID", "10.0.0.1", "RAMPART_BGP_HOLD_TIME", "2s"), "RAMPART_BGP_HOLD_TIME");
    }

    /** The inventory's bgp section has the same rules (SpeakerSettingsValidator); here each names its variable. */
    @Test
    void everyBgpRuleNamesItsVariable() {
        Map<String, String> good = Map.of("RAMPART_BGP_PEERS", "192.0.2.1/65001", "RAMPART_BGP_ASN", "65000",
                "RAMPART_BGP_ROUTER_ID", "10.0.0.1");
        assertRefused(with(good, "RAMPART_BGP_ASN", "AS0"), "RAMPART_BGP_ASN");
        assertRefused(with(good, "RAMPART_BGP_GRACEFUL_RESTART_TIME", "4096s"), "RAMPART_BGP_GRACEFUL_RESTART_TIME");
        assertRefused(with(good, "RAMPART_BGP_PASSIVE_PORT", "65536"), "RAMPART_BGP_PASSIVE_PORT");
        // One bad entry of the list: the message says how the list is written.
        assertThatThrownBy(() -> config(with(good, "RAMPART_BGP_PEERS", "192.0.2.1/65001,router-a/65001")))
                .hasMessage("RAMPART_BGP_PEERS: 'router-a' is not an IP address"
                        + " (expected address[:port]/asn, comma-separated)");
    }

    private static Map<String, String> with(Map<String, String> values, String name, String value) {
        Map<String, String> changed = new java.util.HashMap<>(values);
        changed.put(name, value);
        return changed;
    }

    @Test
    void badValuesNameTheirVariable() throws Exception {
        assertRefused(Map.of("RAMPART_POP", "ams 1"), "RAMPART_POP");
        assertRefused(Map.of("RAMPART_INVENTORY", dir.resolve("missing.yaml").toString()), "RAMPART_INVENTORY");
        assertRefused(Map.of("RAMPART_MITIGATION_TTL_MIN", "2h", "RAMPART_MITIGATION_TTL_MAX", "1h"),
                "RAMPART_MITIGATION_TTL_MAX");
        assertRefused(Map.of("RAMPART_MITIGATION_MAX_PORTS", "0"), "RAMPART_MITIGATION_MAX_PORTS");
        assertRefused(Map.of("RAMPART_MITIGATION_WEBHOOKS", "ftp://example.com/x"), "RAMPART_MITIGATION_WEBHOOKS");
        assertRefused(Map.of("RAMPART_MITIGATION_DRY_RUN", "maybe"), "RAMPART_MITIGATION_DRY_RUN");
        Files.writeString(dir.resolve("inventory.yaml"), "customers: []\n");
        assertThat(config(Map.of("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString())).inventoryFile())
                .isPresent();
    }

    private void assertRefused(Map<String, String> values, String setting) {
        assertThatThrownBy(() -> config(values)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.setting()).isEqualTo(setting));
    }
}
