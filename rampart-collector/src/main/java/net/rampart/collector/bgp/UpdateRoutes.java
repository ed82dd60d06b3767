package net.rampart.collector.bgp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.OpaqueNlri;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RawAttribute;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.ErrorAction;
import net.rampart.wire.bgp.NlriCodec;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.nlri.LabelStack;
import net.rampart.wire.bgp.nlri.LabeledNlri;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * Turns a decoded BGP UPDATE into the RIB's input: one {@link RouteUpdate} per block of NLRI
 * (the IPv4 fields, MP_UNREACH_NLRI, MP_REACH_NLRI), the announced ones with the UPDATE's
 * attributes and that block's next hop. RFC 7606 treat-as-withdraw turns every announcement
 * into a withdrawal; an End-of-RIB marker is reported instead of routes.
 */
public final class UpdateRoutes {
    /**
     * What one UPDATE means for the RIB.
     *
     * @param updates    route changes in the order to apply them
     * @param endOfRib   the family whose End-of-RIB this UPDATE is, else null
     * @param unreliable true when the UPDATE could not be parsed reliably (RFC 7606 session
     *                   reset); its routes are not applied and the caller should report it
     * @param withdrawnBy the RFC 7606 error that turned the UPDATE's announcements into
     *                   withdrawals (treat-as-withdraw), else null
     * @param treatedAsWithdraw the announced routes that error withdrew instead, in order
     */
    public record Changes(List<RouteUpdate> updates, Family endOfRib, boolean unreliable, UpdateError withdrawnBy,
                          List<RouteKey> treatedAsWithdraw) {
        Changes(List<RouteUpdate> updates, Family endOfRib, boolean unreliable) {
            this(updates, endOfRib, unreliable, null, List.of());
        }
    }

    private UpdateRoutes() {
    }

    public static Changes of(UpdateMessage update, long timeMillis) {
        if (update.isEndOfRib()) {
            Family family = update.mpUnreach().map(u -> family(u.afiSafi())).orElse(Family.IPV4_UNICAST);
            return new Changes(List.of(), family, false);
        }
        ErrorAction action = update.action();
        if (action == ErrorAction.SESSION_RESET) {
            return new Changes(List.of(), null, true);
        }
        UpdateError withdrawnBy = withdrawingError(update);
        boolean withdrawAll = withdrawnBy != null;
        PathAttributes.Builder common = attributes(update.attributes());
        List<RouteUpdate> updates = new ArrayList<>(3);
        List<RouteKey> treatedAsWithdraw = withdrawAll ? new ArrayList<>() : List.of();

        // One pass for the per-block attributes, without an Optional or a lambda per UPDATE.
        PathAttribute.NextHop nextHop = null;
        PathAttribute.MpUnreach mpUnreach = null;
        PathAttribute.MpReach mpReach = null;
        for (PathAttribute a : update.attributes()) {
            switch (a) {
                case PathAttribute.NextHop n -> nextHop = nextHop == null ? n : nextHop;
                case PathAttribute.MpUnreach u -> mpUnreach = mpUnreach == null ? u : mpUnreach;
                case PathAttribute.MpReach r -> mpReach = mpReach == null ? r : mpReach;
                default -> { }
            }
        }
        if (!update.withdrawn().isEmpty() || !update.announced().isEmpty()) {
            List<RouteKey> withdrawn = keys(AfiSafi.IPV4_UNICAST, update.withdrawn());
            List<RouteKey> announced = keys(AfiSafi.IPV4_UNICAST, update.announced());
            if (withdrawAll) {
                withdrawn.addAll(announced);
                treatedAsWithdraw.addAll(announced);
                announced = List.of();
            }
            PathAttributes attrs = announced.isEmpty() ? null
                    : common.nextHop(nextHop == null ? null : int4(nextHop.address())).build();
            updates.add(new RouteUpdate(timeMillis, Family.IPV4_UNICAST, attrs, announced, withdrawn));
        }
        if (mpUnreach != null && !mpUnreach.nlri().isEmpty()) {
            updates.add(RouteUpdate.withdraw(timeMillis, family(mpUnreach.afiSafi()),
                    keys(mpUnreach.afiSafi(), mpUnreach.nlri())));
        }
        if (mpReach != null && !mpReach.nlri().isEmpty()) {
            List<RouteKey> keys = keys(mpReach.afiSafi(), mpReach.nlri());
            Family family = family(mpReach.afiSafi());
            if (withdrawAll) {
                treatedAsWithdraw.addAll(keys);
                updates.add(RouteUpdate.withdraw(timeMillis, family, keys));
            } else {
                updates.add(RouteUpdate.announce(timeMillis, family, common.nextHop(mpReach.nextHop()).build(), keys));
            }
        }
        return new Changes(updates, null, false, withdrawnBy, treatedAsWithdraw);
    }

