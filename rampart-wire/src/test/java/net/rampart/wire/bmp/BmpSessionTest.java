package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import org.junit.jupiter.api.Test;

/** Per-peer decoding state: add-path and AS size come from Peer Up and the per-peer header, never from lengths. */
class BmpSessionTest {

    private static final int POST_POLICY = 0x40;
    private static final int LEGACY_AS_PATH = 0x20;
    private static final int ADJ_RIB_OUT = 0x10;
    private static final UnicastNlri ROUTE = new UnicastNlri(7, Ipv4Prefix.parse("198.51.100.0/24"));

    private static byte[] open(long as, Capability.AddPathMode addPath) {
        return open(as, AfiSafi.IPV4_UNICAST, addPath);
    }

    private static byte[] open(long as, AfiSafi family, Capability.AddPathMode addPath) {
        List<Capability> caps = addPath == Capability.AddPathMode.NONE
                ? List.of(new Capability.Multiprotocol(family), new Capability.FourOctetAs(as))
                : List.of(new Capability.Multiprotocol(family), new Capability.FourOctetAs(as),
                        new Capability.AddPath(List.of(new Capability.AddPathFamily(family, addPath))));
        return BgpMessageEncoder.encode(OpenMessage.of(as, 90, 0x0a000001, caps), PeerCapabilities.LEGACY);
    }

    private static byte[] peerUp(int flags, Capability.AddPathMode routerMode, Capability.AddPathMode peerMode) {
        return peerUp(flags, AfiSafi.IPV4_UNICAST, routerMode, peerMode);
    }

    private static byte[] peerUp(int flags, AfiSafi family, Capability.AddPathMode routerMode, Capability.AddPathMode peerMode) {
        return BmpBytes.body().peer(flags, "203.0.113.9", 65001).localAddress("203.0.113.1").u16(179).u16(40000)
                .bytes(open(65000, family, routerMode)).bytes(open(65001, family, peerMode))
                .tlv(InformationTlv.VRF_TABLE_NAME, "global").message(BmpMessage.PEER_UP);
    }

    private static byte[] peerDown() {
        byte[] notification = BgpMessageEncoder.encode(new NotificationMessage(6, 2), PeerCapabilities.LEGACY);
        return BmpBytes.body().peer(0, "203.0.113.9", 65001).u8(BmpMessage.PeerDown.REMOTE_NOTIFICATION).bytes(notification)
                .message(BmpMessage.PEER_DOWN);
    }

