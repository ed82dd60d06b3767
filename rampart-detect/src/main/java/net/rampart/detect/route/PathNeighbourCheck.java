package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredAsn;
import net.rampart.detect.monitor.MonitoredPrefix;

/**
 * The ASes next to each monitored ASN in the AS path, judged against its declared neighbours
 * (BGPalerter's path neighbours monitor, ARTEMIS's neighbour view). Every AS adjacent to it in a
 * path holds a BGP session with it, so one that is none of its upstreams, downstreams or peers is
 * a new neighbour, or a path someone forged.
 *
 * <p>Read the path {@code ... X M Y ... origin}: M learned the route from Y and passed it to X.
 * Which side a neighbour is on does not tell its relationship (M passes a provider's routes to its
 * customers, so a customer shows up on the vantage point side too), which is why both sides are
 * judged against all three lists, and one alert names the pair whatever side it was seen on.
 *
 * <p>The origin's first hop on a route of a monitored prefix from a listed origin, when the origin
 * declares upstreams, is the first-hop check's: it is reported there, per prefix, as a possible
 * hijack, or not at all where the prefix excludes {@code first_hop_hijack}.
 *
 * <p>A route whose path ends in an AS_SET is skipped: the flattened path no longer says where the
 * set begins, and members of a set are not neighbours of one another.
 */
final class PathNeighbourCheck {

    private final MonitoredAsns asns;

    PathNeighbourCheck(MonitoredAsns asns) {
        this.asns = asns;
    }

    /**
     * Adds a finding for each unknown neighbour of a monitored ASN in the path of {@code route};
     * allocates nothing when there is none.
     *
     * @param monitored the monitored prefix judging the route, or null
     */
    void check(RouteObservation route, MonitoredPrefix monitored, List<Finding> found) {
        long[] path = route.asPath();
        if (path.length < 2 || route.originIsAsSet() || !asns.anyNeighbours()) {
            return;
        }
        for (int first = 0, last; first < path.length; first = last + 1) {
            // A run of one ASN is the AS and its prepends.
            last = first;
            while (last + 1 < path.length && path[last + 1] == path[first]) {
                last++;
            }
            MonitoredAsn m = asns.find(path[first]);
            if (m == null || !m.declaresNeighbours()) {
                continue;
            }
            if (first > 0 && !firstHopJudged(route, monitored, m, last)) {
                judge(route, m, path[first - 1], true, found);
            }
            if (last + 1 < path.length) {
                judge(route, m, path[last + 1], false, found);
            }
        }
    }

    /** The neighbour before the origin is the first-hop check's (see the class comment). */
    private static boolean firstHopJudged(RouteObservation route, MonitoredPrefix monitored, MonitoredAsn m,
                                          int last) {
        return last == route.asPath().length - 1 && monitored != null && !m.upstreams().isEmpty()
                && RouteCheck.fromListedOrigin(route, monitored);
    }

    /** @param passedTo whether {@code m} passed the route to the neighbour (it is on the vantage point side) */
    private static void judge(RouteObservation route, MonitoredAsn m, long neighbour, boolean passedTo,
                              List<Finding> found) {
        if (m.knows(neighbour)) {
            return;
        }
        String key = key(m.asn(), neighbour);
        if (Finding.anyWithKey(found, key)) {
            return;
        }
        found.add(new Finding(AlertType.NEW_NEIGHBOUR, key, route.prefix(), null, neighbour, null, m.group(),
                "AS" + neighbour + " is a new neighbour of AS" + m.asn() + ", none of its upstreams, downstreams"
                        + " or peers: AS" + m.asn() + (passedTo ? " passes routes to it" : " learns routes from it")
                        + ", first seen for " + route.prefix()));
    }

    /** One alert per monitored ASN and neighbour, whatever the prefixes and the side: {@code new_neighbour|AS64500|AS64530}. */
    static String key(long asn, long neighbour) {
        return AlertType.NEW_NEIGHBOUR.wireName() + "|AS" + asn + "|AS" + neighbour;
    }
}
