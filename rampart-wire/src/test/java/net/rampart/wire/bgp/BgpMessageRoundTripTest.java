package net.rampart.wire.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;

/** Every encodable message survives encode then decode unchanged. */
class BgpMessageRoundTripTest {

    private static BgpMessage roundTrip(BgpMessage message, PeerCapabilities caps) {
        byte[] wire = BgpMessageEncoder.encode(message, caps);
        assertThat(BgpMessageDecoder.frameLength(wire, 0, wire.length)).isEqualTo(wire.length);
        return BgpMessageDecoder.decode(wire, caps);
    }

    @Property
    void openRoundTrips(@ForAll("opens") OpenMessage open) {
        assertThat(roundTrip(open, PeerCapabilities.LEGACY)).isEqualTo(open);
    }

    @Property
    void notificationRoundTrips(@ForAll("notifications") NotificationMessage n) {
        assertThat(roundTrip(n, PeerCapabilities.LEGACY)).isEqualTo(n);
    }

    @Property
    void routeRefreshRoundTrips(@ForAll("routeRefreshes") RouteRefreshMessage r) {
        assertThat(roundTrip(r, PeerCapabilities.LEGACY)).isEqualTo(r);
    }

    @Property(tries = 1)
    void keepaliveRoundTrips() {
        byte[] wire = BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, PeerCapabilities.LEGACY);
        assertThat(wire).hasSize(19);
        assertThat(BgpMessageDecoder.decode(wire, PeerCapabilities.LEGACY)).isEqualTo(KeepaliveMessage.INSTANCE);
    }

    @Property(tries = 400)
    void updateRoundTrips(@ForAll("updates") Session<UpdateMessage> s) {
        UpdateMessage decoded = (UpdateMessage) roundTrip(s.message(), s.caps());
        assertThat(decoded.errors()).isEmpty();
        assertThat(decoded.skippedFamilies()).isZero();
        assertThat(decoded).isEqualTo(s.message());
    }

    record Session<M>(PeerCapabilities caps, M message) {
    }

    @Provide
    Arbitrary<OpenMessage> opens() {
        Arbitrary<Capability> capability = Arbitraries.oneOf(
                BgpArbitraries.decodableFamily().map(Capability.Multiprotocol::new),
                Arbitraries.just(new Capability.RouteRefresh()),
                Arbitraries.just(new Capability.ExtendedMessage()),
                BgpArbitraries.u32().map(Capability.FourOctetAs::new),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 0xFFF),
                        Combinators.combine(BgpArbitraries.decodableFamily(), Arbitraries.of(true, false))
                                .as(Capability.GracefulRestartFamily::new).list().ofMaxSize(4))
                        .as(Capability.GracefulRestart::new),
                Combinators.combine(BgpArbitraries.decodableFamily(), Arbitraries.of(Capability.AddPathMode.class))
                        .as(Capability.AddPathFamily::new).list().ofMaxSize(5).map(Capability.AddPath::new),
                Combinators.combine(Arbitraries.integers().between(128, 255),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(20)).as(Capability.Unknown::new));
        // Up to 40 capabilities, so some OPENs need the RFC 9072 extended parameters length.
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.integers(), capability.list().ofMaxSize(40))
                .as((as, hold, id, caps) -> new OpenMessage(4, as, hold, id, caps));
    }

    @Provide
    Arbitrary<NotificationMessage> notifications() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100)).as(NotificationMessage::new);
    }

    @Provide
    Arbitrary<RouteRefreshMessage> routeRefreshes() {
        return Combinators.combine(BgpArbitraries.decodableFamily(), Arbitraries.integers().between(0, 2))
                .as(RouteRefreshMessage::new);
    }

    @Provide
    Arbitrary<Session<UpdateMessage>> updates() {
        return BgpArbitraries.capabilities().flatMap(caps -> {
            boolean addPath = caps.addPath(AfiSafi.IPV4_UNICAST);
            Arbitrary<List<UnicastNlri>> ipv4 = BgpArbitraries.nlri(AfiSafi.IPV4_UNICAST, addPath)
                    .map(n -> (UnicastNlri) n).list().ofMaxSize(20);
            return Combinators.combine(ipv4, BgpArbitraries.plainAttributes(caps),
                    BgpArbitraries.mpReach(caps).optional(0.5), BgpArbitraries.mpUnreach(caps).optional(0.3), ipv4)
                    .as((withdrawn, plain, reach, unreach, announced) -> {
                        List<PathAttribute> attributes = new ArrayList<>(plain);
                        reach.ifPresent(attributes::add);
                        unreach.ifPresent(attributes::add);
                        if (!announced.isEmpty() || reach.isPresent()) {
                            addIfMissing(attributes, new PathAttribute.Origin(0));
                            addIfMissing(attributes, PathAttribute.AsPath.sequence(65000));
                            if (!announced.isEmpty()) {
                                addIfMissing(attributes, new PathAttribute.NextHop(0x0A000001));
                            }
                        }
                        return new Session<>(caps, new UpdateMessage(withdrawn, attributes, announced));
                    });
        });
    }

    private static void addIfMissing(List<PathAttribute> attributes, PathAttribute a) {
        Optional<PathAttribute> present = attributes.stream().filter(x -> x.typeCode() == a.typeCode()).findFirst();
        if (present.isEmpty()) {
            attributes.add(a);
        }
    }
}
