package net.rampart.wire.bgp;

import static net.rampart.wire.bgp.WireFixtures.decodeUpdate;
import static net.rampart.wire.bgp.WireFixtures.hex;
import static net.rampart.wire.bgp.WireFixtures.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import org.junit.jupiter.api.Test;

/** UPDATE decoding from exact bytes: attributes, RFC 6793 merging and every RFC 7606 outcome. */
class UpdateDecoderTest {

    private static final String ORIGIN_IGP = "40 01 01 00";
    private static final String AS_PATH_2 = "40 02 06 02 02 fd e9 fd ea"; // AS_SEQUENCE 65001 65002
    private static final String NEXT_HOP = "40 03 04 c0 00 02 01"; // 192.0.2.1
    private static final String MANDATORY = ORIGIN_IGP + AS_PATH_2 + NEXT_HOP;
    private static final String NLRI_10_8 = "08 0a";

    @Test
    void decodesEveryCommonAttribute() {
        String attrs = MANDATORY
                + "80 04 04 00 00 00 64" // MED 100
                + "40 05 04 00 00 00 c8" // LOCAL_PREF 200
                + "40 06 00" // ATOMIC_AGGREGATE
                + "c0 07 06 fd e9 c6 33 64 01" // AGGREGATOR 65001 198.51.100.1
                + "c0 08 08 fd e9 00 01 ff ff ff 01" // COMMUNITIES 65001:1 NO_EXPORT
                + "80 09 04 0a 00 00 01" // ORIGINATOR_ID 10.0.0.1
                + "80 0a 08 0a 00 00 02 0a 00 00 03" // CLUSTER_LIST
                + "c0 10 08 00 02 fd e9 00 00 00 64" // EXTENDED_COMMUNITIES RT 65001:100
                + "c0 20 0c 00 00 fd e9 00 00 00 01 00 00 00 02" // LARGE_COMMUNITY 65001:1:2
                + "c0 23 04 00 00 fd e9" // ONLY_TO_CUSTOMER 65001
                + "c0 f0 02 ab cd"; // unknown type 240
        UpdateMessage u = decodeUpdate(update("", attrs, NLRI_10_8 + "18 c6 33 64"), PeerCapabilities.LEGACY);

        assertThat(u.errors()).isEmpty();
        assertThat(u.announced()).containsExactly(new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/8")),
                new UnicastNlri(Ipv4Prefix.parse("198.51.100.0/24")));
        assertThat(u.attributes()).containsExactly(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001, 65002),
                new PathAttribute.NextHop(0xC0000201),
                new PathAttribute.MultiExitDisc(100),
                new PathAttribute.LocalPref(200),
                new PathAttribute.AtomicAggregate(),
                new PathAttribute.Aggregator(65001, 0xC6336401),
                new PathAttribute.Communities(new int[] {0xFDE90001, PathAttribute.Communities.NO_EXPORT}),
                new PathAttribute.OriginatorId(0x0A000001),
                new PathAttribute.ClusterList(new int[] {0x0A000002, 0x0A000003}),
                new PathAttribute.ExtendedCommunities(new long[] {0x0002FDE900000064L}),
                new PathAttribute.LargeCommunities(List.of(new LargeCommunity(65001, 1, 2))),
                new PathAttribute.OnlyToCustomer(65001),
                new PathAttribute.Unknown(0xC0, 240, new byte[] {(byte) 0xAB, (byte) 0xCD}));
        assertThat(u.attribute(PathAttribute.AsPath.class).orElseThrow().originAs()).isEqualTo(65002);
    }

    @Test
    void decodesSetsAndConfederationSegmentsInFourOctetForm() {
        // AS_CONFED_SEQUENCE(65010) AS_SEQUENCE(4200000000) AS_SET(1,2) AS_CONFED_SET(65011)
        String asPath = "40 02 1c 03 01 00 00 fd f2 02 01 fa 56 ea 00 01 02 00 00 00 01 00 00 00 02 04 01 00 00 fd f3";
        UpdateMessage u = decodeUpdate(update("", ORIGIN_IGP + asPath + NEXT_HOP, NLRI_10_8),
                PeerCapabilities.FOUR_OCTET_AS);

        assertThat(u.errors()).isEmpty();
        PathAttribute.AsPath path = u.attribute(PathAttribute.AsPath.class).orElseThrow();
        assertThat(path.segments()).containsExactly(
                AsPathSegment.of(AsPathSegment.Type.AS_CONFED_SEQUENCE, 65010),
                AsPathSegment.of(AsPathSegment.Type.AS_SEQUENCE, (int) 4200000000L),
                AsPathSegment.of(AsPathSegment.Type.AS_SET, 1, 2),
                AsPathSegment.of(AsPathSegment.Type.AS_CONFED_SET, 65011));
        assertThat(path.pathLength()).isEqualTo(2);
        assertThat(path.originAs()).isEqualTo(-1);
    }

    @Test
    void mergesAs4PathAndAs4AggregatorOnTwoOctetSessions() {
        // AS_PATH 65001 23456 23456; AS4_PATH 4200000000 4200000001; AGGREGATOR AS_TRANS; AS4_AGGREGATOR 4200000001
        String attrs = ORIGIN_IGP + "40 02 08 02 03 fd e9 5b a0 5b a0" + NEXT_HOP
                + "c0 07 06 5b a0 c6 33 64 01"
                + "c0 11 0a 02 02 fa 56 ea 00 fa 56 ea 01"
                + "c0 12 08 fa 56 ea 01 c6 33 64 01";
        UpdateMessage u = decodeUpdate(update("", attrs, NLRI_10_8), PeerCapabilities.LEGACY);

        assertThat(u.errors()).isEmpty();
        assertThat(u.attribute(PathAttribute.AsPath.class)).contains(PathAttribute.AsPath.sequence(65001, 4200000000L, 4200000001L));
        assertThat(u.attribute(PathAttribute.Aggregator.class)).contains(new PathAttribute.Aggregator(4200000001L, 0xC6336401));
        assertThat(u.attribute(PathAttribute.As4Path.class)).isEmpty();
        assertThat(u.attribute(PathAttribute.As4Aggregator.class)).isEmpty();
    }

    @Test
    void ignoresAs4PathLongerThanAsPath() {
        String attrs = ORIGIN_IGP + "40 02 04 02 01 fd e9" + NEXT_HOP + "c0 11 0a 02 02 fa 56 ea 00 fa 56 ea 01";
        UpdateMessage u = decodeUpdate(update("", attrs, NLRI_10_8), PeerCapabilities.LEGACY);

        assertThat(u.attribute(PathAttribute.AsPath.class)).contains(PathAttribute.AsPath.sequence(65001));
        assertThat(u.attribute(PathAttribute.As4Path.class)).isEmpty();
    }

    @Test
    void ignoresAs4PathWhenAggregatorIsNotAsTrans() {
        String attrs = ORIGIN_IGP + "40 02 06 02 02 fd e9 5b a0" + NEXT_HOP
                + "c0 07 06 fd ea c6 33 64 01" + "c0 11 06 02 01 fa 56 ea 00" + "c0 12 08 fa 56 ea 01 c6 33 64 01";
        UpdateMessage u = decodeUpdate(update("", attrs, NLRI_10_8), PeerCapabilities.LEGACY);

        assertThat(u.attribute(PathAttribute.AsPath.class)).contains(PathAttribute.AsPath.sequence(65001, 23456));
        assertThat(u.attribute(PathAttribute.Aggregator.class)).contains(new PathAttribute.Aggregator(65002, 0xC6336401));
    }

    @Test
    void discardsAs4PathOnFourOctetSessions() {
        String attrs = ORIGIN_IGP + "40 02 06 02 01 00 00 fd e9" + NEXT_HOP + "c0 11 06 02 01 fa 56 ea 00";
        UpdateMessage u = decodeUpdate(update("", attrs, NLRI_10_8), PeerCapabilities.FOUR_OCTET_AS);

        assertThat(u.action()).isEqualTo(ErrorAction.ATTRIBUTE_DISCARD);
        assertThat(u.attribute(PathAttribute.As4Path.class)).isEmpty();
        assertThat(u.attribute(PathAttribute.AsPath.class)).contains(PathAttribute.AsPath.sequence(65001));
    }

    private static UpdateMessage withAttributes(String attrs) {
        return decodeUpdate(update("", attrs, NLRI_10_8), PeerCapabilities.LEGACY);
    }

    @Test
    void malformedWellKnownValuesWithdrawTheRoutes() {
        assertThat(withAttributes("40 01 01 05" + AS_PATH_2 + NEXT_HOP).action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(MANDATORY + "80 04 03 00 00 64").action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(MANDATORY + "40 05 05 00 00 00 00 64").action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(MANDATORY + "c0 08 05 00 00 00 00 01").action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(MANDATORY + "c0 10 07 00 00 00 00 00 00 01").action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(MANDATORY + "c0 20 0b 00 00 00 00 00 00 00 00 00 00 01").action())
                .isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(MANDATORY + "c0 23 03 00 00 01").action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(ORIGIN_IGP + "40 02 04 05 01 fd e9" + NEXT_HOP).action())
                .as("unknown segment type").isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(withAttributes(ORIGIN_IGP + "40 02 04 02 02 fd e9" + NEXT_HOP).action())
                .as("segment overruns AS_PATH").isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
    }

    @Test
    void malformedAggregationAttributesAreDiscarded() {
        UpdateMessage atomic = withAttributes(MANDATORY + "40 06 01 00");
        assertThat(atomic.action()).isEqualTo(ErrorAction.ATTRIBUTE_DISCARD);
        assertThat(atomic.attribute(PathAttribute.AtomicAggregate.class)).isEmpty();
        UpdateMessage aggregator = withAttributes(MANDATORY + "c0 07 05 fd e9 c6 33 64");
        assertThat(aggregator.action()).isEqualTo(ErrorAction.ATTRIBUTE_DISCARD);
        assertThat(aggregator.attribute(PathAttribute.Aggregator.class)).isEmpty();
        assertThat(aggregator.announced()).hasSize(1);
    }

    @Test
    void wrongFlagsMakeAnAttributeMalformed() {
        UpdateMessage u = withAttributes("c0 01 01 00" + AS_PATH_2 + NEXT_HOP);
        assertThat(u.action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(u.errors()).extracting(UpdateError::attributeType, UpdateError::problem)
                .contains(tuple(PathAttribute.ORIGIN, UpdateError.Problem.MALFORMED_ATTRIBUTE));
    }

    @Test
    void repeatedAttributeKeepsTheFirst() {
        UpdateMessage u = withAttributes(MANDATORY + "80 04 04 00 00 00 01" + "80 04 04 00 00 00 02");
        assertThat(u.action()).isEqualTo(ErrorAction.ATTRIBUTE_DISCARD);
        assertThat(u.attribute(PathAttribute.MultiExitDisc.class)).contains(new PathAttribute.MultiExitDisc(1));
        assertThat(u.errors()).extracting(UpdateError::problem).containsExactly(UpdateError.Problem.REPEATED_ATTRIBUTE);
    }

    @Test
    void repeatedMpReachResetsTheSession() {
        String mp = "80 0e 1a 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 00 20 20 01 0d b8";
        UpdateMessage u = decodeUpdate(update("", ORIGIN_IGP + AS_PATH_2 + mp + mp, ""), PeerCapabilities.LEGACY);
        assertThat(u.action()).isEqualTo(ErrorAction.SESSION_RESET);
    }

    @Test
    void decodesIpv6InMpReachAndCountsUnknownFamilies() {
        String mp = "80 0e 1a 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 00 20 20 01 0d b8";
        String unknownFamily = "80 0f 05 40 04 47 ab cd"; // AFI 16388 (BGP-LS) / SAFI 71
        UpdateMessage u = decodeUpdate(update("", ORIGIN_IGP + AS_PATH_2 + mp + unknownFamily, ""), PeerCapabilities.LEGACY);

        assertThat(u.errors()).isEmpty();
        assertThat(u.skippedFamilies()).isEqualTo(1);
        PathAttribute.MpReach reach = u.mpReach().orElseThrow();
        assertThat(reach.afiSafi()).isEqualTo(AfiSafi.IPV6_UNICAST);
        assertThat(reach.nlri()).containsExactly(new UnicastNlri(Ipv6Prefix.parse("2001:db8::/32")));
        assertThat(u.mpUnreach().orElseThrow().nlri()).isEmpty();
    }

    /** MP_REACH_NLRI of a VPN family with a next hop of {@code nextHopLength} zero octets and one route. */
    private static String vpnReach(int afi, int nextHopLength) {
        String nlri = afi == 1 ? "70 00 06 41 00 00 fd e8 00 00 00 01 0a 00 00" // 65000:1:10.0.0.0/24, label 100
                : "78 00 06 41 00 00 fd e8 00 00 00 01 20 01 0d b8"; // 65000:1:2001:db8::/32
        String value = "%04x 80 %02x".formatted(afi, nextHopLength) + " 00".repeat(nextHopLength) + " 00 " + nlri;
        return "80 0e %02x ".formatted(hex(value).length) + value;
    }

    @Test
    void vpnNextHopsFollowOneRuleForBothFamilies() {
        for (int afi : new int[] {1, 2}) {
            for (int length : new int[] {12, 24, 48}) {
                UpdateMessage u = decodeUpdate(update("", ORIGIN_IGP + AS_PATH_2 + vpnReach(afi, length), ""),
                        PeerCapabilities.LEGACY);
                assertThat(u.errors()).as("AFI %d, next hop of %d octets", afi, length).isEmpty();
                assertThat(u.mpReach().orElseThrow().nlri()).hasSize(1);
            }
            for (int length : new int[] {4, 16, 32}) {
                UpdateMessage u = decodeUpdate(update("", ORIGIN_IGP + AS_PATH_2 + vpnReach(afi, length), ""),
                        PeerCapabilities.LEGACY);
                assertThat(u.action()).as("AFI %d, next hop of %d octets", afi, length)
                        .isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
                assertThat(u.errors()).extracting(UpdateError::attributeType).containsExactly(PathAttribute.MP_REACH_NLRI);
            }
        }
    }

    @Test
    void theRawAttributeOfAnErrorCanBeFoundInTheUpdate() {
        byte[] wire = update("08 0b", ORIGIN_IGP + AS_PATH_2 + NEXT_HOP + vpnReach(1, 16), "");
        assertThat(RawUpdateAttribute.find(wire, 0, PathAttribute.AS_PATH)).isEqualTo(hex(AS_PATH_2));
        assertThat(RawUpdateAttribute.find(wire, 0, PathAttribute.MP_REACH_NLRI)).isEqualTo(hex(vpnReach(1, 16)));
        assertThat(RawUpdateAttribute.find(wire, 0, PathAttribute.COMMUNITIES)).isNull();
        byte[] prefixed = new byte[wire.length + 5];
        System.arraycopy(wire, 0, prefixed, 5, wire.length);
        assertThat(RawUpdateAttribute.find(prefixed, 5, PathAttribute.NEXT_HOP)).isEqualTo(hex(NEXT_HOP));
        // Cut anywhere, the UPDATE yields null or the start of the attribute, never an exception.
        byte[] whole = hex(vpnReach(1, 16));
        for (int cut = 0; cut < wire.length; cut++) {
            byte[] found = RawUpdateAttribute.find(java.util.Arrays.copyOf(wire, cut), 0, PathAttribute.MP_REACH_NLRI);
            if (found != null) {
                assertThat(whole).startsWith(found);
            }
        }
    }

    @Test
    void malformedMpReachNlriResetsTheSession() {
        String mp = "80 0e 16 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 00 81";
        UpdateMessage u = decodeUpdate(update("", ORIGIN_IGP + AS_PATH_2 + mp, ""), PeerCapabilities.LEGACY);
        assertThat(u.action()).isEqualTo(ErrorAction.SESSION_RESET);
        assertThat(u.mpReach()).isEmpty();
    }

    @Test
    void missingMandatoryAttributeWithdrawsTheRoutes() {
        UpdateMessage u = withAttributes(ORIGIN_IGP + AS_PATH_2);
        assertThat(u.action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(u.errors()).extracting(UpdateError::attributeType, UpdateError::problem)
                .containsExactly(tuple(PathAttribute.NEXT_HOP, UpdateError.Problem.MISSING_ATTRIBUTE));
    }

    @Test
    void attributeOverrunningTheAttributesFieldWithdrawsTheRoutes() {
        UpdateMessage u = withAttributes(MANDATORY + "80 04 09 00 00 00 01");
        assertThat(u.action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThat(u.announced()).hasSize(1);
    }

    @Test
    void structuralErrorsResetTheSession() {
        byte[] badWithdrawnLength = WireFixtures.message(BgpMessage.TYPE_UPDATE, WireFixtures.hex("00 10 08 0a 00 00"));
        assertThat(decodeUpdate(badWithdrawnLength, PeerCapabilities.LEGACY).action()).isEqualTo(ErrorAction.SESSION_RESET);
        byte[] badAttributesLength = WireFixtures.message(BgpMessage.TYPE_UPDATE, WireFixtures.hex("00 00 00 20 40 01 01 00"));
        assertThat(decodeUpdate(badAttributesLength, PeerCapabilities.LEGACY).action()).isEqualTo(ErrorAction.SESSION_RESET);
        assertThat(decodeUpdate(update("", MANDATORY, "21 0a 00 00 00 00"), PeerCapabilities.LEGACY).action())
                .as("prefix length 33").isEqualTo(ErrorAction.SESSION_RESET);
        assertThat(decodeUpdate(update("", MANDATORY, "18 0a 00"), PeerCapabilities.LEGACY).action())
                .as("truncated prefix").isEqualTo(ErrorAction.SESSION_RESET);
    }

    @Test
    void pathIdsAreReadOnlyWhenNegotiated() {
        byte[] wire = update("00 00 00 07 18 c6 33 64", MANDATORY, "00 00 00 01 08 0a");
        UpdateMessage u = decodeUpdate(wire, PeerCapabilities.LEGACY.withAddPath(AfiSafi.IPV4_UNICAST));
        assertThat(u.withdrawn()).containsExactly(new UnicastNlri(7, Ipv4Prefix.parse("198.51.100.0/24")));
        assertThat(u.announced()).containsExactly(new UnicastNlri(1, Ipv4Prefix.parse("10.0.0.0/8")));
        assertThat(decodeUpdate(wire, PeerCapabilities.LEGACY).action()).isEqualTo(ErrorAction.SESSION_RESET);
    }

    @Test
    void endOfRibMarkers() {
        assertThat(decodeUpdate(update("", "", ""), PeerCapabilities.LEGACY).isEndOfRib()).isTrue();
        assertThat(decodeUpdate(update("", "80 0f 03 00 02 01", ""), PeerCapabilities.LEGACY).isEndOfRib()).isTrue();
        assertThat(withAttributes(MANDATORY).isEndOfRib()).isFalse();
    }

    @Test
    void encoderAddsAs4AttributesTowardsTwoOctetSessions() {
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of(AsPathSegment.of(AsPathSegment.Type.AS_CONFED_SEQUENCE, 65010),
                        AsPathSegment.sequence(65001, 4200000000L))),
                new PathAttribute.NextHop(1), new PathAttribute.Aggregator(4200000001L, 2)),
                List.of(new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/8"))));
        byte[] wire = BgpMessageEncoder.encode(update, PeerCapabilities.LEGACY);
        UpdateMessage raw = decodeUpdate(wire, PeerCapabilities.FOUR_OCTET_AS.withFourOctetAs(false));
        assertThat(raw).isEqualTo(update);
        assertThat(wire).as("AS_TRANS on the wire").containsSubsequence(new byte[] {0x5b, (byte) 0xa0});
    }
}
