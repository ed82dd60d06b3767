package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.FrrBmpRouter;
import net.rampart.wire.testing.GoBgpDaemon;
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
    private static final String FEEDER = "127.0.0.2";

    @TempDir
    Path work;

    @Test
    void decodedRoutesMatchFrrCli() throws Exception {
        assumeTrue(FrrBmpRouter.installed(), "skipped: FRR (bgpd, vtysh) is not installed");
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp (the FRR peer) are not installed");
        int bgpPort = Daemon.freePort();
        try (BmpTestListener bmp = new BmpTestListener();
             FrrBmpRouter frr = FrrBmpRouter.start(work, FEEDER, bgpPort, bmp.port());
             GoBgpDaemon feeder = GoBgpDaemon.start(work, "gobgpd-feeder", FrrBmpRouter.feederConfig(FEEDER, bgpPort))) {
            assertThat(Daemon.await(Duration.ofSeconds(60), () -> frr.established(FEEDER)))
                    .as("BGP session up; logs:%n%s%n%s", frr.log(), feeder.log()).isTrue();
            feeder.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.2", "community", "65001:100",
                    "aspath", "65010");
            feeder.cli("global", "rib", "add", "10.1.1.0/24", "nexthop", "192.0.2.2");
            feeder.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:1::/48", "nexthop", "2001:db8::2");
            feeder.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:2::/48", "nexthop", "2001:db8::2",
                    "aspath", "65020 65021");
            awaitAgreement(bmp, frr, 4);
            feeder.cli("global", "rib", "del", "10.1.1.0/24");
            awaitAgreement(bmp, frr, 3);
            assertThat(bmp.failures()).as("decode failures").isEmpty();
        }
    }

    private void awaitAgreement(BmpTestListener bmp, FrrBmpRouter frr, int expected) throws Exception {
        Daemon.await(Duration.ofSeconds(60), () -> {
            try {
                Map<String, Map<String, String>> cli = cliViews(frr);
                return cli.get("pre").size() == expected && cli.equals(bmpViews(bmp));
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, Map<String, String>> cli = cliViews(frr);
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

    private static Map<String, Map<String, String>> cliViews(FrrBmpRouter frr) throws Exception {
        Map<String, String> pre = new TreeMap<>();
        Map<String, String> post = new TreeMap<>();
        for (String afi : List.of("ipv4", "ipv6")) {
            JsonNode received = JSON.readTree(frr.vtysh("show bgp " + afi + " unicast neighbors " + FEEDER + " received-routes json"));
            received.path("receivedRoutes").fields().forEachRemaining(e -> {
                JsonNode r = e.getValue();
                String nextHop = r.has("nextHopGlobal") ? r.path("nextHopGlobal").asText() : r.path("nextHop").asText();
                pre.put(RibViews.canonicalPrefix(e.getKey()), attributes(r.path("path").asText(), nextHop));
            });
            JsonNode accepted = JSON.readTree(frr.vtysh("show bgp " + afi + " unicast neighbors " + FEEDER + " routes json"));
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
        String bmpPath = cliPath.isEmpty() ? FrrBmpRouter.LOCAL_AS : FrrBmpRouter.LOCAL_AS + " " + cliPath;
        return RibViews.attributes(bmpPath, RibViews.canonicalPrefix(nextHop + "/0").replace("/0", ""), "")
                .replaceAll(" communities=.*", "");
    }
}
