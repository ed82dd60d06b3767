package net.rampart.server.detect;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.route.Detector;
import net.rampart.detect.route.RouteObservation;
import net.rampart.detect.route.RpkiValidator;
import net.rampart.detect.route.VantagePoint;
import net.rampart.wire.ip.IpPrefix;

/**
 * The collector's routes as the detector's observations: IPv4 and IPv6 unicast only (the
 * monitors name IP prefixes; EVPN, VPN and FlowSpec routes are not theirs), the AS path flattened
 * to ASNs, the standard communities as the RIB holds them (shared, not copied: the RIB's
 * attributes are immutable), each route's vantage point named once per router, peer and RIB
 * view, and each announcement validated against the VRPs in force at conversion, which is when
 * the detector judges it.
 *
 * <p>Runs on the detection thread, so the collector's path spends nothing on it. Not
 * thread-safe: it caches the vantage point ids.
 */
final class RouteEventObservations {

    private static final RibView[] VIEWS = RibView.values();

    /** Router, then peer, then the id of each view, by ordinal: looked up without allocating. */
    private final Map<RouterId, Map<PeerKey, String[]>> ids = new HashMap<>();
    private final RpkiValidator rpki;

    RouteEventObservations(RpkiValidator rpki) {
        this.rpki = rpki;
    }

    /**
     * One route, announced ({@code attributes} set) or withdrawn (null); null when it is not an
     * IP unicast route.
     */
    RouteObservation of(long timeMillis, RouterId router, PeerKey peer, RibView view, RouteKey key,
                        PathAttributes attributes) {
        IpPrefix prefix = switch (key) {
            case Ipv4RouteKey k -> k.prefix();
            case Ipv6RouteKey k -> k.prefix();
            default -> null;
        };
        if (prefix == null) {
            return null;
        }
        String vantagePoint = vantagePoint(router, peer, view, key.pathId());
        if (attributes == null) {
            return RouteObservation.withdraw(timeMillis, vantagePoint, prefix);
        }
        AsPath path = attributes.asPath();
        long[] asns = flatten(path);
        boolean asSet = endsInSet(path);
        return new RouteObservation(timeMillis, vantagePoint, prefix, asns, asSet, false, attributes.communities(),
                rpki.validity(prefix, asns, asSet));
    }

    /**
     * As {@link #of(long, RouterId, PeerKey, RibView, RouteKey, PathAttributes)}, but null as
     * well when the route concerns none of {@code judge}'s monitors (see {@link Detector#concerns}):
     * most routes of a full table, which are then neither flattened, named nor validated, and cost
     * no allocation. Ask just before {@code judge} takes the route: whether a prefix is held
     * changes with the routes it judged before.
     */
    RouteObservation ofConcerning(Detector judge, long timeMillis, RouterId router, PeerKey peer, RibView view,
                                  RouteKey key, PathAttributes attributes) {
        boolean concerns = switch (key) {
            case Ipv4RouteKey k -> judge.concerns(true, k.high(), 0, k.length());
            case Ipv6RouteKey k -> judge.concerns(false, k.high(), k.low(), k.length());
            default -> false;
        };
        if (!concerns && (attributes == null || !pathConcerns(judge, attributes))) {
            // An IP unicast route is told apart from the rest by the key alone.
            return null;
        }
        return of(timeMillis, router, peer, view, key, attributes);
    }

    /**
     * As {@link #pathConcerns(Detector, int[])}, false without reading anything when no ASN is
     * monitored, and reading the path itself only when a monitored ASN
     * declares neighbours or the path does not end in an AS_SEQUENCE: otherwise its origin, kept
     * in the attribute set, says it all. The path is a second object, often not in this thread's
     * cache (the collector's core wrote it): following it is most of what judging a route costs.
     */
    private static boolean pathConcerns(Detector judge, PathAttributes attributes) {
        if (!judge.monitorsAsns()) {
            // Not even the attribute set is read then: like the path, it lies in the
            // collector core's cache, and a full table's routes would each fetch it.
            return false;
        }
        long origin = attributes.originAsn();
        if (origin >= 0 && !judge.readsPaths()) {
            return judge.concernsOrigin(origin);
        }
        return pathConcerns(judge, attributes.asPath().encoded());
    }

    /**
     * Whether the path makes an announcement of a prefix the detector does not otherwise
     * concern itself with one to judge: a monitored origin, or a monitored ASN that declares
     * neighbours anywhere in it. Errs towards judging: the origin is the last AS of the path
     * even when it is in an AS_SET (which the checks then skip).
     */
    private static boolean pathConcerns(Detector judge, int[] encoded) {
        boolean readsPaths = judge.readsPaths();
        long origin = -1;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            if (!counted(encoded[i])) {
                continue;
            }
            int n = encoded[i + 1];
            for (int j = 0; j < n; j++) {
                long asn = Integer.toUnsignedLong(encoded[i + 2 + j]);
                if (readsPaths && judge.concernsPathAsn(asn)) {
                    return true;
                }
                origin = asn;
            }
        }
        return origin >= 0 && judge.concernsOrigin(origin);
    }

    /**
     * Router × peer × view: the views of one peer are tables of their own, each announcing and
     * withdrawing on its own (a route the import policy drops leaves the post-policy view while the
     * pre-policy view keeps it), so a vantage point per view keeps the detector's picture of each
     * table right. With ADD-PATH, each path of a prefix is a table entry of its own as well.
     */
    private String vantagePoint(RouterId router, PeerKey peer, RibView view, int pathId) {
        String[] byView = ids.computeIfAbsent(router, r -> new HashMap<>())
                .computeIfAbsent(peer, p -> new String[VIEWS.length]);
        String id = byView[view.ordinal()];
        if (id == null) {
            id = new VantagePoint(router.name(), peer.toString(), view.name().toLowerCase(Locale.ROOT)).id();
            byView[view.ordinal()] = id;
        }
        return pathId == 0 ? id : id + "#" + Integer.toUnsignedString(pathId);
    }

    /**
     * The ASNs of the path in order, origin last, AS_SET members included; confederation
     * segments left out, as they name member ASes inside the neighbour's confederation, which
     * RFC 5065 keeps out of path length and origin too.
     */
    static long[] flatten(AsPath path) {
        int[] encoded = path.encoded();
        int n = 0;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            if (counted(encoded[i])) {
                n += encoded[i + 1];
            }
        }
        long[] asns = new long[n];
        int k = 0;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            if (counted(encoded[i])) {
                for (int j = 0; j < encoded[i + 1]; j++) {
                    asns[k++] = Integer.toUnsignedLong(encoded[i + 2 + j]);
                }
            }
        }
        return asns;
    }

    /** The last non-empty segment of the path (confederation segments aside) is an AS_SET. */
    static boolean endsInSet(AsPath path) {
        int[] encoded = path.encoded();
        int last = -1;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            if (counted(encoded[i]) && encoded[i + 1] > 0) {
                last = encoded[i];
            }
        }
        return last == AsPath.AS_SET;
    }

    private static boolean counted(int segmentType) {
        return segmentType == AsPath.AS_SEQUENCE || segmentType == AsPath.AS_SET;
    }
}
