package net.rampart.collector.bmp;

import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRoute;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RawAttribute;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.ErrorAction;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EthernetSegmentId;
import net.rampart.wire.bgp.evpn.EvpnRoute.EthernetAutoDiscovery;
import net.rampart.wire.bgp.evpn.EvpnRoute.EthernetSegment;
import net.rampart.wire.bgp.evpn.EvpnRoute.InclusiveMulticast;
import net.rampart.wire.bgp.evpn.EvpnRoute.IpPrefixRoute;
import net.rampart.wire.bgp.evpn.EvpnRoute.MacIpAdvertisement;
import net.rampart.wire.bgp.nlri.IpPrefix;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a decoded BGP UPDATE into what the RIB applies: one {@link RouteUpdate} per address
 * family block, with the UPDATE's attributes in the RIB's compact form. Routes of families the
 * RIB does not hold (FlowSpec, VPN, labeled) are counted, not applied.
 */
public final class UpdateTranslator {

    /** How the decoder words a missing well-known attribute (RFC 7606 section 3(d)). */
    private static final String MISSING_ATTRIBUTE = "missing well-known attribute";

    private long untranslatedRoutes;

    /**
     * @param timeMillis when the router received or sent the UPDATE
     * @return the family blocks in the order the UPDATE carries them; empty for End-of-RIB
     */
    public List<RouteUpdate> translate(UpdateMessage update, long timeMillis) {
        boolean treatAsWithdraw = withdrawsRoutes(update);
        List<RouteUpdate> blocks = new ArrayList<>(2);
        PathAttributes attributes = null;

        if (!update.withdrawn().isEmpty() || !update.announced().isEmpty()) {
            List<RouteKey> announced = new ArrayList<>(update.announced().size());
            List<RouteKey> withdrawn = new ArrayList<>(update.withdrawn().size());
            update.withdrawn().forEach(nlri -> withdrawn.add(unicastKey(nlri)));
            (treatAsWithdraw ? withdrawn : announced).addAll(update.announced().stream().map(UpdateTranslator::unicastKey).toList());
            if (!announced.isEmpty()) {
                attributes = attributes(update, nextHopOf(update, null));
            }
            blocks.add(new RouteUpdate(timeMillis, Family.IPV4_UNICAST, attributes, announced, withdrawn));
        }
        for (PathAttribute attribute : update.attributes()) {
            if (attribute instanceof PathAttribute.MpUnreach unreach) {
                Family family = family(unreach.afiSafi());
                List<RouteKey> withdrawn = keys(family, unreach.nlri());
                if (!withdrawn.isEmpty()) {
                    blocks.add(RouteUpdate.withdraw(timeMillis, family, withdrawn));
                }
            } else if (attribute instanceof PathAttribute.MpReach reach) {
                Family family = family(reach.afiSafi());
                List<RouteKey> routes = keys(family, reach.nlri());
                if (routes.isEmpty()) {
                    continue;
                }
                blocks.add(treatAsWithdraw
                        ? RouteUpdate.withdraw(timeMillis, family, routes)
                        : RouteUpdate.announce(timeMillis, family, attributes(update, reach.nextHop()), routes));
            }
        }
        return blocks;
    }

    /**
     * RFC 7606 treat-as-withdraw, as a monitoring station applies it. The router reports routes it
     * holds, so a route that merely lacks a well-known attribute is still held (GoBGP's Loc-RIB
     * export omits AS_PATH on locally originated routes, which have an empty path); malformed
     * content still withdraws.
     */
    private static boolean withdrawsRoutes(UpdateMessage update) {
        for (UpdateError error : update.errors()) {
            if (error.action().compareTo(ErrorAction.TREAT_AS_WITHDRAW) >= 0
                    && !error.reason().startsWith(MISSING_ATTRIBUTE)) {
                return true;
            }
        }
        return false;
    }

    /** Routes seen in families the RIB does not hold. */
    public long untranslatedRoutes() {
        return untranslatedRoutes;
    }

    private static Family family(AfiSafi afiSafi) {
        return new Family(afiSafi.afi(), afiSafi.safi());
    }

