package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.rampart.server.ServiceProcess.Api;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.FrrBmpRouter;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real FRR router ({@code bgpd -M bmp}) monitored by the running service: what the API
 * shows for its peer's pre- and post-policy Adj-RIB-In equals what {@code vtysh} shows, after
 * announcements and a withdrawal, while the peer goes down and comes back, and after the
 * router itself goes away and reconnects. The peer is a GoBGP speaker fed with its CLI.
 *
 * <p>FRR 8.4 builds Route Monitoring with its outbound attribute code, which puts its own AS
 * (65000) in front of an eBGP peer's AS_PATH; the expected paths are the CLI's with that
 * prepended (see rampart-wire's FrrBmpIT).
 */
class FrrCollectorIT {

    private static final String FEEDER = "127.0.0.2";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void apiEqualsVtyshThroughWithdrawalsPeerLossAndRouterReconnect() throws Exception {
        assumeTrue(FrrBmpRouter.installed(), "FRR (bgpd, vtysh) not installed: skipped");
        assumeTrue(GoBgpDaemon.installed(), "gobgpd/gobgp (FRR's peer) not installed: skipped");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int bgpPort = ServiceProcess.freePort();
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", Integer.toString(bmpPort), "RAMPART_BMP_ALLOW", "127.0.0.1/32",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", work.resolve("data").toString());
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            Api api = service.api(httpPort);
            FrrBmpRouter frr = FrrBmpRouter.start(work, FEEDER, bgpPort, bmpPort);
            GoBgpDaemon feeder = null;
            try {
                feeder = GoBgpDaemon.start(work, "gobgpd-feeder", FrrBmpRouter.feederConfig(FEEDER, bgpPort));
                feedRoutes(feeder);
                awaitAgreement(api, 4, frr, service);

                feeder.cli("global", "rib", "del", "10.1.1.0/24");
                awaitAgreement(api, 3, frr, service);

                // The peer goes down: FRR reports it, the service marks it down and drops its routes.
                feeder.close();
                assertThat(Daemon.await(WAIT, () -> peerDown(api) && routeCount(api) == 0))
                        .as("peer down; %s", service.output()).isTrue();
                JsonNode down = peer(api);
                assertThat(down.path("up").asBoolean()).isFalse();
                assertThat(down.path("last_down_reason").asInt()).isBetween(1, 6);
                feeder = GoBgpDaemon.start(work, "gobgpd-feeder", FrrBmpRouter.feederConfig(FEEDER, bgpPort));
                feedRoutes(feeder);
                feeder.cli("global", "rib", "del", "10.1.1.0/24");
                awaitAgreement(api, 3, frr, service);

                // The router goes away: its BMP session ends and every route it reported goes with it.
                frr.close();
                assertThat(Daemon.await(WAIT, () -> routeCount(api) == 0)).as(service.output()).isTrue();
                frr = FrrBmpRouter.start(work, FEEDER, bgpPort, bmpPort);
                awaitAgreement(api, 3, frr, service);
            } finally {
                if (feeder != null) {
                    feeder.close();
                }
                frr.close();
            }
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private static void feedRoutes(GoBgpDaemon feeder) throws IOException, InterruptedException {
        feeder.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.2", "community", "65001:100",
                "aspath", "65010");
        feeder.cli("global", "rib", "add", "10.1.1.0/24", "nexthop", "192.0.2.2");
        feeder.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:1::/48", "nexthop", "2001:db8::2");
        feeder.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:2::/48", "nexthop", "2001:db8::2",
                "aspath", "65020 65021");
    }

    /** Polls until the API's views of the peer equal vtysh's and hold {@code expected} routes, then asserts it. */
    private void awaitAgreement(Api api, int expected, FrrBmpRouter frr, ServiceProcess service) throws Exception {
        Daemon.await(WAIT, () -> {
            try {
                Map<String, Map<String, String>> cli = cliViews(frr);
                return cli.get("adj-rib-in-pre").size() == expected && cli.equals(apiViews(api));
            } catch (Exception notYet) {
                return false;
            }
        });
        Map<String, Map<String, String>> cli = cliViews(frr);
        assertThat(cli.get("adj-rib-in-pre")).as("vtysh; FRR log:%n%s", frr.log()).hasSize(expected);
        assertThat(apiViews(api)).as("API; service output:%n%s", service.output()).isEqualTo(cli);
    }

    /** The peer's routes per view as the API shows them: prefix to "as path, next hop". */
    private Map<String, Map<String, String>> apiViews(Api api) throws Exception {
        Map<String, Map<String, String>> views = new TreeMap<>();
        for (String view : List.of("adj-rib-in-pre", "adj-rib-in-post")) {
            Map<String, String> routes = new TreeMap<>();
            for (JsonNode r : api.get("/api/v1/routes?peer=" + FEEDER + "&view=" + view + "&limit=1000").path("items")) {
                routes.put(r.path("prefix").asText(), AsPathText.of(r) + ", " + r.path("next_hop").asText());
            }
            views.put(view, routes);
        }
        return views;
    }

    /** The same from vtysh: received-routes is the pre-policy view, routes the post-policy one. */
    private Map<String, Map<String, String>> cliViews(FrrBmpRouter frr) throws Exception {
        Map<String, String> pre = new TreeMap<>();
        Map<String, String> post = new TreeMap<>();
        for (String afi : List.of("ipv4", "ipv6")) {
            JsonNode received = json.readTree(frr.vtysh("show bgp " + afi + " unicast neighbors " + FEEDER + " received-routes json"));
            received.path("receivedRoutes").fields().forEachRemaining(e -> {
                JsonNode r = e.getValue();
                String nextHop = r.has("nextHopGlobal") ? r.path("nextHopGlobal").asText() : r.path("nextHop").asText();
                pre.put(canonical(e.getKey()), bmpPath(r.path("path").asText()) + ", " + address(nextHop));
            });
            JsonNode accepted = json.readTree(frr.vtysh("show bgp " + afi + " unicast neighbors " + FEEDER + " routes json"));
            accepted.path("routes").fields().forEachRemaining(e -> {
                JsonNode r = e.getValue().path(0);
                post.put(canonical(e.getKey()), bmpPath(r.path("path").asText()) + ", "
                        + address(r.path("nexthops").path(0).path("ip").asText()));
            });
        }
        return new TreeMap<>(Map.of("adj-rib-in-pre", pre, "adj-rib-in-post", post));
    }

    private static String bmpPath(String cliPath) {
        return cliPath.isEmpty() ? FrrBmpRouter.LOCAL_AS : FrrBmpRouter.LOCAL_AS + " " + cliPath;
    }

    /** A prefix as the API writes it (RFC 5952 for IPv6). */
    private static String canonical(String cidr) {
        return cidr.contains(":") ? Ipv6Prefix.parse(cidr).toString() : Ipv4Prefix.parse(cidr).toString();
    }

    private static String address(String literal) {
        return literal.contains(":") ? canonical(literal + "/128").replace("/128", "") : literal;
    }

    private boolean peerDown(Api api) {
        try {
            return !peer(api).path("up").asBoolean(true);
        } catch (Exception notYet) {
            return false;
        }
    }

    private JsonNode peer(Api api) throws Exception {
        for (JsonNode p : api.get("/api/v1/peers").path("items")) {
            if (p.path("address").asText().equals(FEEDER)) {
                return p;
            }
        }
        return json.createObjectNode();
    }

    private long routeCount(Api api) {
        try {
            return api.get("/api/v1/routes?peer=" + FEEDER).path("matched").asLong(-1);
        } catch (Exception notYet) {
            return -1;
        }
    }
}
