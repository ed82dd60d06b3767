package net.rampart.wire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The config builder writes the TOML the integration tests used to spell out by hand. */
class GoBgpDaemonConfigTest {

    @Test
    void aBmpSenderWithoutBgpListener() {
        assertThat(GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(11019, "local-rib").toml()).isEqualTo("""
                [global.config]
                  as = 65001
                  router-id = "192.0.2.254"
                  port = -1
                [[bmp-servers]]
                  [bmp-servers.config]
                    address = "127.0.0.1"
                    port = 11019
                    route-monitoring-policy = "local-rib"
                """);
    }

    @Test
    void aPassiveFlowSpecPeer() {
        String toml = GoBgpDaemon.config(65001, "10.0.0.2").port(1790).localAddress("127.0.0.1")
                .neighbor(GoBgpDaemon.neighbor("127.0.0.1", 65000).passive().families("ipv4-flowspec", "ipv6-flowspec"))
                .toml();
        assertThat(toml).isEqualTo("""
                [global.config]
                  as = 65001
                  router-id = "10.0.0.2"
                  port = 1790
                  local-address-list = ["127.0.0.1"]
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "127.0.0.1"
                    peer-as = 65000
                  [neighbors.transport.config]
                    passive-mode = true
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-flowspec"
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv6-flowspec"
                """);
    }

    @Test
    void addPathsTimersAndAnMrtDump() {
        String recorder = GoBgpDaemon.config(65000, "192.0.2.1").port(1791).localAddress("127.0.0.1")
                .neighbor(GoBgpDaemon.neighbor("127.0.0.2", 65001).passive().localAddress("127.0.0.1")
                        .addPathsReceived("ipv4-unicast").families("ipv6-unicast"))
                .mrtDump("updates", "updates.mrt").toml();
        assertThat(recorder).isEqualTo("""
                [global.config]
                  as = 65000
                  router-id = "192.0.2.1"
                  port = 1791
                  local-address-list = ["127.0.0.1"]
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "127.0.0.2"
                    peer-as = 65001
                  [neighbors.transport.config]
                    passive-mode = true
                    local-address = "127.0.0.1"
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                    [neighbors.afi-safis.add-paths.config]
                      receive = true
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv6-unicast"
                [[mrt-dump]]
                  [mrt-dump.config]
                    dump-type = "updates"
                    file-name = "updates.mrt"
                """);
        String sender = GoBgpDaemon.config(65001, "192.0.2.2").localAddress("127.0.0.2")
                .neighbor(GoBgpDaemon.neighbor("127.0.0.1", 65000).localAddress("127.0.0.2").remotePort(1791)
                        .connectRetry(1).addPathsSent("ipv4-unicast", 8))
                .toml();
        assertThat(sender).isEqualTo("""
                [global.config]
                  as = 65001
                  router-id = "192.0.2.2"
                  port = -1
                  local-address-list = ["127.0.0.2"]
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "127.0.0.1"
                    peer-as = 65000
                  [neighbors.transport.config]
                    local-address = "127.0.0.2"
                    remote-port = 1791
                  [neighbors.timers.config]
                    connect-retry = 1
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                    [neighbors.afi-safis.add-paths.config]
                      send-max = 8
                """);
    }

    @Test
    void valuesAreQuotedAsTomlStrings() {
        assertThat(GoBgpDaemon.config(65001, "192.0.2.1").mrtDump("updates", "a \"b\"\\c").toml())
                .contains("file-name = \"a \\\"b\\\"\\\\c\"");
    }
}
