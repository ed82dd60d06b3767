package net.rampart.wire.bgp.nlri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteDistinguisherTest {

    @Test
    void typesZeroToTwoPrintAsRfc4364TextWithoutTheType() {
        assertThat(RouteDistinguisher.ofAs2(64499, 94).toString()).isEqualTo("64499:94");
        assertThat(RouteDistinguisher.ofAs2(65535, 4_294_967_295L).toString()).isEqualTo("65535:4294967295");
        assertThat(RouteDistinguisher.ofIpv4(0xC0000201, 7).toString()).isEqualTo("192.0.2.1:7");
        assertThat(RouteDistinguisher.ofIpv4(0xFFFFFFFF, 65535).toString()).isEqualTo("255.255.255.255:65535");
        assertThat(RouteDistinguisher.ofAs4(4_226_809_946L, 12).toString()).isEqualTo("4226809946:12");
    }

    @Test
    void globalInstancePeerDistinguisherIsZeroColonZero() {
        assertThat(RouteDistinguisher.format(0)).isEqualTo("0:0");
    }

    @Test
    void anUndefinedTypeIsItsEightBytesInHex() {
        // The form VPN route keys were stored with before the formatters were merged.
        assertThat(RouteDistinguisher.format(0x0003_0000_0000_0001L)).isEqualTo("0003000000000001");
        assertThat(RouteDistinguisher.format(0xFFFF_0A0B_0C0D_0E0FL)).isEqualTo("ffff0a0b0c0d0e0f");
    }

    @Test
    void formatAndToStringAgree() {
        RouteDistinguisher rd = RouteDistinguisher.ofIpv4(0x0A000001, 3);
        assertThat(RouteDistinguisher.format(rd.value())).isEqualTo(rd.toString());
    }

    @Test
    void parseReadsEachTypeBack() {
        assertThat(RouteDistinguisher.parse("64499:94")).isEqualTo(RouteDistinguisher.ofAs2(64499, 94));
        assertThat(RouteDistinguisher.parse("192.0.2.1:7")).isEqualTo(RouteDistinguisher.ofIpv4(0xC0000201, 7));
        assertThat(RouteDistinguisher.parse("4226809946:12")).isEqualTo(RouteDistinguisher.ofAs4(4_226_809_946L, 12));
        assertThat(RouteDistinguisher.parse("0003000000000001").value()).isEqualTo(0x0003_0000_0000_0001L);
        assertThat(RouteDistinguisher.parse("0:0").value()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 0x0000_FDE8_0000_0064L, 0x0000_FFFF_FFFF_FFFFL, 0x0001_C000_0201_0007L,
            0x0001_FFFF_FFFF_FFFFL, 0x0002_FBEF_5A5A_000CL, 0x0002_FFFF_FFFF_FFFFL, 0x0003_0000_0000_0001L,
            0xFFFF_FFFF_FFFF_FFFFL})
    void formatThenParseIsTheSameDistinguisher(long value) {
        assertThat(RouteDistinguisher.parse(RouteDistinguisher.format(value)).value()).isEqualTo(value);
    }

    @Test
    void aTypeTwoWithATwoOctetAsReadsBackAsTypeZero() {
        // The text carries no type: 65000:7 is type 0 whichever type was sent.
        RouteDistinguisher sent = RouteDistinguisher.ofAs4(65000, 7);
        assertThat(sent.toString()).isEqualTo("65000:7");
        assertThat(RouteDistinguisher.parse(sent.toString())).isEqualTo(RouteDistinguisher.ofAs2(65000, 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "65000", "65000:", ":1", "0:65000:1", "AS65000:1", "-1:1", "65000:-1", "65000:1x",
            "192.0.2:1", "192.0.2.256:1", "192.0.2.1.1:1", "192..2.1:1", "192.0.2.1:65536", "4294967296:1",
            "4200000000:65536", "65000:4294967296", "00000000000000000001:1", "0000fde800000064", "0003zz0000000001",
            "00030000000000010"})
    void parseRefusesWhatIsNoRouteDistinguisher(String text) {
        assertThatThrownBy(() -> RouteDistinguisher.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'");
    }

    @Test
    void parseErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> RouteDistinguisher.parse("192.0.2.1:70000"))
                .hasMessageContaining("assigned number 70000").hasMessageContaining("65535");
        assertThatThrownBy(() -> RouteDistinguisher.parse("4294967296:1"))
                .hasMessageContaining("AS number 4294967296").hasMessageContaining("4294967295");
        assertThatThrownBy(() -> RouteDistinguisher.parse("0000fde800000064"))
                .hasMessageContaining("written 65000:100");
        assertThatThrownBy(() -> RouteDistinguisher.parse("192.0.2:1")).hasMessageContaining("not an IPv4 address");
    }
}
