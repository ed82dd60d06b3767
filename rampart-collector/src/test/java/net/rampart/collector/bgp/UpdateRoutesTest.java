package net.rampart.collector.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.ErrorAction;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EthernetSegmentId;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.nlri.LabelStack;
import net.rampart.wire.bgp.nlri.LabeledNlri;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import org.junit.jupiter.api.Test;

class UpdateRoutesTest {
    private static final List<PathAttribute> BASE = List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
            new PathAttribute.AsPath(List.of(AsPathSegment.sequence(65001, 4200000000L))),
            new PathAttribute.NextHop(0xC0000201), new PathAttribute.MultiExitDisc(10),
            new PathAttribute.Communities(new int[] {65001 << 16 | 7}),
            new PathAttribute.LargeCommunities(List.of(new LargeCommunity(65001, 1, 2))),
            new PathAttribute.ClusterList(new int[] {0x01010101}));

    /** Encodes and decodes the message with the wire codec, as a BMP session would receive it. */
    private static UpdateMessage wire(UpdateMessage m, PeerCapabilities caps) {
        return (UpdateMessage) BgpMessageDecoder.decode(BgpMessageEncoder.encode(m, caps), caps);
    }

    @Test
    void ipv4FieldsBecomeOneUpdateWithTheNextHopAttribute() {
        UpdateMessage m = wire(new UpdateMessage(
                List.of(new UnicastNlri(Ipv4Prefix.parse("10.9.0.0/16"))), BASE,
                List.of(new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/8")))),
                PeerCapabilities.FOUR_OCTET_AS);
        UpdateRoutes.Changes c = UpdateRoutes.of(m, 1234);
        assertThat(c.endOfRib()).isNull();
        assertThat(c.updates()).hasSize(1);
        RouteUpdate u = c.updates().get(0);
        assertThat(u.family()).isEqualTo(Family.IPV4_UNICAST);
        assertThat(u.announced()).containsExactly(Ipv4RouteKey.parse("10.0.0.0/8", 0));
        assertThat(u.withdrawn()).containsExactly(Ipv4RouteKey.parse("10.9.0.0/16", 0));
        PathAttributes a = u.attributes();
        assertThat(a.nextHop()).containsExactly(192, 0, 2, 1);
        assertThat(a.asPath().originAsn()).isEqualTo(4200000000L);
        assertThat(a.med()).isEqualTo(10);
        assertThat(a.localPref()).isEqualTo(-1);
        assertThat(a.hasCommunity(65001 << 16 | 7)).isTrue();
        assertThat(a.hasLargeCommunity(65001, 1, 2)).isTrue();
        assertThat(a.clusterList()).containsExactly(0x01010101);
    }

    @Test
    void mpBlocksWithdrawBeforeTheyAnnounceAndKeepPathIds() {
        AfiSafi v6 = AfiSafi.IPV6_UNICAST;
        byte[] nextHop = Ipv6Prefix.parse("2001:db8::1/128").addressBytes();
        List<PathAttribute> attrs = new java.util.ArrayList<>(BASE.subList(0, 2));
        attrs.add(new PathAttribute.MpUnreach(v6, List.<Nlri>of(
                new UnicastNlri(3, Ipv6Prefix.parse("2001:db8:1::/48")))));
        attrs.add(new PathAttribute.MpReach(v6, nextHop, List.<Nlri>of(
                new UnicastNlri(4, Ipv6Prefix.parse("2001:db8:2::/48")))));
        UpdateMessage m = wire(new UpdateMessage(List.of(), attrs, List.of()),
                PeerCapabilities.of(true, false, Set.of(v6)));
        List<RouteUpdate> updates = UpdateRoutes.of(m, 1).updates();
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0).withdrawn()).containsExactly(Ipv6RouteKey.parse("2001:db8:1::/48", 3));
        assertThat(updates.get(1).announced()).containsExactly(Ipv6RouteKey.parse("2001:db8:2::/48", 4));
        assertThat(updates.get(1).attributes().nextHop()).isEqualTo(nextHop);
    }

    @Test
    void treatAsWithdrawWithdrawsWhatWasAnnounced() {
        UpdateMessage m = new UpdateMessage(List.of(), BASE,
                List.of(new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/8"))),
                List.of(new UpdateError(PathAttribute.COMMUNITIES, UpdateError.Problem.MALFORMED_ATTRIBUTE,
                        ErrorAction.TREAT_AS_WITHDRAW, "bad length")), 0);
        UpdateRoutes.Changes changes = UpdateRoutes.of(m, 1);
        RouteUpdate u = changes.updates().get(0);
        assertThat(u.announced()).isEmpty();
        assertThat(u.withdrawn()).containsExactly(Ipv4RouteKey.parse("10.0.0.0/8", 0));
        // Said, so that the collector can count and explain it.
        assertThat(changes.withdrawnBy().attributeType()).isEqualTo(PathAttribute.COMMUNITIES);
        assertThat(changes.treatedAsWithdraw()).containsExactly(Ipv4RouteKey.parse("10.0.0.0/8", 0));
    }

    @Test
    void aRouteMissingAWellKnownAttributeIsStillHeld() {
        UpdateMessage m = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.INCOMPLETE),
                new PathAttribute.NextHop(0xC0000201)),
                List.of(new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/8"))),
                List.of(new UpdateError(PathAttribute.AS_PATH, UpdateError.Problem.MISSING_ATTRIBUTE,
                        ErrorAction.TREAT_AS_WITHDRAW, "no AS_PATH")), 0);
        UpdateRoutes.Changes changes = UpdateRoutes.of(m, 1);
        RouteUpdate u = changes.updates().get(0);
        assertThat(u.withdrawn()).isEmpty();
        assertThat(u.announced()).containsExactly(Ipv4RouteKey.parse("10.0.0.0/8", 0));
        assertThat(changes.withdrawnBy()).isNull();
        assertThat(changes.treatedAsWithdraw()).isEmpty();
    }

    @Test
    void endOfRibMarkersAreRecognisedPerFamily() {
        assertThat(UpdateRoutes.of(UpdateMessage.endOfRib(), 1).endOfRib()).isEqualTo(Family.IPV4_UNICAST);
        UpdateMessage evpnEor = new UpdateMessage(List.of(),
                List.of(new PathAttribute.MpUnreach(AfiSafi.L2VPN_EVPN, List.of())), List.of());
        assertThat(UpdateRoutes.of(evpnEor, 1).endOfRib()).isEqualTo(Family.L2VPN_EVPN);
        assertThat(UpdateRoutes.of(evpnEor, 1).updates()).isEmpty();
    }

    @Test
    void evpnMacIpKeepsItsKeyFieldsAndLabels() throws Exception {
        var route = new EvpnRoute.MacIpAdvertisement(-1, RouteDistinguisher.ofAs2(65000, 100),
                EthernetSegmentId.ZERO, 10, 0x0242AC110002L, InetAddress.getByName("10.1.1.1"), 10010, -1);
        var key = (EvpnRouteKey) UpdateRoutes.key(AfiSafi.L2VPN_EVPN, route);
        assertThat(key.text()).isEqualTo("2:65000:100:10:02:42:ac:11:00:02:10.1.1.1");
        assertThat(key.labels()).containsExactly(10010);
    }

    @Test
    void vpnRoutesMatchTheirWithdrawalWhateverItsLabel() {
        RouteDistinguisher rd = RouteDistinguisher.ofAs2(65000, 1);
        var prefix = Ipv4Prefix.parse("10.0.0.0/24");
        var announced = UpdateRoutes.key(AfiSafi.IPV4_VPN, new VpnNlri(-1, LabelStack.ofLabels(100), rd, prefix));
        var withdrawn = UpdateRoutes.key(AfiSafi.IPV4_VPN,
                new VpnNlri(-1, LabelStack.ofEntries(LabelStack.WITHDRAW_COMPATIBILITY), rd, prefix));
        assertThat(announced).isInstanceOf(LabeledPrefix.class).isEqualTo(withdrawn);
        // Equal although the labels differ: the key carries them without comparing them.
        assertThat(((LabeledPrefix) announced).labels()).containsExactly(100);
        assertThat(((LabeledPrefix) withdrawn).labels()).containsExactly(LabelStack.WITHDRAW_COMPATIBILITY >>> 4);
        assertThat(announced.text()).isEqualTo("65000:1:10.0.0.0/24");

        Rib rib = new Rib(RouteEventListener.NONE);
        RouterId r = new RouterId("r");
        PeerKey p = PeerKey.global(InetAddress.getLoopbackAddress());
        Family vpn = new Family(1, 128);
        rib.apply(r, p, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, vpn,
                UpdateRoutes.attributes(BASE).build(), List.of(announced)));
        rib.apply(r, p, RibView.ADJ_RIB_IN_PRE, RouteUpdate.withdraw(2, vpn, List.of(withdrawn)));
        assertThat(rib.routeCount()).isZero();
    }

    /** An UPDATE announcing 10.0.0.0/24 in VPN 65000:1 with one label, as a BMP session would receive it. */
    private static UpdateMessage vpnAnnouncement(int label) {
        // RFC 4364 section 4.3.2: the next hop is an RD of zero followed by the IPv4 address.
        byte[] nextHop = {0, 0, 0, 0, 0, 0, 0, 0, (byte) 192, 0, 2, 1};
        List<PathAttribute> attrs = new ArrayList<>(BASE.subList(0, 2));
        attrs.add(new PathAttribute.MpReach(AfiSafi.IPV4_VPN, nextHop, List.<Nlri>of(new VpnNlri(-1,
                LabelStack.ofLabels(label), RouteDistinguisher.ofAs2(65000, 1),
                Ipv4Prefix.parse("10.0.0.0/24")))));
        return wire(new UpdateMessage(List.of(), attrs, List.of()), PeerCapabilities.FOUR_OCTET_AS);
    }

    @Test
    void theRibKeepsTheLabelsOfTheLatestVpnAnnouncement() {
        Rib rib = new Rib(RouteEventListener.NONE);
        RouterId r = new RouterId("r");
        PeerKey p = PeerKey.global(InetAddress.getLoopbackAddress());
        for (RouteUpdate u : UpdateRoutes.of(vpnAnnouncement(100), 1).updates()) {
            rib.apply(r, p, RibView.ADJ_RIB_IN_PRE, u);
        }
        for (RouteUpdate u : UpdateRoutes.of(vpnAnnouncement(200), 2).updates()) {
            rib.apply(r, p, RibView.ADJ_RIB_IN_PRE, u);
        }
        List<RouteKey> keys = new ArrayList<>();
        rib.forEachTable((router, peer, view, family, table) -> table.read((key, attributes, since) -> keys.add(key)));
        // One route, replaced by the second announcement, whose labels it now shows.
        assertThat(keys).hasSize(1);
        LabeledPrefix key = (LabeledPrefix) keys.get(0);
        assertThat(key.labels()).containsExactly(200);
        assertThat(key.rd()).isEqualTo(RouteDistinguisher.ofAs2(65000, 1).value());
        assertThat(key.prefix()).isEqualTo(Ipv4RouteKey.parse("10.0.0.0/24", 0));
    }

    @Test
    void labeledUnicastKeysHaveNoRdAndKeepTheWholeLabelStack() {
        var key = (LabeledPrefix) UpdateRoutes.key(AfiSafi.IPV6_LABELED_UNICAST, new LabeledNlri(-1,
                LabelStack.ofLabels(16001, 3), Ipv6Prefix.parse("2001:db8::/32")));
        assertThat(key.rd()).isNull();
        assertThat(key.labels()).containsExactly(16001, 3);
        assertThat(key.text()).isEqualTo("2001:db8::/32");
    }
}