    /**
     * The error that calls for RFC 7606 treat-as-withdraw, as a monitoring station applies it, or
     * null. The router reports routes it holds, so a route that merely lacks a well-known
     * attribute is still held (GoBGP's Loc-RIB export omits AS_PATH on locally originated routes,
     * whose path is empty); malformed content still withdraws.
     */
    private static UpdateError withdrawingError(UpdateMessage update) {
        for (UpdateError error : update.errors()) {
            if (error.action() == ErrorAction.TREAT_AS_WITHDRAW && error.problem() != UpdateError.Problem.MISSING_ATTRIBUTE) {
                return error;
            }
        }
        return null;
    }

    private static Family family(AfiSafi f) {
        if (f.equals(AfiSafi.IPV6_UNICAST)) {
            return Family.IPV6_UNICAST; // nearly every MP_REACH: no new instance
        }
        return new Family(f.afi(), f.safi());
    }

    private static byte[] int4(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The attributes common to every block; the next hop is set per block. */
    public static PathAttributes.Builder attributes(List<PathAttribute> attributes) {
        PathAttributes.Builder b = PathAttributes.builder();
        List<RawAttribute> other = null; // made for the few UPDATEs that carry such attributes
        long as4AggregatorAsn = -1;
        byte[] as4AggregatorAddress = null;
        for (PathAttribute a : attributes) {
            switch (a) {
                case PathAttribute.Origin o -> b.origin(o.value());
                case PathAttribute.AsPath p -> b.asPath(asPath(p.segments()));
                case PathAttribute.MultiExitDisc m -> b.med(m.value());
                case PathAttribute.LocalPref l -> b.localPref(l.value());
                case PathAttribute.AtomicAggregate ignored -> b.atomicAggregate(true);
                case PathAttribute.Aggregator g -> b.aggregator(g.asn(), int4(g.address()));
                case PathAttribute.As4Aggregator g -> {
                    as4AggregatorAsn = g.asn();
                    as4AggregatorAddress = int4(g.address());
                }
                case PathAttribute.Communities c -> b.communities(c.values());
                case PathAttribute.OriginatorId o -> b.originatorId(int4(o.address()));
                case PathAttribute.ClusterList c -> b.clusterList(c.clusterIds());
                case PathAttribute.ExtendedCommunities e -> b.extendedCommunities(e.values());
                case PathAttribute.LargeCommunities l -> b.largeCommunities(large(l.values()));
                case PathAttribute.OnlyToCustomer o -> (other = other == null ? new ArrayList<>() : other)
                        .add(new RawAttribute(o.typeCode(), o.flags(), int4((int) o.asn())));
                case PathAttribute.Unknown u -> (other = other == null ? new ArrayList<>() : other)
                        .add(new RawAttribute(u.typeCode(), u.flags(), u.value()));
                // The decoder has already merged AS4_PATH into AS_PATH (RFC 6793); NEXT_HOP and
                // the MP attributes are per block.
                case PathAttribute.As4Path ignored -> { }
                case PathAttribute.NextHop ignored -> { }
                case PathAttribute.MpReach ignored -> { }
                case PathAttribute.MpUnreach ignored -> { }
            }
        }
        if (as4AggregatorAsn >= 0) {
            b.aggregator(as4AggregatorAsn, as4AggregatorAddress);
        }
        return other == null ? b : b.otherAttributes(other.toArray(RawAttribute[]::new));
    }

    private static AsPath asPath(List<AsPathSegment> segments) {
        int n = 0;
        for (AsPathSegment s : segments) {
            n += 2 + s.size();
        }
        int[] encoded = new int[n];
        int i = 0;
        for (AsPathSegment s : segments) {
            encoded[i++] = s.type().wire();
            encoded[i++] = s.size();
            for (int j = 0; j < s.size(); j++) {
                encoded[i++] = (int) s.asn(j);
            }
        }
        return AsPath.ofEncoded(encoded);
    }

    private static int[] large(List<LargeCommunity> values) {
        int[] out = new int[values.size() * 3];
        for (int i = 0; i < values.size(); i++) {
            LargeCommunity c = values.get(i);
            out[i * 3] = (int) c.globalAdministrator();
            out[i * 3 + 1] = (int) c.localData1();
            out[i * 3 + 2] = (int) c.localData2();
        }
        return out;
    }

    private static List<RouteKey> keys(AfiSafi family, List<? extends Nlri> nlri) {
        List<RouteKey> out = new ArrayList<>(nlri.size());
        for (Nlri n : nlri) {
            out.add(key(family, n));
        }
        return out;
    }

    private static int pathId(Nlri n) {
        return n.pathId() == Nlri.NO_PATH_ID ? 0 : (int) n.pathId();
    }

    static RouteKey key(AfiSafi family, Nlri nlri) {
        int pathId = pathId(nlri);
        return switch (nlri) {
            case UnicastNlri u -> prefixKey(u.prefix(), pathId);
            case EvpnRoute e -> evpnKey(e, pathId);
            // The key carries the labels but does not compare them: a withdrawal need not repeat them (RFC 8277).
            case VpnNlri v -> new LabeledPrefix(v.rd().value(), prefixKey(v.prefix(), 0), labels(v.labels()), pathId);
            case LabeledNlri l -> new LabeledPrefix(null, prefixKey(l.prefix(), 0), labels(l.labels()), pathId);
            default -> {
                ByteSink sink = new ByteSink();
                NlriCodec.write(family, nlri, sink, false);
                yield new OpaqueNlri(sink.toByteArray(), pathId, null);
            }
        };
    }

    private static RouteKey prefixKey(IpPrefix prefix, int pathId) {
        return switch (prefix) {
            case Ipv4Prefix p -> Ipv4RouteKey.of(p, pathId);
            case Ipv6Prefix p -> Ipv6RouteKey.of(p, pathId);
        };
    }

    private static int[] labels(LabelStack stack) {
        int[] labels = new int[stack.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = stack.label(i);
        }
        return labels;
    }


    private static byte[] bytes(InetAddress a) {
        return a == null ? null : a.getAddress();
    }

    private static byte[] mac(long mac) {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return out;
    }

    private static RouteKey evpnKey(EvpnRoute route, int pathId) {
        return switch (route) {
            case EvpnRoute.EthernetAutoDiscovery r -> new EvpnRouteKey(
                    EvpnRouteKey.ETHERNET_AUTO_DISCOVERY, r.rd().value(), r.esi().value(), (int) r.ethernetTag(), null,
                    null, 0, null, new int[] {r.label()}, null, pathId);
            case EvpnRoute.MacIpAdvertisement r -> EvpnRouteKey.macIp(r.rd().value(),
                    r.esi().value(), (int) r.ethernetTag(), mac(r.mac()), bytes(r.ip()),
                    r.label2() == -1 ? new int[] {r.label1()} : new int[] {r.label1(), r.label2()}, pathId);
            case EvpnRoute.InclusiveMulticast r -> EvpnRouteKey.inclusiveMulticast(
                    r.rd().value(), (int) r.ethernetTag(), bytes(r.originatorIp()), pathId);
            case EvpnRoute.EthernetSegment r -> new EvpnRouteKey(EvpnRouteKey.ETHERNET_SEGMENT,
                    r.rd().value(), r.esi().value(), 0, null, bytes(r.originatorIp()),
                    r.originatorIp().getAddress().length * 8, null, null, null, pathId);
            case EvpnRoute.IpPrefixRoute r -> EvpnRouteKey.ipPrefix(r.rd().value(),
                    r.esi().value(), (int) r.ethernetTag(), r.prefix().addressBytes(), r.prefix().length(),
                    bytes(r.gateway()), new int[] {r.label()}, pathId);
            // An unknown type is keyed by its raw bytes, which carry its RD where it has one.
            case EvpnRoute.Unknown r -> new EvpnRouteKey(r.routeType(), 0, null, 0,
                    null, null, 0, null, null, r.value(), pathId);
        };
    }
}
