package net.rampart.wire.mrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import org.junit.jupiter.api.Test;

/** Stored attribute sets: abbreviated MP_REACH_NLRI and zero attribute flags, as real writers store them. */
class MrtRouteDecoderTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String ORIGIN_AS_PATH = "40010100" + "400206" + "02010000fde9";
    private static final String NEXT_HOP_2001_DB8_1 = "20010db8000000000000000000000001";

    private static MrtRecord.RibEntry entry(String attributes) {
        return new MrtRecord.RibEntry(0, 0, -1, HEX.parseHex(attributes));
    }

    @Test
    void abbreviatedMpReachIsRebuiltForTheRecordsFamily() throws Exception {
        UpdateMessage u = MrtRouteDecoder.attributes(AfiSafi.IPV6_UNICAST,
                entry(ORIGIN_AS_PATH + "800e11" + "10" + NEXT_HOP_2001_DB8_1));
        assertThat(u.errors()).isEmpty();
        PathAttribute.MpReach reach = u.mpReach().orElseThrow();
        assertThat(reach.afiSafi()).isEqualTo(AfiSafi.IPV6_UNICAST);
        assertThat(InetAddress.getByAddress(reach.nextHop())).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(reach.nlri()).isEmpty();
    }

    @Test
    void abbreviatedMpReachWithExtendedLengthAndLinkLocalNextHop() {
        String nextHops = NEXT_HOP_2001_DB8_1 + "fe800000000000000000000000000001";
        UpdateMessage u = MrtRouteDecoder.attributes(AfiSafi.IPV6_UNICAST,
                entry("900e0021" + "20" + nextHops + ORIGIN_AS_PATH));
        assertThat(u.errors()).isEmpty();
        assertThat(u.mpReach().orElseThrow().nextHop()).hasSize(32);
        assertThat(u.attribute(PathAttribute.AsPath.class)).isPresent();
    }

    @Test
    void fullMpReachWrittenAgainstTheRfcIsLeftAlone() throws Exception {
        String full = "800e" + "15" + "0002" + "01" + "10" + NEXT_HOP_2001_DB8_1 + "00";
        UpdateMessage u = MrtRouteDecoder.attributes(AfiSafi.IPV6_UNICAST, entry(ORIGIN_AS_PATH + full));
        assertThat(u.errors()).isEmpty();
        assertThat(InetAddress.getByAddress(u.mpReach().orElseThrow().nextHop()))
                .isEqualTo(InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void zeroFlagsOnWellKnownAttributesAreNormalised() {
        // NEXT_HOP and LOCAL_PREF with flags 0, as BIRD 2.0 stores them
        UpdateMessage u = MrtRouteDecoder.attributes(AfiSafi.IPV4_UNICAST,
                entry(ORIGIN_AS_PATH + "000304c0000202" + "00050400000064"));
        assertThat(u.errors()).isEmpty();
        assertThat(u.attribute(PathAttribute.NextHop.class).orElseThrow().address()).isEqualTo(0xc0000202);
        assertThat(u.attribute(PathAttribute.LocalPref.class).orElseThrow().value()).isEqualTo(100);
    }

    @Test
    void truncatedAttributesAreReportedNotThrown() {
        UpdateMessage u = MrtRouteDecoder.attributes(AfiSafi.IPV4_UNICAST, entry(ORIGIN_AS_PATH + "400304c0"));
        assertThat(u.errors()).isNotEmpty();
    }
}
