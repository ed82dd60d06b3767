package net.rampart.wire.bgp.evpn;

import static net.rampart.wire.bgp.WireFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.BgpArbitraries;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

class EvpnCodecTest {

    private static List<EvpnRoute> decode(String wire, boolean addPath) {
        List<EvpnRoute> out = new ArrayList<>();
        EvpnCodec.read(new WireCursor(hex(wire)), addPath, out);
        return out;
    }

    @Test
    void macIpAdvertisement() {
        // RD 100:1, ESI 0, tag 0, MAC 00:11:22:33:44:55, IP 10.0.0.1, label 100 (bottom of stack)
        String wire = "02 25 0000006400000001 00000000000000000000 00000000 30 001122334455 20 0a000001 000641";
        EvpnRoute route = decode(wire, false).get(0);
        EvpnRoute.MacIpAdvertisement mac = (EvpnRoute.MacIpAdvertisement) route;
        assertThat(mac.rd()).isEqualTo(RouteDistinguisher.ofAs2(100, 1));
        assertThat(mac.rd().toString()).isEqualTo("100:1");
        assertThat(mac.esi()).isEqualTo(EthernetSegmentId.ZERO);
        assertThat(mac.macText()).isEqualTo("00:11:22:33:44:55");
        assertThat(mac.ip().getHostAddress()).isEqualTo("10.0.0.1");
        assertThat(mac.label1() >>> 4).isEqualTo(100);
        assertThat(mac.label2()).isEqualTo(-1);
    }

    @Test
    void ipPrefixRouteWithPathId() {
        String wire = "00 00 00 09 05 22 0000006400000001 00000000000000000000 00000005 18 c6336400 00000000 000641";
        EvpnRoute.IpPrefixRoute route = (EvpnRoute.IpPrefixRoute) decode(wire, true).get(0);
        assertThat(route.pathId()).isEqualTo(9);
        assertThat(route.ethernetTag()).isEqualTo(5);
        assertThat(route.prefix()).isEqualTo(Ipv4Prefix.parse("198.51.100.0/24"));
        assertThat(route.gateway().getHostAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void inclusiveMulticastAndEthernetSegment() {
        List<EvpnRoute> routes = decode("03 11 0000006400000001 00000000 20 c0000201"
                + "04 17 0000006400000001 01020304050607080900 20 c0000201", false);
        assertThat(routes).hasSize(2);
        assertThat(((EvpnRoute.InclusiveMulticast) routes.get(0)).originatorIp().getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(((EvpnRoute.EthernetSegment) routes.get(1)).esi().type()).isEqualTo(1);
    }

    @Test
    void rejectsMalformedRoutes() {
        assertThatThrownBy(() -> decode("01 18 0000006400000001 00000000000000000000 00000000 0006", false))
                .as("A-D route one byte short").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("02 25 0000006400000001 00000000000000000000 00000000 2f 001122334455 20 0a000001 000641", false))
                .as("MAC length 47").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("03 11 0000006400000001 00000000 18 c0000201", false))
                .as("IP length 24").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("05 23 0000006400000001 00000000000000000000 00000005 18 c6336400 00000000 000641 00", false))
                .as("type 5 of 35 bytes").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("03 40 00", false)).as("length overruns").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("03 12 0000006400000001 00000000 20 c0000201 ff", false))
                .as("trailing byte").isInstanceOf(DecodeException.class);
    }

    @Property(tries = 500)
    void routesRoundTrip(@ForAll("routes") EvpnRoute route) {
        boolean addPath = route.pathId() != EvpnRoute.NO_PATH_ID;
        ByteSink out = new ByteSink();
        EvpnCodec.write(route, out, addPath);
        List<EvpnRoute> decoded = new ArrayList<>();
        EvpnCodec.read(new WireCursor(out.toByteArray()), addPath, decoded);
        assertThat(decoded).containsExactly(route);
    }

    @Provide
    Arbitrary<EvpnRoute> routes() {
        return net.jqwik.api.Arbitraries.of(true, false).flatMap(BgpArbitraries::evpn);
    }
}
