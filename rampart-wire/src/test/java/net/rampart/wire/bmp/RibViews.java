package net.rampart.wire.bmp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;

/**
 * Replays decoded BMP messages into the routes each view holds, as text that a router's CLI
 * output can be brought to: view ({@code pre}, {@code post}, {@code loc}) and peer, then route
 * key, then AS path, next hop and communities.
 */
final class RibViews {

    /** view|peer → route key → attributes. */
    private final Map<String, Map<String, String>> views = new TreeMap<>();

    static RibViews replay(List<BmpMessage> messages) {
        RibViews rib = new RibViews();
        for (BmpMessage m : messages) {
            switch (m) {
                case BmpMessage.RouteMonitoring rm -> rib.apply(rm);
                case BmpMessage.PeerDown down -> rib.views.keySet()
                        .removeIf(v -> v.endsWith("|" + down.peer().address().getHostAddress()));
                default -> {
                }
            }
        }
        return rib;
    }

    /** The routes of one view of one peer ({@code loc} views have peer 0.0.0.0). */
    Map<String, String> view(String view, String peer) {
        return views.getOrDefault(view + "|" + peer, Map.of());
    }

    private void apply(BmpMessage.RouteMonitoring rm) {
        String view = RouteRows.view(rm.peer()) + "|" + rm.peer().address().getHostAddress();
        Map<String, String> routes = views.computeIfAbsent(view, k -> new TreeMap<>());
        UpdateMessage u = rm.update();
        u.withdrawn().forEach(n -> routes.remove(key(n)));
        u.mpUnreach().ifPresent(r -> r.nlri().forEach(n -> routes.remove(key(n))));
        String asPath = u.attribute(PathAttribute.AsPath.class).map(RibViews::asPath).orElse("");
        String communities = u.attribute(PathAttribute.Communities.class).map(RibViews::communities).orElse("");
        String nextHop = u.attribute(PathAttribute.NextHop.class).map(n -> RouteRows.formatIpv4(n.address())).orElse("");
        u.announced().forEach(n -> routes.put(key(n), attributes(asPath, nextHop, communities)));
        u.mpReach().ifPresent(r -> {
            String mpNextHop = address(Arrays.copyOf(r.nextHop(), r.nextHop().length >= 16 ? 16 : r.nextHop().length));
            r.nlri().forEach(n -> routes.put(key(n), attributes(asPath, mpNextHop, communities)));
        });
    }

    static String attributes(String asPath, String nextHop, String communities) {
        return "as-path=" + asPath + " next-hop=" + nextHop + " communities=" + communities;
    }

    /** The route distinguisher's text is administrator:assigned, the form both GoBGP and FRR print. */
    static String key(Nlri n) {
        return switch (n) {
            case UnicastNlri u -> canonicalPrefix(u.prefix().toString()) + (u.pathId() == Nlri.NO_PATH_ID ? "" : " path-id=" + u.pathId());
            case EvpnRoute.MacIpAdvertisement mac -> "macadv rd=" + mac.rd() + " etag=" + mac.ethernetTag() + " mac="
                    + mac.macText() + " ip=" + (mac.ip() == null ? "" : mac.ip().getHostAddress()) + " label=" + mac.label1();
            case EvpnRoute.InclusiveMulticast im -> "multicast rd=" + im.rd() + " etag=" + im.ethernetTag() + " ip="
                    + im.originatorIp().getHostAddress();
            case EvpnRoute.IpPrefixRoute p -> "prefix rd=" + p.rd() + " etag=" + p.ethernetTag() + " prefix="
                    + canonicalPrefix(p.prefix().toString()) + " gw=" + p.gateway().getHostAddress() + " label=" + p.label();
            default -> n.toString();
        };
    }

    static String canonicalPrefix(String p) {
        int slash = p.indexOf('/');
        try {
            return InetAddress.getByName(p.substring(0, slash)).getHostAddress() + p.substring(slash);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(p, e);
        }
    }

    static String address(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("address of " + a.length + " bytes", e);
        }
    }

    private static String asPath(PathAttribute.AsPath path) {
        StringJoiner j = new StringJoiner(" ");
        for (AsPathSegment s : path.segments()) {
            j.add(s.toString());
        }
        return j.toString();
    }

    private static String communities(PathAttribute.Communities c) {
        StringJoiner j = new StringJoiner(" ");
        Arrays.stream(c.values()).mapToLong(v -> v & 0xffffffffL).sorted()
                .forEach(v -> j.add((v >>> 16) + ":" + (v & 0xffff)));
        return j.toString();
    }

    @Override
    public String toString() {
        return views.toString();
    }
}
