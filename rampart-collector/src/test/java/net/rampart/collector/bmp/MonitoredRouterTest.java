package net.rampart.collector.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

/**
 * The inventory follows a peer's Route Monitoring although the router session tells it only at
 * the start of each run of that peer's messages: another message of the session in between, a
 * Peer Down here, makes the next Route Monitoring tell it again.
 */
class MonitoredRouterTest {

    private static final String ROUTER = "192.0.2.60";
    private static final int PEER = 0xCB007109; // 203.0.113.9

    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouterInventory inventory = new RouterInventory();
    private final MonitoredRouter router;

    MonitoredRouterTest() throws Exception {
        router = new MonitoredRouter(InetAddress.getByName(ROUTER), rib, inventory,
                new CollectorStatistics().register(ROUTER), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    @Test
    void aRouteMonitoringAfterThePeersPeerDownBringsThePeerBackUp() throws Exception {
        router.onMessage(routeMonitoring("198.51.100.0/24"));
        router.onMessage(routeMonitoring("198.51.101.0/24"));
        assertThat(peer().up()).isTrue();
        assertThat(peer().seenWithoutPeerUp()).isTrue();

        router.onMessage(peerDown());
        assertThat(peer().up()).isFalse();
        assertThat(routes()).isZero();

        router.onMessage(routeMonitoring("198.51.102.0/24"));
        assertThat(peer().up()).isTrue();
        assertThat(routes()).isEqualTo(1);
        assertThat(rib.lookup(new RouterId(ROUTER), PeerKey.global(InetAddress.getByName("203.0.113.9")),
                RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, Ipv4RouteKey.parse("198.51.102.0/24", 0))).isNotNull();
    }

    private PeerRecord peer() {
        return inventory.peers().stream().filter(p -> p.router().equals(ROUTER) && p.address().equals("203.0.113.9"))
                .findFirst().orElseThrow();
    }

    private long routes() {
        long[] n = {0};
        rib.forEachTable((id, peer, view, family, table) -> n[0] += table.size());
        return n[0];
    }

    /** Global instance peer 203.0.113.9 of AS 65001, 4-octet AS, no timestamp. */
    private static void perPeerHeader(ByteSink out) {
        out.u8(0).u8(0).i64(0);
        out.u32(0).u32(0).u32(0).u32(PEER);
        out.u32(65001).u32(PEER).u32(0).u32(0);
    }

    private static byte[] message(int type, byte[] body) {
        return new ByteSink().u8(3).u32(6 + body.length).u8(type).bytes(body).toByteArray();
    }

    private static byte[] routeMonitoring(String prefix) {
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001, 64512), new PathAttribute.NextHop(PEER)),
                List.of(new UnicastNlri(Ipv4Prefix.parse(prefix))));
        ByteSink body = new ByteSink();
        perPeerHeader(body);
        body.bytes(BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS));
        return message(BmpMessage.ROUTE_MONITORING, body.toByteArray());
    }

    private static byte[] peerDown() {
        ByteSink body = new ByteSink();
        perPeerHeader(body);
        body.u8(BmpMessage.PeerDown.LOCAL_NO_NOTIFICATION).u16(0);
        return message(BmpMessage.PEER_DOWN, body.toByteArray());
    }
}
