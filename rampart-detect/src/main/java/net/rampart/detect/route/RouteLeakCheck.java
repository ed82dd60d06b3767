package net.rampart.detect.route;

import java.util.List;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredAsn;

/**
 * Valley-free violations (RFC 7908 route leaks) that the declared relationships of a monitored
 * ASN M prove, reading the path {@code ... X M Y ...} as "M learned the route from Y and passed it
 * to X" (prepends of an AS are one hop):
 *
 * <ul>
 *   <li><b>M leaks</b>: Y and X are both among M's upstreams and peers. M passed a route from a
 *       provider or peer to another provider or peer (RFC 7908 type 1 provider to provider,
 *       2 peer to peer, 3 peer to provider, 4 provider to peer).</li>
 *   <li><b>M's customer leaks</b>: in {@code ... U D M ...}, D is among M's downstreams and U among
 *       M's upstreams and peers. D learned the route from its provider M and passed it on to U,
 *       which is not D's customer (it is above or beside D's provider), the classic customer leak;
 *       with M the origin, it is M's own prefix leaking through its customer.</li>
 * </ul>
 *
 * <p>Nothing is inferred about ASes the monitors file does not relate to M, so a leak between two
 * unrelated ASes is not seen. A route whose path ends in an AS_SET is skipped, as the neighbour
 * check does.
 */
final class RouteLeakCheck {

    private final MonitoredAsns asns;

    RouteLeakCheck(MonitoredAsns asns) {
        this.asns = asns;
    }

    /** Adds a finding for each leak the path of {@code route} shows; allocates nothing when none. */
    void check(RouteObservation route, List<Finding> found) {
        long[] path = route.asPath();
        if (path.length < 3 || route.originIsAsSet() || !asns.anyNeighbours()) {
            return;
        }
        for (int first = 0, last; first < path.length; first = last + 1) {
            last = first;
            while (last + 1 < path.length && path[last + 1] == path[first]) {
                last++;
            }
            if (first == 0) {
                continue;
            }
            MonitoredAsn m = asns.find(path[first]);
            if (m == null || !m.declaresNeighbours()) {
                continue;
            }
            long passedTo = path[first - 1];
            if (last + 1 < path.length) {
                long learnedFrom = path[last + 1];
                if (m.aboveOrBeside(learnedFrom) && m.aboveOrBeside(passedTo)) {
                    report(route, m, m.asn(), learnedFrom, passedTo, "AS" + m.asn() + " passes routes from its "
                            + relation(m, learnedFrom) + " AS" + learnedFrom + " to its " + relation(m, passedTo)
                            + " AS" + passedTo + " (RFC 7908 type " + rfc7908Type(m, learnedFrom, passedTo) + ")",
                            found);
                }
            }
            if (m.downstreams().contains(passedTo)) {
                int customer = first - 1;
                while (customer > 0 && path[customer - 1] == passedTo) {
                    customer--;
                }
                if (customer > 0 && m.aboveOrBeside(path[customer - 1])) {
                    long to = path[customer - 1];
                    report(route, m, passedTo, m.asn(), to, "AS" + passedTo + ", a downstream of AS" + m.asn()
                            + ", passes routes from AS" + m.asn() + " to AS" + to + (m.upstreams().contains(to) ? ", an " : ", a ") + relation(m, to)
                            + " of AS" + m.asn(), found);
                }
            }
        }
    }

    private static void report(RouteObservation route, MonitoredAsn m, long leaker, long learnedFrom,
                               long passedTo, String what, List<Finding> found) {
        String key = key(leaker, learnedFrom, passedTo);
        if (!Finding.anyWithKey(found, key)) {
            found.add(new Finding(AlertType.ROUTE_LEAK, key, route.prefix(), null, leaker, null, m.group(),
                    "route leak: " + what + ", first seen for " + route.prefix()));
        }
    }

    /**
     * One alert per leaking AS, the AS it learned from and the AS it passed to: a leak is usually
     * of many prefixes at once (a full table, at worst), which per prefix would be a storm of
     * alerts; this way it is one, that ends when no current route makes that turn any more.
     */
    static String key(long leaker, long learnedFrom, long passedTo) {
        return AlertType.ROUTE_LEAK.wireName() + "|AS" + leaker + "|AS" + learnedFrom + "|AS" + passedTo;
    }

    private static String relation(MonitoredAsn m, long neighbour) {
        return m.upstreams().contains(neighbour) ? "upstream" : "peer";
    }

    private static int rfc7908Type(MonitoredAsn m, long learnedFrom, long passedTo) {
        boolean fromProvider = m.upstreams().contains(learnedFrom);
        boolean toProvider = m.upstreams().contains(passedTo);
        if (fromProvider) {
            return toProvider ? 1 : 4;
        }
        return toProvider ? 3 : 2;
    }
}
