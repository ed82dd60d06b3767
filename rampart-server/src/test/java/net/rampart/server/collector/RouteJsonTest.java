package net.rampart.server.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HexFormat;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibRoute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.collector.rib.RouterId;
import net.rampart.server.RampartService;
import org.junit.jupiter.api.Test;

class RouteJsonTest {
    /** RD 65000:1 (type 0: 2-byte ASN, 4-byte number). */
    private static final long RD_65000_1 = 65000L << 32 | 1;

    private static RouteJson json(Family family, RouteKey key, String nextHopHex) throws Exception {
        return json(family, key, nextHopHex, null);
    }

    private static RouteJson json(Family family, RouteKey key, String nextHopHex, RouteMarking marking)
            throws Exception {
        return json(family, key, PathAttributes.builder().nextHop(HexFormat.of().parseHex(nextHopHex)).build()
                .withMarking(marking));
    }

    private static RouteJson json(Family family, RouteKey key, PathAttributes attributes) throws Exception {
        RibRoute route = new RibRoute(new RouterId("192.0.2.254"), PeerKey.global(InetAddress.getByName("192.0.2.2")),
                RibView.ADJ_RIB_IN_PRE, family, key, attributes, Instant.EPOCH);
        // No RPKI state: RouteOrigins decides it, and gives none for VPN and labeled routes.
        return RouteJson.of(route, null);
    }

    @Test
    void vpnv4RouteShowsItsPrefixRdLabelsAndTheNextHopAfterTheRd() throws Exception {
        var key = new LabeledPrefix(RD_65000_1, Ipv4RouteKey.parse("10.0.0.0/24", 0), new int[] {100}, 0);
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
        var key = new LabeledPrefix(RD_65000_1, Ipv6RouteKey.parse("2001:db8:1::/48", 0), new int[] {200, 300}, 0);
        // RFC 4659 section 3.2 (6VPE over an IPv4 core): an RD of zero, then ::ffff:192.0.2.1.
        RouteJson route = json(new Family(2, 128), key, "0000000000000000" + "00000000000000000000ffffc0000201");
        assertThat(route.prefix()).isEqualTo("2001:db8:1::/48");
        assertThat(route.vpn().rd()).isEqualTo("65000:1");
        assertThat(route.vpn().labels()).containsExactly(200, 300);
        assertThat(route.nextHop()).isEqualTo("::ffff:192.0.2.1");
    }

    @Test
    void vpnv6NextHopWithALinkLocalAddressShowsTheGlobalOne() throws Exception {
        var key = new LabeledPrefix(RD_65000_1, Ipv6RouteKey.parse("2001:db8:1::/48", 0), new int[] {200}, 0);
        // Two RD + address pairs: 2001:db8::1, then fe80::1.
        RouteJson route = json(new Family(2, 128), key, "0000000000000000" + "20010db8000000000000000000000001"
                + "0000000000000000" + "fe800000000000000000000000000001");
        assertThat(route.nextHop()).isEqualTo("2001:db8::1");
    }

    @Test
    void labeledUnicastRouteHasLabelsButNoRd() throws Exception {
        var key = new LabeledPrefix(null, Ipv4RouteKey.parse("10.1.0.0/16", 0), new int[] {16001}, 0);
        RouteJson route = json(new Family(1, 4), key, "c0000201");
        assertThat(route.prefix()).isEqualTo("10.1.0.0/16");
        assertThat(route.vpn().rd()).isNull();
        assertThat(route.vpn().labels()).containsExactly(16001);
        assertThat(route.nextHop()).isEqualTo("192.0.2.1");
    }

    @Test
    void unicastRoutesHaveNoVpnFields() throws Exception {
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201");
        assertThat(route.prefix()).isEqualTo("10.2.0.0/16");
        assertThat(route.vpn()).isNull();
    }

    @Test
    void bmpMarkingShowsTheTableNameTheNamedStatusBitsTheNumberAndTheReason() throws Exception {
        // best (0x2) and backup (0x10), and 0x800, a bit without a name here: only in the number.
        RouteMarking marking = new RouteMarking("blue", 0x812, 3);
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201", marking);
        assertThat(route.bmp().tableName()).isEqualTo("blue");
        assertThat(route.bmp().pathStatus()).containsExactly("best", "backup");
        assertThat(route.bmp().pathStatusBits()).isEqualTo(0x812L);
        assertThat(route.bmp().reasonCode()).isEqualTo(3);
        // The API's field names, as openapi/collector.json documents them.
        JsonNode bmp = RampartService.jsonMapper().valueToTree(route).path("bmp");
        assertThat(bmp.path("table_name").asText()).isEqualTo("blue");
        assertThat(bmp.path("path_status").get(1).asText()).isEqualTo("backup");
        assertThat(bmp.path("path_status_bits").asLong()).isEqualTo(0x812L);
        assertThat(bmp.path("reason_code").asInt()).isEqualTo(3);
    }

