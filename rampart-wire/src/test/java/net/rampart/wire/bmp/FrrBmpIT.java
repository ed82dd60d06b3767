package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real FRR ({@code bgpd -M bmp}) sends BMP to a test listener; the routes we decode for its
 * peer must be what FRR's own CLI shows: the pre-policy Adj-RIB-In against
 * {@code show bgp ... neighbors X received-routes json}, the post-policy one against
 * {@code ... neighbors X routes json}, for IPv4 and IPv6 unicast, before and after a
 * withdrawal. The peer is a GoBGP speaker whose routes are injected with its CLI. bgpd runs
 * without zebra on loopback ports, its vty socket in the test's directory.
 *
 * <p>One systematic difference, FRR's and not ours: FRR 8.4 builds Route Monitoring UPDATEs
 * with its outbound attribute code, which prepends the router's own AS (65000) to the AS_PATH of
 * routes from an eBGP peer. The decoded path is therefore the CLI's with 65000 in front, and is
 * compared as such. (FRR 8.4 also has no Loc-RIB monitoring: {@code bmp monitor ... loc-rib} is
 * not a command there.)
 */
class FrrBmpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BGPD = "/usr/lib/frr/bgpd";
    private static final String FEEDER = "127.0.0.2";
    private static final String LOCAL_AS = "65000";

    @TempDir
    Path work;

    @Test
    void decodedRoutesMatchFrrCli() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BGPD)) && Daemon.onPath("vtysh"), "skipped: FRR (bgpd, vtysh) is not installed");
        assumeTrue(Daemon.onPath("gobgpd") && Daemon.onPath("gobgp"), "skipped: gobgpd/gobgp (the FRR peer) are not installed");
        int bgpPort = Daemon.freePort();
        int feederApi = Daemon.freePort();
        try (BmpTestListener bmp = new BmpTestListener()) {
            Files.writeString(work.resolve("bgpd.conf"), frrConfig(bmp.port()));
            Files.writeString(work.resolve("feeder.toml"), feederConfig(bgpPort));
            try (Daemon frr = Daemon.start("bgpd", work, List.of(BGPD, "-f", work.resolve("bgpd.conf").toString(),
                    "-i", work.resolve("bgpd.pid").toString(), "--vty_socket", work.toString(), "-p",
                    Integer.toString(bgpPort), "-l", "127.0.0.1", "-Z", "-S", "-M", "bmp", "--log", "stdout"));
                 Daemon feeder = Daemon.start("gobgpd-feeder", work, List.of("gobgpd", "-f", "feeder.toml",
                    "--pprof-disable", "--api-hosts", "127.0.0.1:" + feederApi, "-l", "info"))) {
                assertThat(Daemon.await(Duration.ofSeconds(60), this::established))
                        .as("BGP session up; logs:%n%s%n%s", frr.log(), feeder.log()).isTrue();
                gobgp(feederApi, "global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.2", "community", "65001:100",
                        "aspath", "65010");
                gobgp(feederApi, "global", "rib", "add", "10.1.1.0/24", "nexthop", "192.0.2.2");
                gobgp(feederApi, "global", "rib", "add", "-a", "ipv6", "2001:db8:1::/48", "nexthop", "2001:db8::2");
                gobgp(feederApi, "global", "rib", "add", "-a", "ipv6", "2001:db8:2::/48", "nexthop", "2001:db8::2",
                        "aspath", "65020 65021");
                awaitAgreement(bmp, 4);
                gobgp(feederApi, "global", "rib", "del", "10.1.1.0/24");
                awaitAgreement(bmp, 3);
                assertThat(bmp.failures()).as("decode failures").isEmpty();
            }
        }
    }

    private void awaitAgreement(BmpTestListener bmp, int expected) throws Exception {
        Daemon.await(Duration.ofSeconds(60), () -> {
            try {
                Map<String, Map<String, String>> cli = cliViews();
                return cli.get("pre").size() == expected && cli.equals(bmpViews(bmp));
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, Map<String, String>> cli = cliViews();
        assertThat(cli.get("pre")).hasSize(expected);
        assertThat(bmpViews(bmp)).isEqualTo(cli);
    }

    private static Map<String, Map<String, String>> bmpViews(BmpTestListener bmp) {
        RibViews rib = RibViews.replay(bmp.messages());
        Map<String, Map<String, String>> views = new TreeMap<>();
        for (String view : List.of("pre", "post")) {
            Map<String, String> routes = new TreeMap<>();
            // The CLI's JSON for these views has no communities; compare path and next hop.
            rib.view(view, FEEDER).forEach((k, v) -> routes.put(k, v.replaceAll(" communities=.*", "")));
            views.put(view, routes);
        }
        return views;
    }

    private Map<String, Map<String, String>> cliViews() throws Exception {
        Map<String, String> pre = new TreeMap<>();
        Map<String, String> post = new TreeMap<>();
        for (String afi : List.of("ipv4", "ipv6")) {
            JsonNode received = JSON.readTree(vtysh("show bgp " + afi + " unicast neighbors " + FEEDER + " received-routes json"));
            received.path("receivedRoutes").fields().forEachRemaining(e -> {
                JsonNode r = e.getValue();
                String nextHop = r.has("nextHopGlobal") ? r.path("nextHopGlobal").asText() : r.path("nextHop").asText();
                pre.put(RibViews.canonicalPrefix(e.getKey()), attributes(r.path("path").asText(), nextHop));
            });
            JsonNode accepted = JSON.readTree(vtysh("show bgp " + afi + " unicast neighbors " + FEEDER + " routes json"));
            accepted.path("routes").fields().forEachRemaining(e -> {
                JsonNode r = e.getValue().path(0);
                post.put(RibViews.canonicalPrefix(e.getKey()),
                        attributes(r.path("path").asText(), r.path("nexthops").path(0).path("ip").asText()));
            });
        }
        Map<String, Map<String, String>> views = new TreeMap<>();
        views.put("pre", pre);
        views.put("post", post);
        return views;
    }

    /** The CLI's attributes as the BMP stream carries them: FRR 8.4 prepends its own AS there (see above). */
    private static String attributes(String cliPath, String nextHop) {
        String bmpPath = cliPath.isEmpty() ? LOCAL_AS : LOCAL_AS + " " + cliPath;
        return RibViews.attributes(bmpPath, RibViews.canonicalPrefix(nextHop + "/0").replace("/0", ""), "")
                .replaceAll(" communities=.*", "");
    }

    private boolean established() {
        try {
            return vtysh("show bgp neighbors " + FEEDER + " json").contains("\"bgpState\":\"Established\"");
        } catch (Exception e) {
            return false;
        }
    }

    private String vtysh(String command) throws Exception {
        return Daemon.run(work, List.of("vtysh", "--vty_socket", work.toString(), "-c", command));
    }

    private String gobgp(int api, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("gobgp", "-u", "127.0.0.1", "-p", Integer.toString(api)));
        command.addAll(List.of(args));
        return Daemon.run(work, command);
    }

    private static String frrConfig(int bmpPort) {
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
                """.formatted(FEEDER, bmpPort);
    }

    private static String feederConfig(int bgpPort) {
        return """
                [global.config]
                  as = 65001
                  router-id = "192.0.2.2"
                  port = -1
                  local-address-list = ["%1$s"]
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "127.0.0.1"
                    peer-as = 65000
                  [neighbors.transport.config]
                    local-address = "%1$s"
                    remote-port = %2$d
                  [neighbors.timers.config]
                    connect-retry = 1
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv6-unicast"
                """.formatted(FEEDER, bgpPort);
    }
}