    private static byte[] routeMonitoring(int flags, UnicastNlri route, boolean addPath, boolean as4) {
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001, 4_200_000_000L), new PathAttribute.NextHop(0xcb007109)), List.of(route));
        PeerCapabilities caps = PeerCapabilities.of(as4, false, addPath ? Set.of(AfiSafi.IPV4_UNICAST) : Set.of());
        return BmpBytes.body().peer(flags, "203.0.113.9", 65001).bytes(BgpMessageEncoder.encode(update, caps))
                .message(BmpMessage.ROUTE_MONITORING);
    }

    private static UpdateMessage update(BmpMessage m) {
        return ((BmpMessage.RouteMonitoring) m).update();
    }

    private static byte[] routeMonitoringOf(String address, String bgpId) {
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001), new PathAttribute.NextHop(0xcb007109)), List.of(ROUTE));
        return BmpBytes.body().peer(PerPeerHeader.GLOBAL_INSTANCE, address.contains(":") ? 0x80 : 0, 0, address,
                        65001, bgpId, 1_700_000_000L, 0)
                .bytes(BgpMessageEncoder.encode(update, PeerCapabilities.of(true, false, Set.of())))
                .message(BmpMessage.ROUTE_MONITORING);
    }

    private static PerPeerHeader peerOf(BmpMessage m) {
        return ((BmpMessage.RouteMonitoring) m).peer();
    }

    @Test
    void aRunOfOnePeersMessagesSharesItsAddressesAndAnotherPeerGetsItsOwn() {
        BmpSession session = new BmpSession();
        List<byte[]> messages = List.of(routeMonitoringOf("203.0.113.9", "192.0.2.1"),
                routeMonitoringOf("203.0.113.9", "192.0.2.1"), routeMonitoringOf("203.0.113.9", "192.0.2.2"),
                routeMonitoringOf("2001:db8::9", "192.0.2.2"), routeMonitoringOf("2001:db8::9", "192.0.2.2"),
                routeMonitoringOf("2001:db8::8", "192.0.2.2"), routeMonitoringOf("203.0.113.9", "192.0.2.2"));
        List<PerPeerHeader> peers = messages.stream().map(m -> peerOf(session.decode(m))).toList();

        // Every header as a decoder without a session reads it.
        assertThat(peers).isEqualTo(messages.stream().map(m -> peerOf(BmpMessageDecoder.decode(m))).toList());
        assertThat(peers.get(1).address()).isSameAs(peers.get(0).address());
        assertThat(peers.get(1).bgpId()).isSameAs(peers.get(0).bgpId());
        assertThat(peers.get(2).address()).isSameAs(peers.get(1).address());
        assertThat(peers.get(2).bgpId()).isNotSameAs(peers.get(1).bgpId());
        assertThat(peers.get(4).address()).isSameAs(peers.get(3).address());
        assertThat(peers.get(5).address()).isNotSameAs(peers.get(4).address());
        assertThat(peers.get(6).address().getHostAddress()).isEqualTo("203.0.113.9");
    }

    @Test
    void aMessageIsDecodedWhereItLiesInABuffer() {
        byte[] up = peerUp(0, Capability.AddPathMode.RECEIVE, Capability.AddPathMode.SEND);
        byte[] monitoring = routeMonitoring(POST_POLICY, ROUTE, true, true);
        byte[] buffer = new byte[up.length + monitoring.length + 20];
        Arrays.fill(buffer, (byte) 0xFF);
        System.arraycopy(up, 0, buffer, 7, up.length);
        System.arraycopy(monitoring, 0, buffer, 7 + up.length, monitoring.length);
        BmpSession inBuffer = new BmpSession();
        BmpSession copied = new BmpSession();

        assertThat(inBuffer.decode(buffer, 7, up.length)).isEqualTo(copied.decode(up));
        BmpMessage read = inBuffer.decode(buffer, 7 + up.length, monitoring.length);
        Arrays.fill(buffer, (byte) 0);
        assertThat(read).as("what it keeps is copied out of the buffer").isEqualTo(copied.decode(monitoring));
        assertThat(update(read).announced()).containsExactly(ROUTE);
        assertThatThrownBy(() -> inBuffer.decode(monitoring, 0, monitoring.length - 1))
                .isInstanceOf(DecodeException.class).hasMessageContaining("bytes given");
    }

    @Test
    void addPathFromPeerUpDecodesPathIdentifiersOfAdjRibIn() {
        BmpSession session = new BmpSession();
        BmpMessage.PeerUp up = (BmpMessage.PeerUp) session.decode(
                peerUp(0, Capability.AddPathMode.RECEIVE, Capability.AddPathMode.SEND));
        assertThat(up.vrfTableName()).isEqualTo("global");
        assertThat(up.receivedOpen().autonomousSystem()).isEqualTo(65001);
        assertThat(session.isUp(up.peer().key())).isTrue();

        UpdateMessage update = update(session.decode(routeMonitoring(POST_POLICY, ROUTE, true, true)));
        assertThat(update.errors()).isEmpty();
        assertThat(update.announced()).containsExactly(ROUTE);
        assertThat(session.routeMonitoringWithoutPeerUp()).isZero();
    }

    @Test
    void adjRibOutUsesTheRoutersSendDirection() {
        BmpSession session = new BmpSession();
        // The router may send path ids, the peer only receives them: Adj-RIB-Out carries them, Adj-RIB-In does not.
        session.decode(peerUp(0, Capability.AddPathMode.SEND, Capability.AddPathMode.RECEIVE));
        assertThat(update(session.decode(routeMonitoring(ADJ_RIB_OUT, ROUTE, true, true))).announced()).containsExactly(ROUTE);
        UnicastNlri plain = new UnicastNlri(ROUTE.prefix());
        assertThat(update(session.decode(routeMonitoring(0, plain, false, true))).announced()).containsExactly(plain);
    }

    @Test
    void peerWithoutPeerUpDecodesWithFourOctetAsAndNoAddPath() {
        BmpSession session = new BmpSession();
        UnicastNlri plain = new UnicastNlri(ROUTE.prefix());
        UpdateMessage update = update(session.decode(routeMonitoring(0, plain, false, true)));
        assertThat(update.announced()).containsExactly(plain);
        assertThat(update.attribute(PathAttribute.AsPath.class).orElseThrow().originAs()).isEqualTo(4_200_000_000L);
        assertThat(session.routeMonitoringWithoutPeerUp()).isEqualTo(1);
    }

    @Test
    void legacyAsPathFlagMeansTwoOctetAsNumbers() {
        BmpSession session = new BmpSession();
        session.decode(peerUp(0, Capability.AddPathMode.NONE, Capability.AddPathMode.NONE));
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001, 64512), new PathAttribute.NextHop(0xcb007109)),
                List.of(new UnicastNlri(ROUTE.prefix())));
        byte[] message = BmpBytes.body().peer(LEGACY_AS_PATH, "203.0.113.9", 65001)
                .bytes(BgpMessageEncoder.encode(update, PeerCapabilities.LEGACY)).message(BmpMessage.ROUTE_MONITORING);
        assertThat(update(session.decode(message)).attribute(PathAttribute.AsPath.class).orElseThrow().originAs())
                .isEqualTo(64512);
    }

    @Test
    void peerDownForgetsThePeer() {
        BmpSession session = new BmpSession();
        BmpMessage.PeerUp up = (BmpMessage.PeerUp) session.decode(
                peerUp(0, Capability.AddPathMode.RECEIVE, Capability.AddPathMode.SEND));
        BmpMessage.PeerDown down = (BmpMessage.PeerDown) session.decode(peerDown());
        assertThat(down.notification()).isEqualTo(new NotificationMessage(6, 2));
        assertThat(session.isUp(up.peer().key())).isFalse();
        assertThat(session.peerCount()).isZero();
    }

    @Test
    void peerUpsOfOnePeerAddUpUntilItsPeerDown() {
        BmpSession session = new BmpSession();
        // One Peer Up per family, as a router may send for one Loc-RIB peer: each OPEN pair
        // negotiates ADD-PATH for its own family only.
        session.decode(peerUp(0, AfiSafi.IPV4_UNICAST, Capability.AddPathMode.RECEIVE, Capability.AddPathMode.SEND));
        BmpMessage.PeerUp second = (BmpMessage.PeerUp) session.decode(
                peerUp(0, AfiSafi.IPV6_UNICAST, Capability.AddPathMode.RECEIVE, Capability.AddPathMode.SEND));
        assertThat(session.peerCount()).isEqualTo(1);

        assertThat(update(session.decode(routeMonitoring(0, ROUTE, true, true))).announced()).containsExactly(ROUTE);
        UnicastNlri v6 = new UnicastNlri(9, Ipv6Prefix.parse("2001:db8:7::/48"));
        UpdateMessage v6Update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001), new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST,
                        BmpBytes.literal("2001:db8::9"), List.of(v6))), List.of());
        byte[] v6Message = BmpBytes.body().peer(0, "203.0.113.9", 65001)
                .bytes(BgpMessageEncoder.encode(v6Update, PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV6_UNICAST))))
                .message(BmpMessage.ROUTE_MONITORING);
        UpdateMessage decodedV6 = update(session.decode(v6Message));
        assertThat(decodedV6.errors()).isEmpty();
        assertThat(decodedV6.mpReach().orElseThrow().nlri()).containsExactly(v6);

        session.decode(peerDown());
        assertThat(session.isUp(second.peer().key())).isFalse();
        // With ADD-PATH still assumed, the first four bytes of this NLRI would be read as a path id.
        UnicastNlri plain = new UnicastNlri(ROUTE.prefix());
        assertThat(update(session.decode(routeMonitoring(0, plain, false, true))).announced()).containsExactly(plain);
        assertThat(session.routeMonitoringWithoutPeerUp()).isEqualTo(1);
    }

    @Test
    void aPeerUpOrPeerDownBetweenRouteMonitoringsOfOnePeerChangesHowTheNextIsDecoded() {
        BmpSession session = new BmpSession();
        UnicastNlri plain = new UnicastNlri(ROUTE.prefix());
        // Decoded with the defaults first, then the Peer Up's ADD-PATH applies to the very next message.
        assertThat(update(session.decode(routeMonitoring(0, plain, false, true))).announced()).containsExactly(plain);
        session.decode(peerUp(0, Capability.AddPathMode.RECEIVE, Capability.AddPathMode.SEND));
        assertThat(update(session.decode(routeMonitoring(0, ROUTE, true, true))).announced()).containsExactly(ROUTE);
        assertThat(update(session.decode(routeMonitoring(0, ROUTE, true, true))).announced()).containsExactly(ROUTE);
        session.decode(peerDown());
        assertThat(update(session.decode(routeMonitoring(0, plain, false, true))).announced()).containsExactly(plain);
        assertThat(session.routeMonitoringWithoutPeerUp()).isEqualTo(2);
    }

    @Test
    void unknownFamiliesAreSkippedAndCounted() {
        BmpSession session = new BmpSession();
        // MP_REACH_NLRI for AFI 1 / SAFI 5 (MVPN), which the BGP decoder does not decode
        byte[] mpReach = {(byte) 0x80, 14, 9, 0, 1, 5, 4, (byte) 192, 0, 2, 1, 0};
        byte[] attrs = java.nio.ByteBuffer.allocate(4 + 7 + mpReach.length)
                .put(new byte[] {0x40, 1, 1, 0}).put(new byte[] {0x40, 2, 4, 2, 1, (byte) 0xfd, (byte) 0xe9}).put(mpReach).array();
        byte[] update = java.nio.ByteBuffer.allocate(23 + attrs.length).put(new byte[16]).putShort((short) (23 + attrs.length))
                .put((byte) 2).putShort((short) 0).putShort((short) attrs.length).put(attrs).array();
        Arrays.fill(update, 0, 16, (byte) 0xff);
        BmpMessage m = session.decode(BmpBytes.body().peer(0, "203.0.113.9", 65001).bytes(update).message(BmpMessage.ROUTE_MONITORING));
        assertThat(update(m).skippedFamilies()).isEqualTo(1);
        assertThat(session.skippedFamilies()).isEqualTo(1);
    }

    @Test
    void tooManyPeersIsRejected() {
        BmpSession session = new BmpSession(1);
        session.decode(peerUp(0, Capability.AddPathMode.NONE, Capability.AddPathMode.NONE));
        session.decode(peerUp(0, Capability.AddPathMode.NONE, Capability.AddPathMode.NONE));
        byte[] other = BmpBytes.body().peer(0, "203.0.113.10", 65001).localAddress("203.0.113.1").u16(179).u16(1)
                .bytes(open(65000, Capability.AddPathMode.NONE)).bytes(open(65001, Capability.AddPathMode.NONE))
                .message(BmpMessage.PEER_UP);
        assertThatThrownBy(() -> session.decode(other)).isInstanceOf(DecodeException.class).hasMessageContaining("peers");
    }
}