    private List<RouteKey> keys(Family family, List<Nlri> nlri) {
        List<RouteKey> keys = new ArrayList<>(nlri.size());
        for (Nlri entry : nlri) {
            RouteKey key = switch (entry) {
                case UnicastNlri unicast when family.safi() == Family.SAFI_UNICAST -> unicastKey(unicast);
                case net.rampart.wire.bgp.evpn.EvpnRoute evpn -> evpnKey(evpn);
                default -> null;
            };
            if (key == null) {
                untranslatedRoutes++;
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    private static RouteKey unicastKey(UnicastNlri nlri) {
        return prefixKey(nlri.prefix(), pathId(nlri.pathId()));
    }

    private static RouteKey prefixKey(IpPrefix prefix, int pathId) {
        return switch (prefix) {
            case net.rampart.wire.bgp.nlri.Ipv4Prefix v4 ->
                    new net.rampart.collector.rib.Ipv4Prefix(v4.address(), v4.length(), pathId);
            case net.rampart.wire.bgp.nlri.Ipv6Prefix v6 ->
                    new net.rampart.collector.rib.Ipv6Prefix(v6.high(), v6.low(), v6.length(), pathId);
        };
    }

    /** The RIB keeps "no path id" as 0, which RFC 7911 peers may also use; they never share a table. */
    private static int pathId(long wirePathId) {
        return wirePathId == Nlri.NO_PATH_ID ? 0 : (int) wirePathId;
    }

    private static RouteKey evpnKey(net.rampart.wire.bgp.evpn.EvpnRoute route) {
        int pathId = pathId(route.pathId());
        return switch (route) {
            case EthernetAutoDiscovery ad -> new EvpnRoute(EvpnRoute.ETHERNET_AUTO_DISCOVERY, ad.rd().value(),
                    esi(ad.esi()), (int) ad.ethernetTag(), null, null, 0, null, new int[] {ad.label()}, null, pathId);
            case MacIpAdvertisement mac -> EvpnRoute.macIp(mac.rd().value(), esi(mac.esi()), (int) mac.ethernetTag(),
                    macBytes(mac.mac()), address(mac.ip()), new int[] {mac.label1(), mac.label2()}, pathId);
            case InclusiveMulticast imet -> EvpnRoute.inclusiveMulticast(imet.rd().value(), (int) imet.ethernetTag(),
                    imet.originatorIp().getAddress(), pathId);
            case EthernetSegment es -> new EvpnRoute(EvpnRoute.ETHERNET_SEGMENT, es.rd().value(), esi(es.esi()), 0,
                    null, es.originatorIp().getAddress(), es.originatorIp().getAddress().length * 8, null, null, null,
                    pathId);
            case IpPrefixRoute ip -> EvpnRoute.ipPrefix(ip.rd().value(), esi(ip.esi()), (int) ip.ethernetTag(),
                    prefixBytes(ip.prefix()), ip.prefix().length(), address(ip.gateway()), new int[] {ip.label()}, pathId);
            case net.rampart.wire.bgp.evpn.EvpnRoute.Unknown unknown -> new EvpnRoute(unknown.routeType(), 0, null, 0,
                    null, null, 0, null, null, unknown.value(), pathId);
        };
    }

    private static byte[] esi(EthernetSegmentId esi) {
        return esi == null ? null : esi.value();
    }

    private static byte[] macBytes(long mac) {
        byte[] bytes = new byte[6];
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) mac;
            mac >>>= 8;
        }
        return bytes;
    }

    private static byte[] address(InetAddress address) {
        return address == null ? null : address.getAddress();
    }

    private static byte[] prefixBytes(IpPrefix prefix) {
        return switch (prefix) {
            case net.rampart.wire.bgp.nlri.Ipv4Prefix v4 -> intBytes(v4.address());
            case net.rampart.wire.bgp.nlri.Ipv6Prefix v6 -> v6.addressBytes();
        };
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] nextHopOf(UpdateMessage update, byte[] fallback) {
        return update.attribute(PathAttribute.NextHop.class).map(hop -> intBytes(hop.address())).orElse(fallback);
    }

    private static PathAttributes attributes(UpdateMessage update, byte[] nextHop) {
        var builder = PathAttributes.builder().nextHop(nextHop);
        List<RawAttribute> unknown = new ArrayList<>(0);
        for (PathAttribute attribute : update.attributes()) {
            switch (attribute) {
                case PathAttribute.Origin origin -> builder.origin(origin.value());
                case PathAttribute.AsPath path -> builder.asPath(asPath(path.segments()));
                case PathAttribute.MultiExitDisc med -> builder.med(med.value());
                case PathAttribute.LocalPref pref -> builder.localPref(pref.value());
                case PathAttribute.AtomicAggregate ignored -> builder.atomicAggregate(true);
                case PathAttribute.Aggregator aggregator ->
                        builder.aggregator(aggregator.asn(), intBytes(aggregator.address()));
                case PathAttribute.Communities communities -> builder.communities(communities.values());
                case PathAttribute.ExtendedCommunities extended -> builder.extendedCommunities(extended.values());
                case PathAttribute.LargeCommunities large -> builder.largeCommunities(largeTriples(large.values()));
                case PathAttribute.OriginatorId originator -> builder.originatorId(intBytes(originator.address()));
                case PathAttribute.ClusterList clusters -> builder.clusterList(clusters.clusterIds());
                case PathAttribute.Unknown raw -> unknown.add(new RawAttribute(raw.typeCode(), raw.flags(), raw.value()));
                default -> {
                    // NEXT_HOP and MP_REACH's next hop are taken above; MP_(UN)REACH carry routes,
                    // AS4_* were merged into AS_PATH by the decoder.
                }
            }
        }
        if (!unknown.isEmpty()) {
            builder.otherAttributes(unknown.toArray(RawAttribute[]::new));
        }
        return builder.build();
    }

    private static AsPath asPath(List<AsPathSegment> segments) {
        int size = 0;
        for (AsPathSegment segment : segments) {
            size += 2 + segment.size();
        }
        int[] encoded = new int[size];
        int at = 0;
        for (AsPathSegment segment : segments) {
            encoded[at++] = segment.type().wire();
            encoded[at++] = segment.size();
            for (int i = 0; i < segment.size(); i++) {
                encoded[at++] = (int) segment.asn(i);
            }
        }
        return AsPath.ofEncoded(encoded);
    }

    private static int[] largeTriples(List<LargeCommunity> values) {
        int[] triples = new int[values.size() * 3];
        for (int i = 0; i < values.size(); i++) {
            LargeCommunity value = values.get(i);
            triples[3 * i] = (int) value.globalAdministrator();
            triples[3 * i + 1] = (int) value.localData1();
            triples[3 * i + 2] = (int) value.localData2();
        }
        return triples;
    }
}
