package net.rampart.server.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HexFormat;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4Prefix;
import net.rampart.collector.rib.Ipv6Prefix;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibRoute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import org.junit.jupiter.api.Test;

class RouteJsonTest {
    /** RD 65000:1 (type 0: 2-byte ASN, 4-byte number). */
    private static final long RD_65000_1 = 65000L << 32 | 1;

    private static RouteJson json(Family family, RouteKey key, String nextHopHex) throws Exception {
        PathAttributes attributes = PathAttributes.builder().nextHop(HexFormat.of().parseHex(nextHopHex)).build();
        RibRoute route = new RibRoute(new RouterId("192.0.2.254"), PeerKey.global(InetAddress.getByName("192.0.2.2")),
                RibView.ADJ_RIB_IN_PRE, family, key, attributes, Instant.EPOCH);
        // No RPKI state: RouteOrigins decides it, and gives none for VPN and labeled routes.
        return RouteJson.of(route, null);
    }

    @Test
    void vpnv4RouteShowsItsPrefixRdLabelsAndTheNextHopAfterTheRd() throws Exception {
        var key = new LabeledPrefix(RD_65000_1, Ipv4Prefix.parse("10.0.0.0/24", 0), new int[] {100}, 0);
        // RFC 4364 section 4.3.2: an RD of zero, then 192.0.2.1.
        RouteJson route = json(new Family(1, 128), key, "0000000000000000" + "c0000201");
        assertThat(route.prefix()).isEqualTo("10.0.0.0/24");
        assertThat(route.vpn().rd()).isEqualTo("65000:1");
        assertThat(route.vpn().labels()).containsExactly(100);
        assertThat(route.nextHop()).isEqualTo("192.0.2.1");
        assertThat(route.evpn()).isNull();
    }

    @Test
    void vpnv6RouteWithAnIpv4MappedNextHop() throws Exception {
        var key = new LabeledPrefix(RD_65000_1, Ipv6Prefix.parse("2001:db8:1::/48", 0), new int[] {200, 300}, 0);
        // RFC 4659 section 3.2 (6VPE over an IPv4 core): an RD of zero, then ::ffff:192.0.2.1.
        RouteJson route = json(new Family(2, 128), key, "0000000000000000" + "00000000000000000000ffffc0000201");
        assertThat(route.prefix()).isEqualTo("2001:db8:1::/48");
        assertThat(route.vpn().rd()).isEqualTo("65000:1");
        assertThat(route.vpn().labels()).containsExactly(200, 300);
        assertThat(route.nextHop()).isEqualTo("::ffff:192.0.2.1");
    }

    @Test
    void vpnv6NextHopWithALinkLocalAddressShowsTheGlobalOne() throws Exception {
        var key = new LabeledPrefix(RD_65000_1, Ipv6Prefix.parse("2001:db8:1::/48", 0), new int[] {200}, 0);
        // Two RD + address pairs: 2001:db8::1, then fe80::1.
        RouteJson route = json(new Family(2, 128), key, "0000000000000000" + "20010db8000000000000000000000001"
                + "0000000000000000" + "fe800000000000000000000000000001");
        assertThat(route.nextHop()).isEqualTo("2001:db8::1");
    }

    @Test
    void labeledUnicastRouteHasLabelsButNoRd() throws Exception {
        var key = new LabeledPrefix(null, Ipv4Prefix.parse("10.1.0.0/16", 0), new int[] {16001}, 0);
        RouteJson route = json(new Family(1, 4), key, "c0000201");
        assertThat(route.prefix()).isEqualTo("10.1.0.0/16");
        assertThat(route.vpn().rd()).isNull();
        assertThat(route.vpn().labels()).containsExactly(16001);
        assertThat(route.nextHop()).isEqualTo("192.0.2.1");
    }

    @Test
    void unicastRoutesHaveNoVpnFields() throws Exception {
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4Prefix.parse("10.2.0.0/16", 0), "c0000201");
        assertThat(route.prefix()).isEqualTo("10.2.0.0/16");
        assertThat(route.vpn()).isNull();
    }
}
