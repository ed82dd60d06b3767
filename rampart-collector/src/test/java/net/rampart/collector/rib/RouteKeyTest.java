package net.rampart.collector.rib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RouteKeyTest {
    @Test
    void ipv4PrefixClearsHostBitsAndPrints() {
        Ipv4Prefix p = Ipv4Prefix.parse("192.0.2.77/24", 0);
        assertThat(p.text()).isEqualTo("192.0.2.0/24");
        assertThat(p).isEqualTo(Ipv4Prefix.parse("192.0.2.0/24", 0));
        assertThat(Ipv4Prefix.parse("0.0.0.0/0", 0).covers(p)).isTrue();
        assertThat(p.covers(Ipv4Prefix.parse("192.0.3.0/24", 0))).isFalse();
    }

    @Test
    void ipv6PrefixPrintsRfc5952() {
        assertThat(Ipv6Prefix.parse("2001:DB8:0:0:1:0:0:1/128", 0).text()).isEqualTo("2001:db8::1:0:0:1/128");
        assertThat(Ipv6Prefix.parse("2001:db8:0:0:1:0:0:0/128", 0).text()).isEqualTo("2001:db8:0:0:1::/128");
        assertThat(Ipv6Prefix.parse("2001:db8:0:1:1:1:1:1/128", 0).text()).isEqualTo("2001:db8:0:1:1:1:1:1/128");
        assertThat(Ipv6Prefix.parse("::/0", 0).text()).isEqualTo("::/0");
        assertThat(Ipv6Prefix.parse("2001:db8::ff/32", 0).text()).isEqualTo("2001:db8::/32");
        assertThat(Ipv6Prefix.parse("fe80::1/128", 0).text()).isEqualTo("fe80::1/128");
        assertThat(Ipv6Prefix.parse("2001:db8::/32", 0).covers(Ipv6Prefix.parse("2001:db8:1::/48", 0))).isTrue();
    }

    @Test
    void macIpRouteKeyIgnoresEsiAndLabels() {
        byte[] mac = HexFormat.of().parseHex("aabbccddeeff");
        byte[] ip = {10, 0, 0, 1};
        EvpnRoute a = EvpnRoute.macIp(0x0000FDE800000064L, new byte[10], 0, mac, ip, new int[] {100}, 0);
        EvpnRoute b = EvpnRoute.macIp(0x0000FDE800000064L, HexFormat.of().parseHex("00112233445566778899"), 0,
                mac.clone(), ip.clone(), new int[] {200}, 0);
        EvpnRoute otherMac = EvpnRoute.macIp(0x0000FDE800000064L, new byte[10], 0,
                HexFormat.of().parseHex("aabbccddee00"), ip, new int[] {100}, 0);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(otherMac);
        assertThat(a.text()).isEqualTo("2:65000:100:0:aa:bb:cc:dd:ee:ff:10.0.0.1");
    }

    @Test
    void ipPrefixRouteKeyIncludesLengthButNotGateway() {
        long rd = 0x0001C0000201000AL; // type 1: 192.0.2.1:10
        EvpnRoute a = EvpnRoute.ipPrefix(rd, null, 0, new byte[] {10, 1, 0, 0}, 16, new byte[] {1, 1, 1, 1}, null, 0);
        EvpnRoute b = EvpnRoute.ipPrefix(rd, null, 0, new byte[] {10, 1, 0, 0}, 16, new byte[] {2, 2, 2, 2}, null, 0);
        EvpnRoute c = EvpnRoute.ipPrefix(rd, null, 0, new byte[] {10, 1, 0, 0}, 24, null, null, 0);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a.text()).isEqualTo("5:192.0.2.1:10:0:10.1.0.0/16");
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
