package net.rampart.collector.bmp;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real GoBGP exports its Loc-RIB over BMP to Rampart's listener — without a Peer Up, as GoBGP
 * does — and the RIB holds exactly what {@code gobgp global rib} shows, through announcements,
 * withdrawals and the router going away.
 */
class GoBgpLocRibIT {

    private static final RouterId ROUTER = new RouterId("127.0.0.1");

    @TempDir
    Path directory;

    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouterInventory inventory = new RouterInventory();
    private final CollectorStatistics statistics = new CollectorStatistics();
    private BmpListener listener;

    @BeforeEach
    void startListener() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "gobgpd is not installed (Debian package gobgpd); skipped");
        listener = LoopbackListener.start(rib, inventory, statistics, BmpListener.ESTABLISH_WITHIN);
    }

    @AfterEach
    void stopListener() {
        if (listener != null) {
            listener.stop(Duration.ofSeconds(5));
        }
    }

    private String config() {
        return GoBgpDaemon.config(65001, "192.0.2.254").bmpServer(listener.port(), "local-rib").toml();
    }

    @Test
    void locRibRoutesMatchTheSendersOwnView() throws Exception {
        try (var gobgp = GoBgpDaemon.start(directory, config())) {
            gobgp.cli("global", "rib", "add", "10.1.0.0/24", "-a", "ipv4", "nexthop", "192.0.2.1",
                    "aspath", "65002,65003", "community", "65001:7", "med", "10", "local-pref", "200", "origin", "igp");
            gobgp.cli("global", "rib", "add", "10.2.0.0/16", "-a", "ipv4", "nexthop", "192.0.2.2");
            gobgp.cli("global", "rib", "add", "2001:db8:1::/48", "-a", "ipv6", "nexthop", "2001:db8::1");
            gobgp.cli("global", "rib", "add", "-a", "evpn", "macadv", "11:22:33:44:55:66", "10.0.0.1",
                    "etag", "100", "label", "200", "rd", "65001:100", "rt", "65001:100");

            awaitTrue(() -> routes(Family.IPV4_UNICAST).size() == 2 && routes(Family.IPV6_UNICAST).size() == 1
                    && routes(Family.L2VPN_EVPN).size() == 1, gobgp);

            JsonNode senderIpv4 = gobgp.localRib("ipv4");
            Map<RouteKey, PathAttributes> ipv4 = routes(Family.IPV4_UNICAST);
            assertThat(ipv4.keySet()).map(key -> ((Ipv4RouteKey) key).text())
                    .containsExactlyInAnyOrderElementsOf(iterable(senderIpv4.fieldNames()));
            PathAttributes first = ipv4.get(Ipv4RouteKey.parse("10.1.0.0/24", 0));
            JsonNode firstAttrs = senderIpv4.path("10.1.0.0/24").get(0).path("attrs");
            assertThat(InetAddress.getByAddress(first.nextHop()).getHostAddress()).isEqualTo(attr(firstAttrs, 3).path("nexthop").asText());
            assertThat(first.asPath().asns()).containsExactly(65002, 65003);
            assertThat(first.med()).isEqualTo(attr(firstAttrs, 4).path("metric").asLong());
            assertThat(first.localPref()).isEqualTo(attr(firstAttrs, 5).path("value").asLong());
            assertThat(first.communities()).containsExactly((int) attr(firstAttrs, 8).path("communities").get(0).asLong());
            assertThat(first.origin()).isEqualTo(attr(firstAttrs, 1).path("value").asInt());

            assertThat(routes(Family.IPV6_UNICAST).keySet()).map(key -> ((Ipv6RouteKey) key).text())
                    .containsExactlyInAnyOrderElementsOf(iterable(gobgp.localRib("ipv6").fieldNames()));
            EvpnRouteKey mac = (EvpnRouteKey) routes(Family.L2VPN_EVPN).keySet().iterator().next();
            JsonNode senderMac = gobgp.localRib("evpn").elements().next().get(0).path("nlri").path("value");
            assertThat(mac.macText()).isEqualTo(senderMac.path("mac").asText());
            assertThat(EvpnRouteKey.ipText(mac.ip())).isEqualTo(senderMac.path("ip").asText());
            assertThat(Integer.toUnsignedLong(mac.ethernetTag())).isEqualTo(senderMac.path("etag").asLong());

            // GoBGP never sends a Peer Up for its Loc-RIB: the peer exists all the same.
            assertThat(inventory.peers()).singleElement().satisfies(peer -> {
                assertThat(peer.peerType()).isEqualTo(3);
                assertThat(peer.seenWithoutPeerUp()).isTrue();
                assertThat(peer.up()).isTrue();
            });
            assertThat(inventory.routers()).singleElement().satisfies(router -> assertThat(router.connected()).isTrue());

            gobgp.cli("global", "rib", "del", "10.2.0.0/16", "-a", "ipv4");
            awaitTrue(() -> routes(Family.IPV4_UNICAST).size() == 1, gobgp);
            assertThat(routes(Family.IPV4_UNICAST).keySet()).map(key -> ((Ipv4RouteKey) key).text())
                    .containsExactlyInAnyOrderElementsOf(iterable(gobgp.localRib("ipv4").fieldNames()));

            gobgp.close();
            awaitTrue(() -> rib.routeCount() == 0, gobgp);
            awaitTrue(() -> !inventory.routers().get(0).connected(), gobgp);
            assertThat(inventory.peers()).allSatisfy(peer -> assertThat(peer.up()).isFalse());
        }
        RouterCounters counters = statistics.routers().get(0);
        assertThat(counters.parseErrors()).isZero();
        assertThat(counters.messagesOfType(0)).isGreaterThanOrEqualTo(5);
    }

    private Map<RouteKey, PathAttributes> routes(Family family) {
        Map<RouteKey, PathAttributes> found = new HashMap<>();
        for (PeerKey peer : rib.peers(ROUTER)) {
            rib.read(ROUTER, peer, RibView.LOC_RIB, family, (key, attributes, changed) -> found.put(key, attributes));
        }
        return found;
    }

    private static JsonNode attr(JsonNode attrs, int type) {
        for (JsonNode attr : attrs) {
            if (attr.path("type").asInt() == type) {
                return attr;
            }
        }
        throw new AssertionError("sender shows no attribute of type " + type + " in " + attrs);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private void awaitTrue(BooleanSupplier condition, GoBgpDaemon gobgp) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s; RIB has " + rib.routeCount()
                        + " routes; peers " + inventory.peers() + "; gobgpd log:\n" + gobgp.log());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
