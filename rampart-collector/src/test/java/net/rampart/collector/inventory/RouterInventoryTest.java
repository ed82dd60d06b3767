package net.rampart.collector.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.PeerKey;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.PerPeerHeader;
import org.junit.jupiter.api.Test;

class RouterInventoryTest {
    private static final String ROUTER = "192.0.2.1";
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private final RouterInventory inventory = new RouterInventory();

    private static PerPeerHeader peer(String address) throws Exception {
        return new PerPeerHeader(PerPeerHeader.GLOBAL_INSTANCE, 0, 0, InetAddress.getByName(address), 65001,
                (Inet4Address) InetAddress.getByName("198.51.100.9"), 0, 0);
    }

    private PeerRecord only() {
        assertThat(inventory.peers()).hasSize(1);
        return inventory.peers().get(0);
    }

    @Test
    void aRouterStaysConnectedAndItsPeerUpWhileAnySessionCarriesThem() throws Exception {
        PerPeerHeader p = peer("198.51.100.1");
        inventory.routerConnected(ROUTER, 1, InetAddress.getByName(ROUTER), T0);
        inventory.routeMonitoring(ROUTER, 1, p, T0);
        inventory.routerConnected(ROUTER, 2, InetAddress.getByName(ROUTER), T0.plusSeconds(1));
        inventory.routeMonitoring(ROUTER, 2, p, T0.plusSeconds(1));

        inventory.routerDisconnected(ROUTER, 1, T0.plusSeconds(2));
        assertThat(inventory.routers()).singleElement().satisfies(r -> assertThat(r.connected()).isTrue());
        assertThat(only().up()).isTrue();

        inventory.routerDisconnected(ROUTER, 2, T0.plusSeconds(3));
        assertThat(inventory.routers()).singleElement().satisfies(r -> assertThat(r.connected()).isFalse());
        assertThat(only().up()).isFalse();
        assertThat(only().lastSeen()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aPeerNamedOnlyInStatisticsIsListedAndFlaggedUntilARouteArrives() throws Exception {
        List<PeerRecord> persisted = new ArrayList<>();
        RouterInventory recorded = new RouterInventory(new SessionEvents() {
            @Override
            public void routerChanged(RouterRecord router) {
            }

            @Override
            public void peerChanged(PeerKey key, PeerRecord peer) {
                persisted.add(peer);
            }

            @Override
            public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up,
                                    int reason, net.rampart.wire.bgp.NotificationMessage notification) {
            }

            @Override
            public void statistics(String router, PeerKey key, Instant time,
                                   List<net.rampart.wire.bmp.Statistic> statistics) {
            }
        });
        PerPeerHeader p = peer("2001:db8::1");
        recorded.routerConnected(ROUTER, 1, InetAddress.getByName(ROUTER), T0);
        recorded.statistics(ROUTER, 1, new BmpMessage.StatisticsReport(p, List.of()), T0);
        recorded.statistics(ROUTER, 1, new BmpMessage.StatisticsReport(p, List.of()), T0.plusSeconds(1));

        assertThat(recorded.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.address()).isEqualTo("2001:db8::1");
            assertThat(peer.seenOnlyInStatistics()).isTrue();
            assertThat(peer.seenWithoutPeerUp()).isTrue();
            assertThat(peer.up()).isTrue();
        });
        assertThat(persisted).hasSize(1);

        recorded.routeMonitoring(ROUTER, 1, p, T0.plusSeconds(2));
        assertThat(recorded.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.seenOnlyInStatistics()).isFalse();
            assertThat(peer.firstSeen()).isEqualTo(T0);
        });
        assertThat(persisted).hasSize(2);

        recorded.routerDisconnected(ROUTER, 1, T0.plusSeconds(3));
        assertThat(recorded.peers()).singleElement().satisfies(peer -> assertThat(peer.up()).isFalse());
    }

    @Test
    void treatAsWithdrawIsCountedPerPeerAndReasonAndSaidOnceEach() throws Exception {
        PerPeerHeader p = peer("198.51.100.1");
        inventory.routerConnected(ROUTER, 1, InetAddress.getByName(ROUTER), T0);
        inventory.routeMonitoring(ROUTER, 1, p, T0);

        assertThat(inventory.treatedAsWithdraw(ROUTER, p.key(), "malformed_attribute/2", 3)).isTrue();
        assertThat(inventory.treatedAsWithdraw(ROUTER, p.key(), "malformed_attribute/2", 2)).isFalse();
        assertThat(inventory.treatedAsWithdraw(ROUTER, p.key(), "malformed_attribute/14", 1)).isTrue();

        assertThat(only().routesTreatedAsWithdraw())
                .isEqualTo(Map.of("malformed_attribute/2", 5L, "malformed_attribute/14", 1L));
        List<String> seen = new ArrayList<>();
        inventory.forEachTreatedAsWithdraw((router, peer, reason, routes) ->
                seen.add(router + " " + peer + " " + reason + " " + routes.getAsLong()));
        assertThat(seen).containsExactlyInAnyOrder("192.0.2.1 198.51.100.1 malformed_attribute/2 5",
                "192.0.2.1 198.51.100.1 malformed_attribute/14 1");
    }

    @Test
    void anMrtSourceIsListedAsSuchWithItsPeersAndKeepsItsFirstSighting() throws Exception {
        var peer = PeerKey.global(InetAddress.getByName("198.51.100.7"));
        inventory.mrtSource("mrt:rrc00", T0, T0);
        inventory.mrtPeer("mrt:rrc00", peer, 3333, true, T0, T0);
        // A second import (or the reload at start) of the same source.
        inventory.mrtSource("mrt:rrc00", T0.plusSeconds(60), T0.plusSeconds(90));
        inventory.mrtPeer("mrt:rrc00", peer, 3333, false, T0.plusSeconds(60), T0.plusSeconds(90));

        assertThat(inventory.routers()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo(RouterRecord.MRT);
            assertThat(r.connected()).isFalse();
            assertThat(r.firstSeen()).isEqualTo(T0);
            assertThat(r.lastSeen()).isEqualTo(T0.plusSeconds(90));
        });
        PeerRecord p = only();
        assertThat(p.router()).isEqualTo("mrt:rrc00");
        assertThat(p.address()).isEqualTo("198.51.100.7");
        assertThat(p.asn()).isEqualTo(3333);
        assertThat(p.up()).isFalse();
        assertThat(p.firstSeen()).isEqualTo(T0);
    }

    @Test
    void aBmpRouterIsListedAsBmp() throws Exception {
        inventory.routerConnected(ROUTER, 1, InetAddress.getByName(ROUTER), T0);
        assertThat(inventory.routers()).singleElement().satisfies(r -> assertThat(r.source()).isEqualTo(RouterRecord.BMP));
    }
}
