package net.rampart.collector.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RouteKeyTest {
    @Test
    void ipv4PrefixClearsHostBitsAndPrints() {
        // Built from what arrived off the wire, a key clears host bits; text with host bits is refused.
        Ipv4RouteKey p = new Ipv4RouteKey(0xC000024D, 24, 0);
        assertThatThrownBy(() -> Ipv4RouteKey.parse("192.0.2.77/24", 0))
                .hasMessage("'192.0.2.77/24' has host bits set; did you mean 192.0.2.0/24?");
        assertThat(p.text()).isEqualTo("192.0.2.0/24");
        assertThat(p).isEqualTo(Ipv4RouteKey.parse("192.0.2.0/24", 0));
        assertThat(Ipv4RouteKey.parse("0.0.0.0/0", 0).covers(p)).isTrue();
        assertThat(p.covers(Ipv4RouteKey.parse("192.0.3.0/24", 0))).isFalse();
    }

    @Test
    void ipv6PrefixPrintsRfc5952() {
        assertThat(Ipv6RouteKey.parse("2001:DB8:0:0:1:0:0:1/128", 0).text()).isEqualTo("2001:db8::1:0:0:1/128");
        assertThat(Ipv6RouteKey.parse("2001:db8:0:0:1:0:0:0/128", 0).text()).isEqualTo("2001:db8:0:0:1::/128");
        assertThat(Ipv6RouteKey.parse("2001:db8:0:1:1:1:1:1/128", 0).text()).isEqualTo("2001:db8:0:1:1:1:1:1/128");
        assertThat(Ipv6RouteKey.parse("::/0", 0).text()).isEqualTo("::/0");
        assertThat(new Ipv6RouteKey(0x20010db8_00000000L, 0xff, 32, 0).text()).isEqualTo("2001:db8::/32");
        assertThatThrownBy(() -> Ipv6RouteKey.parse("2001:db8::ff/32", 0)).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> Ipv6RouteKey.parse("2001:db8::", 0)).hasMessageContaining("no prefix length");
        assertThat(Ipv6RouteKey.parse("fe80::1/128", 0).text()).isEqualTo("fe80::1/128");
        assertThat(Ipv6RouteKey.parse("2001:db8::/32", 0).covers(Ipv6RouteKey.parse("2001:db8:1::/48", 0))).isTrue();
    }

    @Test
    void macIpRouteKeyIgnoresEsiAndLabels() {
        byte[] mac = HexFormat.of().parseHex("aabbccddeeff");
        byte[] ip = {10, 0, 0, 1};
        EvpnRouteKey a = EvpnRouteKey.macIp(0x0000FDE800000064L, new byte[10], 0, mac, ip, new int[] {100}, 0);
        EvpnRouteKey b = EvpnRouteKey.macIp(0x0000FDE800000064L, HexFormat.of().parseHex("00112233445566778899"), 0,
                mac.clone(), ip.clone(), new int[] {200}, 0);
        EvpnRouteKey otherMac = EvpnRouteKey.macIp(0x0000FDE800000064L, new byte[10], 0,
                HexFormat.of().parseHex("aabbccddee00"), ip, new int[] {100}, 0);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(otherMac);
        assertThat(a.text()).isEqualTo("2:65000:100:0:aa:bb:cc:dd:ee:ff:10.0.0.1");
    }

    @Test
    void ipPrefixRouteKeyIncludesLengthButNotGateway() {
        long rd = 0x0001C0000201000AL; // type 1: 192.0.2.1:10
        EvpnRouteKey a = EvpnRouteKey.ipPrefix(rd, null, 0, new byte[] {10, 1, 0, 0}, 16, new byte[] {1, 1, 1, 1}, null, 0);
        EvpnRouteKey b = EvpnRouteKey.ipPrefix(rd, null, 0, new byte[] {10, 1, 0, 0}, 16, new byte[] {2, 2, 2, 2}, null, 0);
        EvpnRouteKey c = EvpnRouteKey.ipPrefix(rd, null, 0, new byte[] {10, 1, 0, 0}, 24, null, null, 0);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a.text()).isEqualTo("5:192.0.2.1:10:0:10.1.0.0/16");
    }

    @Test
    void vpnRouteKeysKeepTheTextTheyAreStoredUnder() {
        // route_key in the history store: these texts must not change with the RD formatter.
        Ipv4RouteKey p = Ipv4RouteKey.parse("10.0.0.0/24", 0);
        assertThat(new LabeledPrefix(0x0000FDE800000001L, p, null, 0).text()).isEqualTo("65000:1:10.0.0.0/24");
        assertThat(new LabeledPrefix(0x0001C00002010007L, p, null, 0).text()).isEqualTo("192.0.2.1:7:10.0.0.0/24");
        assertThat(new LabeledPrefix(0x0002FBEF5A5A000CL, p, null, 0).text()).isEqualTo("4226767450:12:10.0.0.0/24");
        assertThat(new LabeledPrefix(0x0003000000000001L, p, null, 0).text()).isEqualTo("0003000000000001:10.0.0.0/24");
        assertThat(new LabeledPrefix(null, p, null, 0).text()).isEqualTo("10.0.0.0/24");
    }

    @Test
    void peerKeyShowsItsDistinguisherInRfc4364Text() throws Exception {
        InetAddress address = InetAddress.getByName("192.0.2.2");
        assertThat(PeerKey.global(address).toString()).isEqualTo("192.0.2.2");
        assertThat(new PeerKey(PeerType.RD_INSTANCE, 0x0000FBF30000005EL, address).toString())
                .isEqualTo("192.0.2.2%rd_instance:64499:94");
    }

    @Test
    void asPathOriginAndContains() {
        AsPath p = AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 2, 65001, (int) 4200000000L});
        assertThat(p.originAsn()).isEqualTo(4200000000L);
        assertThat(p.contains(65001)).isTrue();
        assertThat(p.contains(65002)).isFalse();
        assertThat(p.toString()).isEqualTo("65001 4200000000");
        AsPath withSet = AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 1, 65001, AsPath.AS_SET, 2, 1, 2});
        assertThat(withSet.originAsn()).isEqualTo(-1);
        assertThat(withSet.toString()).isEqualTo("65001 {1,2}");
    }
}
