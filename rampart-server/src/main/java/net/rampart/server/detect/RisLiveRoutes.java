package net.rampart.server.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import net.rampart.detect.route.RouteObservation;
import net.rampart.wire.ip.IpPrefix;

/**
 * The routes RIS peers announce now for the monitored prefixes: RIS Live's counterpart of the
 * RIB, read whenever the detection thread builds a new detector (monitors changed, queue
 * overflowed). RIS Live sends changes only, never a table, so this is what a new detector would
 * otherwise never learn again.
 *
 * <p>Written by the WebSocket's thread as messages come, read by the detection thread: both
 * maps are concurrent, and a reading sees each route either before or after a change, which the
 * changes queued behind it put right.
 */
final class RisLiveRoutes {

    /** Prefix, then vantage point, to its current announcement. */
    private final Map<IpPrefix, Map<String, RouteObservation>> routes = new ConcurrentHashMap<>();

    /** Takes one announcement or withdrawal. */
    void apply(RouteObservation route) {
        if (route.withdrawn()) {
            routes.computeIfPresent(route.prefix(), (prefix, byPeer) -> {
                byPeer.remove(route.vantagePoint());
                return byPeer.isEmpty() ? null : byPeer;
            });
        } else {
            routes.computeIfAbsent(route.prefix(), prefix -> new ConcurrentHashMap<>())
                    .put(route.vantagePoint(), route);
        }
    }

    /** Forgets every route of {@code vantagePoint}, whose session went down, and returns their withdrawals. */
    List<RouteObservation> peerDown(long timeMillis, String vantagePoint) {
        List<RouteObservation> withdrawals = new ArrayList<>();
        for (IpPrefix prefix : routes.keySet()) {
            routes.computeIfPresent(prefix, (p, byPeer) -> {
                if (byPeer.remove(vantagePoint) != null) {
                    withdrawals.add(RouteObservation.withdraw(timeMillis, vantagePoint, p));
                }
                return byPeer.isEmpty() ? null : byPeer;
            });
        }
        return withdrawals;
    }

    /** Forgets the routes of prefixes no longer subscribed to. */
    void retain(Predicate<IpPrefix> subscribed) {
        routes.keySet().removeIf(subscribed.negate());
    }

    /** Every route held now, for a new detector. */
    List<RouteObservation> all() {
        List<RouteObservation> all = new ArrayList<>();
        for (Map<String, RouteObservation> byPeer : routes.values()) {
            all.addAll(byPeer.values());
        }
        return all;
    }

    int size() {
        int size = 0;
        for (Map<String, RouteObservation> byPeer : routes.values()) {
            size += byPeer.size();
        }
        return size;
    }
}
