package net.rampart.wire.bgp;

import static net.rampart.wire.bgp.WireFixtures.hex;
import static net.rampart.wire.bgp.WireFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import net.rampart.wire.DecodeException;
import org.junit.jupiter.api.Test;

class OpenMessageTest {

    @Test
    void decodesCapabilitiesAndKeepsUnknownOnesRaw() {
        // AS 23456, hold 90, id 192.0.2.1; MP IPv4 unicast, route refresh, AS4 4200000000,
        // add-path IPv4 unicast both, extended message, GR 120s, unknown 73 (FQDN) "r1"
        String caps = "01 04 00 01 00 01" + "02 00" + "41 04 fa 56 ea 00" + "45 04 00 01 01 03" + "06 00"
                + "40 06 80 78 00 01 01 80" + "49 02 72 31";
        byte[] body = hex("04 5b a0 00 5a c0 00 02 01 " + String.format("%02x", caps.replace(" ", "").length() / 2 + 2)
                + " 02 " + String.format("%02x", caps.replace(" ", "").length() / 2) + caps);
        OpenMessage open = (OpenMessage) BgpMessageDecoder.decode(message(BgpMessage.TYPE_OPEN, body), PeerCapabilities.LEGACY);

        assertThat(open.autonomousSystem()).isEqualTo(4200000000L);
        assertThat(open.holdTimeSeconds()).isEqualTo(90);
        assertThat(open.bgpIdentifier()).isEqualTo(0xC0000201);
        assertThat(open.capabilities()).containsExactly(
                new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.RouteRefresh(),
                new Capability.FourOctetAs(4200000000L),
                new Capability.AddPath(List.of(new Capability.AddPathFamily(AfiSafi.IPV4_UNICAST, Capability.AddPathMode.BOTH))),
                new Capability.ExtendedMessage(),
                new Capability.GracefulRestart(true, false, 120,
                        List.of(new Capability.GracefulRestartFamily(AfiSafi.IPV4_UNICAST, true))),
                new Capability.Unknown(73, new byte[] {'r', '1'}));
    }

    @Test
    void malformedKnownCapabilityIsKeptRaw() {
        byte[] body = hex("04 fd e9 00 5a c0 00 02 01 05 02 03 41 01 07");
        OpenMessage open = (OpenMessage) BgpMessageDecoder.decode(message(BgpMessage.TYPE_OPEN, body), PeerCapabilities.LEGACY);
        assertThat(open.capabilities()).containsExactly(new Capability.Unknown(65, new byte[] {7}));
        assertThat(open.autonomousSystem()).isEqualTo(65001);
    }

    @Test
    void rejectsInconsistentParameterLengths() {
        assertThatThrownBy(() -> BgpMessageDecoder.decode(message(BgpMessage.TYPE_OPEN,
                hex("04 fd e9 00 5a c0 00 02 01 09 02 03 41 01 07")), PeerCapabilities.LEGACY))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> BgpMessageDecoder.decode(message(BgpMessage.TYPE_OPEN,
                hex("04 fd e9 00 5a c0 00 02 01 05 02 09 41 01 07")), PeerCapabilities.LEGACY))
                .isInstanceOf(DecodeException.class);
    }

    private static OpenMessage open(boolean as4, boolean ext, Capability.AddPathMode mode) {
        List<Capability> caps = new java.util.ArrayList<>();
        if (as4) {
            caps.add(new Capability.FourOctetAs(65001));
        }
        if (ext) {
            caps.add(new Capability.ExtendedMessage());
        }
        caps.add(new Capability.AddPath(List.of(new Capability.AddPathFamily(AfiSafi.IPV4_UNICAST, mode),
                new Capability.AddPathFamily(AfiSafi.IPV6_UNICAST, Capability.AddPathMode.BOTH))));
        return OpenMessage.of(65001, 90, 1, caps);
    }

    @Test
    void sessionStateNeedsBothSides() {
        PeerCapabilities both = PeerCapabilities.forMessagesFrom(open(true, true, Capability.AddPathMode.SEND),
                open(true, true, Capability.AddPathMode.RECEIVE));
        assertThat(both.fourOctetAs()).isTrue();
        assertThat(both.extendedMessage()).isTrue();
        assertThat(both.maxMessageLength()).isEqualTo(65535);
        assertThat(both.addPathFamilies()).containsExactlyInAnyOrder(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST);

        PeerCapabilities reverse = PeerCapabilities.forMessagesFrom(open(true, false, Capability.AddPathMode.RECEIVE),
                open(false, true, Capability.AddPathMode.SEND));
        assertThat(reverse.fourOctetAs()).isFalse();
        assertThat(reverse.extendedMessage()).isFalse();
        assertThat(reverse.addPath(AfiSafi.IPV4_UNICAST)).isFalse();
        assertThat(reverse.addPath(AfiSafi.IPV6_UNICAST)).isTrue();
    }

    @Test
    void headerErrorsThrow() {
        byte[] keepalive = BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, PeerCapabilities.LEGACY);
        byte[] badMarker = keepalive.clone();
        badMarker[3] = 0;
        assertThatThrownBy(() -> BgpMessageDecoder.decode(badMarker, PeerCapabilities.LEGACY))
                .isInstanceOf(DecodeException.class).hasMessageContaining("marker");
        byte[] badType = keepalive.clone();
        badType[18] = 9;
        assertThatThrownBy(() -> BgpMessageDecoder.decode(badType, PeerCapabilities.LEGACY))
                .isInstanceOf(DecodeException.class).hasMessageContaining("type 9");
        assertThatThrownBy(() -> BgpMessageDecoder.decode(java.util.Arrays.copyOf(keepalive, 20), PeerCapabilities.LEGACY))
                .isInstanceOf(DecodeException.class);
        byte[] big = message(BgpMessage.TYPE_NOTIFICATION, new byte[5000]);
        assertThatThrownBy(() -> BgpMessageDecoder.decode(big, PeerCapabilities.LEGACY))
                .isInstanceOf(DecodeException.class).hasMessageContaining("maximum");
        assertThat(BgpMessageDecoder.decode(big, PeerCapabilities.LEGACY.withExtendedMessage(true)))
                .isInstanceOf(NotificationMessage.class);
    }

    @Test
    void decodesFromByteBuffersOneMessageAtATime() {
        byte[] a = BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, PeerCapabilities.LEGACY);
        byte[] b = BgpMessageEncoder.encode(new NotificationMessage(6, 2), PeerCapabilities.LEGACY);
        java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate(a.length + b.length).put(a).put(b).flip();
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(a.length + b.length).put(a).put(b).flip();
        for (java.nio.ByteBuffer buf : List.of(heap, direct)) {
            assertThat(BgpMessageDecoder.decode(buf, PeerCapabilities.LEGACY)).isEqualTo(KeepaliveMessage.INSTANCE);
            assertThat(BgpMessageDecoder.decode(buf, PeerCapabilities.LEGACY)).isEqualTo(new NotificationMessage(6, 2));
            assertThat(buf.hasRemaining()).isFalse();
        }
    }
}
