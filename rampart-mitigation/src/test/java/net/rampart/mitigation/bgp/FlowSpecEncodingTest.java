package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.flowspec.FlowSpecAction;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class FlowSpecEncodingTest {

    private static FlowSpecRule rule(String dst, List<Integer> ports, FlowAction action) {
        return new FlowSpecRule(new FlowMatch(IpPrefix.parse(dst), OptionalInt.of(17), ports, false), action);
    }

    private static UpdateMessage roundTrip(UpdateMessage u) {
        byte[] wire = BgpMessageEncoder.encode(u, PeerCapabilities.FOUR_OCTET_AS);
        assertThat(wire.length).isLessThanOrEqualTo(4096);
        return (UpdateMessage) BgpMessageDecoder.decode(wire, 0, wire.length, PeerCapabilities.FOUR_OCTET_AS);
    }

    @Test
    void announcementsDecodeBackToTheSameNlriAndAction() {
        FlowSpecRule v4 = rule("192.0.2.10/32", List.of(53, 123), new FlowAction.TrafficRate(12_500_000f));
        FlowSpecRule v6 = new FlowSpecRule(new FlowMatch(IpPrefix.parse("2001:db8::10/128"), OptionalInt.of(6),
                List.of(443), true), new FlowAction.Discard());
        List<UpdateMessage> updates = FlowSpecEncoding.announcements(List.of(v4, v6), 65000, true);
        assertThat(updates).hasSize(2);

        UpdateMessage first = roundTrip(updates.get(0));
        assertThat(first.errors()).isEmpty();
        PathAttribute.MpReach reach = first.attribute(PathAttribute.MpReach.class).orElseThrow();
        assertThat(reach.afiSafi()).isEqualTo(AfiSafi.IPV4_FLOWSPEC);
        assertThat(reach.nlri()).containsExactly(FlowSpecEncoding.nlri(v4.match()));
        long community = first.attribute(PathAttribute.ExtendedCommunities.class).orElseThrow().get(0);
        assertThat(FlowSpecAction.fromExtendedCommunity(community))
                .contains(new FlowSpecAction.TrafficRateBytes(65000, 12_500_000f));
        assertThat(first.attribute(PathAttribute.AsPath.class).orElseThrow().originAs()).isEqualTo(65000);

        UpdateMessage second = roundTrip(updates.get(1));
        PathAttribute.MpReach reach6 = second.attribute(PathAttribute.MpReach.class).orElseThrow();
        assertThat(reach6.afiSafi().afi()).isEqualTo(AfiSafi.AFI_IPV6);
        FlowSpecNlri nlri = (FlowSpecNlri) reach6.nlri().get(0);
        assertThat(nlri.components()).extracting(c -> c.type()).containsExactly(1, 3, 5, 9);
    }

    @Test
    void ibgpAnnouncementsCarryLocalPrefAndAnEmptyPath() {
        UpdateMessage u = roundTrip(FlowSpecEncoding.announcements(
                List.of(rule("192.0.2.1/32", List.of(), new FlowAction.Discard())), 65000, false).get(0));
        assertThat(u.attribute(PathAttribute.LocalPref.class)).isPresent();
        assertThat(u.attribute(PathAttribute.AsPath.class).orElseThrow().segments()).isEmpty();
    }

    @Test
    void manyRulesArePackedIntoUpdatesThatFitAndLoseNothing() {
        List<FlowSpecRule> rules = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            rules.add(rule("10." + (i / 256) + "." + (i % 256) + ".1/32", List.of(53), new FlowAction.Discard()));
        }
        List<UpdateMessage> updates = FlowSpecEncoding.announcements(rules, 65000, true);
        assertThat(updates.size()).isBetween(2, 2000 / 50);
        List<Object> decoded = new ArrayList<>();
        for (UpdateMessage u : updates) {
            decoded.addAll(roundTrip(u).attribute(PathAttribute.MpReach.class).orElseThrow().nlri());
        }
        assertThat(decoded).containsExactlyElementsOf(rules.stream().map(r -> FlowSpecEncoding.nlri(r.match()))
                .toList());

        List<UpdateMessage> withdrawals = FlowSpecEncoding.withdrawals(rules.stream().map(FlowSpecRule::match).toList());
        int withdrawn = 0;
        for (UpdateMessage u : withdrawals) {
            withdrawn += roundTrip(u).attribute(PathAttribute.MpUnreach.class).orElseThrow().nlri().size();
        }
        assertThat(withdrawn).isEqualTo(2000);
    }

    @Test
    void actionsMapToTheirCommunities() {
        assertThat(FlowSpecAction.fromExtendedCommunity(FlowSpecEncoding.community(new FlowAction.Redirect("65000:666"),
                65000))).contains(new FlowSpecAction.RedirectAs2(65000, 666));
        assertThat(FlowSpecAction.fromExtendedCommunity(FlowSpecEncoding.community(
                new FlowAction.Redirect("4200000000:7"), 65000))).contains(new FlowSpecAction.RedirectAs4(4200000000L, 7));
        assertThat(FlowSpecAction.fromExtendedCommunity(FlowSpecEncoding.community(new FlowAction.MarkDscp(46),
                4200000000L))).contains(new FlowSpecAction.TrafficMarking(46));
        assertThat(FlowSpecAction.fromExtendedCommunity(FlowSpecEncoding.community(new FlowAction.Discard(),
                4200000000L))).contains(new FlowSpecAction.TrafficRateBytes(0, 0f));
    }

    @Test
    void peersParseInEveryWrittenForm() {
        assertThat(BgpPeer.parse("192.0.2.1/65001")).isEqualTo(
                new BgpPeer(AddressText.parse("192.0.2.1"), 179, 65001));
        assertThat(BgpPeer.parse("192.0.2.1:1179/AS65001").port()).isEqualTo(1179);
        assertThat(BgpPeer.parse("[2001:db8::1]:1179/4200000000")).isEqualTo(
                new BgpPeer(AddressText.parse("2001:db8::1"), 1179, 4200000000L));
        assertThat(BgpPeer.parse("2001:db8::1/65001").port()).isEqualTo(179);
        assertThat(BgpPeer.parse("192.0.2.1/1.10").asn()).isEqualTo(65546); // asdot, read by the shared Asn parser
        assertThatThrownBy(() -> BgpPeer.parseAsn("AS0")).hasMessage("'AS0' is not an AS number 1-4294967295");
        assertThat(BgpPeer.splitList(" 192.0.2.1/65001, [::1]:2179/65002 ,")).hasSize(2);
        assertThat(BgpPeer.parse("[2001:db8::1]:1179/65001").toString()).isEqualTo("[2001:db8::1]:1179/65001");
        assertThatThrownBy(() -> BgpPeer.parse("192.0.2.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgpPeer.parse("router1/65001")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgpPeer.parse("192.0.2.1/0")).isInstanceOf(IllegalArgumentException.class);
    }
}
