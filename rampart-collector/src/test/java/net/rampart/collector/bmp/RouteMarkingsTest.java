package net.rampart.collector.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.rampart.collector.bgp.UpdateRoutes;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.bmp.RouteMonitoringTlv;
import net.rampart.wire.bmp.RouterLikeBmp;
import org.junit.jupiter.api.Test;

/**
 * Route Monitoring TLVs end up on the routes they are about: through {@link MonitoredRouter}
 * into the RIB for {@link RouterLikeBmp}'s cases, and block by block in {@link RouteMarkings}.
 */
class RouteMarkingsTest {

    private static final String ROUTER = "192.0.2.50";
    private static final RouteMarking RED = new RouteMarking(RouterLikeBmp.MARKING_CASE_VRF, -1, -1);
    private static final RouteMarking RED_BACKUP = new RouteMarking(RouterLikeBmp.MARKING_CASE_VRF,
            RouterLikeBmp.MARKING_CASE_STATUS, RouterLikeBmp.MARKING_CASE_REASON);
    private static final PathAttributes ATTRIBUTES = PathAttributes.builder().origin(0).build();

    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final MonitoredRouter router;
    private final PeerKey peer;

    RouteMarkingsTest() throws Exception {
        router = new MonitoredRouter(InetAddress.getByName(ROUTER), rib, new RouterInventory(),
                new CollectorStatistics().register(ROUTER), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        peer = PeerKey.global(InetAddress.getByName(RouterLikeBmp.PEER_ADDRESS));
    }

    private PathAttributes route(String prefix) {
        return rib.lookup(new RouterId(ROUTER), peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                Ipv4RouteKey.parse(prefix, 0));
    }

    /** The attributes the UPDATE of the path marking case has by itself, as UpdateRoutes makes them. */
    private static PathAttributes updateAttributes() {
        BmpSession session = new BmpSession();
        List<byte[]> messages = RouterLikeBmp.pathMarking();
        session.decode(messages.get(0));
        session.decode(messages.get(1));
        var monitoring = (BmpMessage.RouteMonitoring) session.decode(RouterLikeBmp.pathMarkingWithoutTlvs());
        return UpdateRoutes.of(monitoring.update(), 0).updates().get(0).attributes();
    }

    @Test
    void aTableNameForAllAndAPathStatusForTheSecondNlriLandOnTheirRoutes() {
        RouterLikeBmp.pathMarking().forEach(router::onMessage);
        PathAttributes first = route(RouterLikeBmp.MARKING_CASE_FIRST);
        PathAttributes second = route(RouterLikeBmp.MARKING_CASE_SECOND);
        // Index 0 names the table of both; index 2 marks the second only.
        assertThat(first.marking()).isEqualTo(RED);
        assertThat(second.marking()).isEqualTo(RED_BACKUP);
        // The marking is all that tells them apart from what the UPDATE says.
        assertThat(first.withMarking(null)).isEqualTo(updateAttributes());
        assertThat(second.withMarking(null)).isEqualTo(updateAttributes());
        assertThat(rib.attributeSetCount()).isEqualTo(2);
    }

    @Test
    void withoutTlvsTheRoutesShareTheSetTheUpdateAloneMakes() {
        List<byte[]> messages = RouterLikeBmp.pathMarking();
        router.onMessage(messages.get(0));
        router.onMessage(messages.get(1));
        router.onMessage(RouterLikeBmp.pathMarkingWithoutTlvs());
        PathAttributes first = route(RouterLikeBmp.MARKING_CASE_FIRST);
        assertThat(first.marking()).isNull();
        assertThat(first).isEqualTo(updateAttributes());
        // One interned set for both routes, as before markings existed.
        assertThat(route(RouterLikeBmp.MARKING_CASE_SECOND)).isSameAs(first);
        assertThat(rib.attributeSetCount()).isEqualTo(1);
    }

    @Test
    void aLaterAnnouncementWithoutTlvsTakesTheMarkingAway() {
        RouterLikeBmp.pathMarking().forEach(router::onMessage);
        router.onMessage(RouterLikeBmp.pathMarkingWithoutTlvs());
        // The route is as its latest announcement says, and the marked sets left the pool with their routes.
        assertThat(route(RouterLikeBmp.MARKING_CASE_SECOND).marking()).isNull();
        assertThat(route(RouterLikeBmp.MARKING_CASE_SECOND)).isSameAs(route(RouterLikeBmp.MARKING_CASE_FIRST));
        assertThat(rib.attributeSetCount()).isEqualTo(1);
    }

    private static RouteKey v4(String prefix) {
        return Ipv4RouteKey.parse(prefix, 0);
    }

    private static RouteMonitoringTlv vrf(int index, String name) {
        return new RouteMonitoringTlv(RouteMonitoringTlv.VRF_TABLE_NAME, index, name.getBytes(StandardCharsets.UTF_8));
    }

    private static RouteMonitoringTlv status(int index, int bits) {
        return new RouteMonitoringTlv(RouteMonitoringTlv.PATH_STATUS, index, new byte[] {0, 0, 0, (byte) bits});
    }

    @Test
    void aBlockSplitsByMarkingAndItsWithdrawalsStillComeFirst() {
        RouteUpdate block = new RouteUpdate(5, Family.IPV4_UNICAST, ATTRIBUTES,
                List.of(v4("10.0.1.0/24"), v4("10.0.2.0/24"), v4("10.0.3.0/24")), List.of(v4("10.9.0.0/24")));
        List<RouteUpdate> out = RouteMarkings.apply(List.of(status(2, 0x2)), List.of(block));
        // The unmarked first and third stay together, in the first block, with the withdrawal.
        assertThat(out).hasSize(2);
        assertThat(out.get(0).announced()).containsExactly(v4("10.0.1.0/24"), v4("10.0.3.0/24"));
        assertThat(out.get(0).withdrawn()).containsExactly(v4("10.9.0.0/24"));
        assertThat(out.get(0).attributes()).isSameAs(ATTRIBUTES);
        assertThat(out.get(1).announced()).containsExactly(v4("10.0.2.0/24"));
        assertThat(out.get(1).withdrawn()).isEmpty();
        assertThat(out.get(1).attributes().marking()).isEqualTo(new RouteMarking(null, 0x2, -1));
        assertThat(out).allSatisfy(u -> assertThat(u.timeMillis()).isEqualTo(5));
    }

    @Test
    void positionsRunOnAcrossBlocksAndOwnFieldsWinOverIndexZero() {
        // An UPDATE with an IPv4 NLRI field and MP_REACH_NLRI: the MP route is the second announced.
        RouteUpdate ipv4 = RouteUpdate.announce(0, Family.IPV4_UNICAST, ATTRIBUTES, List.of(v4("10.0.1.0/24")));
        RouteUpdate withdrawOnly = RouteUpdate.withdraw(0, Family.IPV6_UNICAST, List.of(Ipv6RouteKey.parse("2001:db8:9::/48", 0)));
        RouteUpdate ipv6 = RouteUpdate.announce(0, Family.IPV6_UNICAST, ATTRIBUTES,
                List.of(Ipv6RouteKey.parse("2001:db8:1::/48", 0)));
        List<RouteUpdate> out = RouteMarkings.apply(List.of(vrf(0, "blue"), vrf(2, "green"), status(0, 0x4),
                status(3, 0x2)), List.of(ipv4, withdrawOnly, ipv6));
        assertThat(out).hasSize(3);
        assertThat(out.get(0).attributes().marking()).isEqualTo(new RouteMarking("blue", 0x4, -1));
        // A withdrawal has no attributes to mark and takes no position.
        assertThat(out.get(1)).isSameAs(withdrawOnly);
        // Its own name, the path status of index 0; index 3 is past the last route and marks nothing.
        assertThat(out.get(2).attributes().marking()).isEqualTo(new RouteMarking("green", 0x4, -1));
    }

    @Test
    void onlyUnknownTlvsLeaveTheBlocksAsTheyAre() {
        List<RouteUpdate> blocks = List.of(RouteUpdate.announce(0, Family.IPV4_UNICAST, ATTRIBUTES, List.of(v4("10.0.1.0/24"))));
        // Type 0x7f01 is read by nobody; a path status of 5 bytes is not a path status.
        List<RouteMonitoringTlv> tlvs = List.of(new RouteMonitoringTlv(0x7f01, 0, new byte[] {1}),
                new RouteMonitoringTlv(RouteMonitoringTlv.PATH_STATUS, 0, new byte[5]));
        assertThat(RouteMarkings.apply(tlvs, blocks)).isSameAs(blocks);
    }
}
