package net.rampart.wire.bgp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EthernetSegmentId;
import net.rampart.wire.bgp.evpn.EvpnCodec;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.flowspec.BitmaskMatch;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.flowspec.NumericMatch;
import net.rampart.wire.bgp.nlri.LabelStack;
import net.rampart.wire.bgp.nlri.LabeledNlri;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/** Generators for every encodable BGP value, shared by the round-trip properties. */
public final class BgpArbitraries {

    private BgpArbitraries() {
    }

    public static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    public static Arbitrary<Ipv4Prefix> ipv4Prefix() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32)).as(Ipv4Prefix::of);
    }

    public static Arbitrary<Ipv6Prefix> ipv6Prefix() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 128))
                .as(Ipv6Prefix::of);
    }

    public static Arbitrary<IpPrefix> prefix(int afi) {
        return afi == 1 ? ipv4Prefix().map(p -> p) : ipv6Prefix().map(p -> p);
    }

    public static Arbitrary<Long> pathId(boolean addPath) {
        return addPath ? u32() : Arbitraries.just(Nlri.NO_PATH_ID);
    }

    public static Arbitrary<LabelStack> labels() {
        // Below 0x80000: a non-bottom entry of 0x800000 is the withdrawal compatibility value.
        return Arbitraries.integers().between(0, 0x7FFFF).array(int[].class).ofMinSize(1).ofMaxSize(3)
                .map(LabelStack::ofLabels);
    }

    /** A withdrawal's single label field (RFC 8277 section 2.4): any 24-bit value, 0 and 0x800000 included. */
    public static Arbitrary<LabelStack> withdrawalLabel() {
        return Arbitraries.integers().between(0, 0xFFFFFF).map(entry -> LabelStack.ofEntries(new int[] {entry}));
    }

    public static Arbitrary<RouteDistinguisher> rd() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), u32()).as(RouteDistinguisher::ofAs2),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 0xFFFF))
                        .as(RouteDistinguisher::ofIpv4),
                Combinators.combine(u32(), Arbitraries.integers().between(0, 0xFFFF)).as(RouteDistinguisher::ofAs4));
    }

    public static Arbitrary<? extends Nlri> nlri(AfiSafi family, boolean addPath) {
        return nlri(family, addPath, false);
    }

    /** NLRI of a family; in a withdrawal, labeled and VPN routes carry one label field. */
    public static Arbitrary<? extends Nlri> nlri(AfiSafi family, boolean addPath, boolean withdrawal) {
        int afi = family.afi();
        Arbitrary<LabelStack> labels = withdrawal ? withdrawalLabel() : labels();
        return switch (family.safi()) {
            case AfiSafi.SAFI_UNICAST, AfiSafi.SAFI_MULTICAST ->
                    Combinators.combine(pathId(addPath), prefix(afi)).as(UnicastNlri::new);
            case AfiSafi.SAFI_LABELED_UNICAST ->
                    Combinators.combine(pathId(addPath), labels, prefix(afi)).as(LabeledNlri::new);
            case AfiSafi.SAFI_VPN -> Combinators.combine(pathId(addPath), labels, rd(), prefix(afi))
                    .as(VpnNlri::new).filter(v -> 24 * v.labels().size() + 64 + v.prefix().length() <= 255);
            case AfiSafi.SAFI_EVPN -> evpn(addPath);
            case AfiSafi.SAFI_FLOWSPEC -> flowSpec(afi);
            default -> throw new IllegalArgumentException(family.toString());
        };
    }

    public static Arbitrary<EthernetSegmentId> esi() {
        return Arbitraries.bytes().array(byte[].class).ofSize(10).map(EthernetSegmentId::of);
    }

    public static Arbitrary<InetAddress> address() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16)).map(EvpnCodec::address);
    }

    private static Arbitrary<InetAddress> address(int afi) {
        return Arbitraries.bytes().array(byte[].class).ofSize(afi == 1 ? 4 : 16).map(EvpnCodec::address);
    }

    private static Arbitrary<Integer> label24() {
        return Arbitraries.integers().between(0, 0xFFFFFF);
    }

    public static Arbitrary<EvpnRoute> evpn(boolean addPath) {
        Arbitrary<EvpnRoute> ad = Combinators.combine(pathId(addPath), rd(), esi(), u32(), label24())
                .as(EvpnRoute.EthernetAutoDiscovery::new);
        Arbitrary<EvpnRoute> macIp = Combinators.combine(pathId(addPath), rd(), esi(), u32(),
                        Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL), address().injectNull(0.3), label24(),
                        Arbitraries.oneOf(Arbitraries.just(-1), label24()))
                .as(EvpnRoute.MacIpAdvertisement::new);
        Arbitrary<EvpnRoute> imet = Combinators.combine(pathId(addPath), rd(), u32(), address())
                .as(EvpnRoute.InclusiveMulticast::new);
        Arbitrary<EvpnRoute> es = Combinators.combine(pathId(addPath), rd(), esi(), address())
                .as(EvpnRoute.EthernetSegment::new);
        Arbitrary<EvpnRoute> ipPrefix = Arbitraries.of(1, 2).flatMap(afi ->
                Combinators.combine(pathId(addPath), rd(), esi(), u32(), prefix(afi), address(afi), label24())
                        .as(EvpnRoute.IpPrefixRoute::new));
        Arbitrary<EvpnRoute> unknown = Combinators.combine(pathId(addPath), Arbitraries.integers().between(6, 255),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as(EvpnRoute.Unknown::new);
        return Arbitraries.oneOf(ad, macIp, imet, es, ipPrefix, unknown);
    }

    private static Arbitrary<Integer> valueLength() {
        return Arbitraries.of(1, 2, 4, 8);
    }

    private static Arbitrary<Long> valueOfLength(int length) {
        return length == 8 ? Arbitraries.longs() : Arbitraries.longs().between(0, (1L << (8 * length)) - 1);
    }

    public static Arbitrary<NumericMatch> numericMatch() {
        return valueLength().flatMap(len -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.just(len), valueOfLength(len))
                .as(NumericMatch::new));
    }

    public static Arbitrary<BitmaskMatch> bitmaskMatch() {
        return valueLength().flatMap(len -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.just(len), valueOfLength(len)).as(BitmaskMatch::new));
    }

    private static Arbitrary<FlowSpecComponent> component(int afi, int type) {
        if (FlowSpecComponent.isPrefixType(type)) {
            if (afi == 1) {
                return ipv4Prefix().map(p -> new FlowSpecComponent.Prefix(type, p));
            }
            return ipv6Prefix().flatMap(p -> Arbitraries.integers().between(0, Math.max(0, p.length() - 1))
                    .map(offset -> new FlowSpecComponent.Prefix(type, zeroBelow(p, offset), offset)));
        }
        if (FlowSpecComponent.isBitmaskType(type)) {
            return bitmaskMatch().list().ofMinSize(1).ofMaxSize(4).map(m -> new FlowSpecComponent.Bitmask(type, m));
        }
        return numericMatch().list().ofMinSize(1).ofMaxSize(4).map(m -> new FlowSpecComponent.Numeric(type, m));
    }

    /** The decoder leaves the bits before the offset zero, so generated prefixes do too. */
    private static Ipv6Prefix zeroBelow(Ipv6Prefix p, int offset) {
        long highKeep = offset >= 64 ? 0 : offset == 0 ? -1L : -1L >>> offset;
        long lowKeep = offset <= 64 ? -1L : offset == 128 ? 0 : -1L >>> (offset - 64);
        return new Ipv6Prefix(p.high() & highKeep, p.low() & lowKeep, p.length());
    }

    public static Arbitrary<FlowSpecNlri> flowSpec(int afi) {
        int maxType = afi == 1 ? FlowSpecComponent.FRAGMENT : FlowSpecComponent.FLOW_LABEL;
        return Arbitraries.integers().between(1, maxType).set().ofMinSize(1).ofMaxSize(maxType).flatMap(types -> {
            List<Arbitrary<FlowSpecComponent>> parts = new ArrayList<>();
            types.stream().sorted().forEach(t -> parts.add(component(afi, t)));
            return Combinators.combine(parts).as(list -> new FlowSpecNlri(afi, list));
        });
    }

    public static Arbitrary<AfiSafi> decodableFamily() {
        return Arbitraries.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST, AfiSafi.IPV4_MULTICAST, AfiSafi.IPV6_MULTICAST,
                AfiSafi.IPV4_LABELED_UNICAST, AfiSafi.IPV6_LABELED_UNICAST, AfiSafi.IPV4_VPN, AfiSafi.IPV6_VPN,
                AfiSafi.L2VPN_EVPN, AfiSafi.IPV4_FLOWSPEC, AfiSafi.IPV6_FLOWSPEC);
    }

    private static byte[] nextHopFor(AfiSafi family, byte[] random) {
        return switch (family.safi()) {
            case AfiSafi.SAFI_FLOWSPEC -> new byte[0];
            case AfiSafi.SAFI_VPN -> java.util.Arrays.copyOf(new byte[8], family.afi() == 1 ? 12 : 24);
            default -> java.util.Arrays.copyOf(random, family.afi() == 1 ? 4 : 16);
        };
    }

    public static Arbitrary<PathAttribute.MpReach> mpReach(PeerCapabilities caps) {
        return decodableFamily().flatMap(f -> Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(16),
                nlri(f, caps.addPath(f)).list().ofMinSize(1).ofMaxSize(4))
                .as((nh, list) -> new PathAttribute.MpReach(f, nextHopFor(f, nh), List.copyOf(list))));
    }

    public static Arbitrary<PathAttribute.MpUnreach> mpUnreach(PeerCapabilities caps) {
        return decodableFamily().flatMap(f -> nlri(f, caps.addPath(f), true).list().ofMaxSize(4)
                .map(list -> new PathAttribute.MpUnreach(f, List.copyOf(list))));
    }

    private static Arbitrary<AsPathSegment> segment(boolean fourOctet, boolean confederation) {
        Arbitrary<AsPathSegment.Type> type = confederation ? Arbitraries.of(AsPathSegment.Type.class)
                : Arbitraries.of(AsPathSegment.Type.AS_SEQUENCE, AsPathSegment.Type.AS_SET);
        Arbitrary<Integer> asn = fourOctet ? Arbitraries.integers() : Arbitraries.integers().between(0, 0xFFFF);
        return Combinators.combine(type, asn.array(int[].class).ofMinSize(1).ofMaxSize(12)).as(AsPathSegment::of);
    }

    /** One of each non-MP attribute kind, in type order, each present or not. */
    public static Arbitrary<List<PathAttribute>> plainAttributes(PeerCapabilities caps) {
        boolean as4 = caps.fourOctetAs();
        // Any ASN on either session: towards a 2-octet session the encoder adds AS4_PATH and
        // AS4_AGGREGATOR and the decoder merges them back (RFC 6793). AS4_PATH carries no
        // confederation segments, so on such a session they lead the path, as confederations put them.
        Arbitrary<PathAttribute> asPath = as4 ? segment(true, true).list().ofMaxSize(3).map(PathAttribute.AsPath::new)
                : Combinators.combine(segment(false, true).filter(s -> s.type().isConfederation()).list().ofMaxSize(1),
                        segment(true, false).list().ofMaxSize(2))
                        .as((confed, rest) -> {
                            List<AsPathSegment> all = new ArrayList<>(confed);
                            all.addAll(rest);
                            return new PathAttribute.AsPath(all);
                        });
        List<Arbitrary<PathAttribute>> each = List.of(
                Arbitraries.integers().between(0, 2).map(PathAttribute.Origin::new),
                asPath,
                Arbitraries.integers().map(PathAttribute.NextHop::new),
                u32().map(PathAttribute.MultiExitDisc::new),
                u32().map(PathAttribute.LocalPref::new),
                Arbitraries.just(new PathAttribute.AtomicAggregate()),
                Combinators.combine(u32(), Arbitraries.integers()).as(PathAttribute.Aggregator::new),
                Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(70).map(PathAttribute.Communities::new),
                Arbitraries.integers().map(PathAttribute.OriginatorId::new),
                Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(5).map(PathAttribute.ClusterList::new),
                Arbitraries.longs().array(long[].class).ofMinSize(1).ofMaxSize(5).map(PathAttribute.ExtendedCommunities::new),
                Combinators.combine(u32(), u32(), u32()).as(LargeCommunity::new).list().ofMinSize(1).ofMaxSize(5)
                        .map(PathAttribute.LargeCommunities::new),
                u32().map(PathAttribute.OnlyToCustomer::new),
                Combinators.combine(Arbitraries.of(0xC0, 0x80, 0xE0), Arbitraries.integers().between(100, 255),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300)).as(PathAttribute.Unknown::new));
        List<Arbitrary<java.util.Optional<PathAttribute>>> optional = new ArrayList<>();
        for (Arbitrary<PathAttribute> a : each) {
            optional.add(a.optional(0.6));
        }
        return Combinators.combine(optional).as(list -> list.stream().flatMap(java.util.Optional::stream).toList());
    }

    public static Arbitrary<PeerCapabilities> capabilities() {
        return Combinators.combine(Arbitraries.of(true, false), decodableFamily().set().ofMaxSize(4))
                .as((as4, addPath) -> PeerCapabilities.of(as4, true, addPath.stream()
                        .filter(f -> f.safi() != AfiSafi.SAFI_FLOWSPEC).collect(java.util.stream.Collectors.toSet())));
    }
}