    @Test
    void everyNamedPathStatusBitHasItsName() throws Exception {
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201",
                new RouteMarking(null, 0x3FF, -1));
        assertThat(route.bmp().pathStatus()).containsExactly("invalid", "best", "non_selected", "primary", "backup",
                "non_installed", "best_external", "add_path", "filtered_in", "filtered_out");
        assertThat(route.bmp().tableName()).isNull();
        // The TLV had no reason code: none is made up.
        assertThat(route.bmp().reasonCode()).isNull();
    }

    @Test
    void aTableNameAloneLeavesThePathStatusNullNotEmpty() throws Exception {
        // Null says the router sent no path status; an empty list would claim it sent one with no bit set.
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201",
                new RouteMarking("blue", -1, -1));
        assertThat(route.bmp().tableName()).isEqualTo("blue");
        assertThat(route.bmp().pathStatus()).isNull();
        assertThat(route.bmp().pathStatusBits()).isNull();
    }

    @Test
    void aRouteWithoutMarkingHasNoBmpObject() throws Exception {
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201");
        assertThat(route.bmp()).isNull();
        assertThat(RampartService.jsonMapper().valueToTree(route).path("bmp").isNull()).isTrue();
    }

    /** A path of a sequence then a set: 65001 4200000000 {65003,65004}. */
    private static final AsPath SEQUENCE_THEN_SET = AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 2, 65001,
            (int) 4_200_000_000L, AsPath.AS_SET, 2, 65003, 65004});

    @Test
    void theAsPathIsItsAsnsAsNumbersAndTheSegmentsSayWhichCameInASet() throws Exception {
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0),
                PathAttributes.builder().asPath(SEQUENCE_THEN_SET).origin(PathAttributes.ORIGIN_EGP).build());
        JsonNode shown = RampartService.jsonMapper().valueToTree(route);
        // The numbers route history stores for the same path (AsPath.asns): the two endpoints agree.
        assertThat(shown.path("as_path").toString()).isEqualTo("[65001,4200000000,65003,65004]");
        assertThat(shown.path("as_path_segments").toString()).isEqualTo(
                "[{\"type\":\"as_sequence\",\"asns\":[65001,4200000000]},{\"type\":\"as_set\",\"asns\":[65003,65004]}]");
        assertThat(shown.path("origin").asText()).isEqualTo("egp");
        // A path ending in a set has no origin AS: null, not -1.
        assertThat(shown.path("origin_asn").isNull()).isTrue();
    }

    @Test
    void confederationSegmentsAreNamedToo() throws Exception {
        AsPath path = AsPath.ofEncoded(new int[] {AsPath.AS_CONFED_SEQUENCE, 1, 64512, AsPath.AS_CONFED_SET, 1, 64513,
                AsPath.AS_SEQUENCE, 1, 65001});
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0),
                PathAttributes.builder().asPath(path).origin(PathAttributes.ORIGIN_INCOMPLETE).build());
        assertThat(route.asPathSegments()).extracting(RouteJson.Segment::type)
                .containsExactly("as_confed_sequence", "as_confed_set", "as_sequence");
        assertThat(route.asPath()).containsExactly(64512L, 64513L, 65001L);
        assertThat(route.originAsn()).isEqualTo(65001L);
        assertThat(route.origin()).isEqualTo("incomplete");
    }

    @Test
    void aRouteWithoutPathOrOriginShowsNullsAndEmptyLists() throws Exception {
        // Unknown is null everywhere in the API, as route history shows it; the old -1 and "unknown" are gone.
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201");
        JsonNode shown = RampartService.jsonMapper().valueToTree(route);
        assertThat(shown.path("origin_asn").isNull()).isTrue();
        assertThat(shown.path("origin").isNull()).isTrue();
        assertThat(shown.path("as_path").isArray()).isTrue();
        assertThat(shown.path("as_path")).isEmpty();
        assertThat(shown.path("as_path_segments")).isEmpty();
    }

    @Test
    void theLastChangeIsWrittenWithMilliseconds() throws Exception {
        // The RIB keeps seconds; the answer writes them in the one API form all the same.
        RouteJson route = json(Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.2.0.0/16", 0), "c0000201");
        assertThat(RampartService.jsonMapper().valueToTree(route).path("last_change").asText())
                .isEqualTo("1970-01-01T00:00:00.000Z");
    }
}
