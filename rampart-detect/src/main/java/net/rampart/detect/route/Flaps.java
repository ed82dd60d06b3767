package net.rampart.detect.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.FlapDamping;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.wire.ip.IpPrefix;

/**
 * RFC 2439 route flap damping, computed rather than applied: a figure of merit per route
 * (vantage point x prefix, for monitored prefixes and their more-specifics) that each
 * withdrawal, re-advertisement and path change raises and time decays. A prefix with a
 * suppressed route is a {@code flap} alert, resolved when every route of it is reusable again.
 *
 * <p>The figure is decayed lazily, from the time of its last change, when the route changes
 * again; only the suppressed routes, a handful, are looked at as time passes ({@link #tick}).
 * A route's history is made the first time it is announced and then changed in place, so a
 * route event allocates nothing but when a prefix is first seen at a vantage point. The history
 * of a withdrawn route is forgotten once its figure has decayed under half the reuse threshold,
 * as RFC 2439 allows: it would cost nothing to keep but memory.
 */
final class Flaps {

    /** One route's damping history. */
    static final class History {
        final IpPrefix prefix;
        final String vantagePoint;
        IpPrefix monitoredPrefix;
        /** The announcement in force; null once withdrawn. */
        RouteObservation announced;
        double figure;
        long updatedAt;
        long suppressedAt;
        long reuseAt;
        boolean suppressed;
        /** Taken over from the detector replaced, and not yet seen again in the replay of the current routes. */
        boolean unconfirmed;

        History(IpPrefix prefix, String vantagePoint) {
            this.prefix = prefix;
            this.vantagePoint = vantagePoint;
        }
    }

    private final FlapDamping damping;
    private final Alerts alerts;
    private final Map<IpPrefix, Map<String, History>> histories = new HashMap<>();
    private final Set<History> suppressed = new HashSet<>();
    /** How many routes of each prefix are suppressed. */
    private final Map<IpPrefix, Integer> suppressedPerPrefix = new HashMap<>();
    private long nextSweep = Long.MIN_VALUE;

    Flaps(FlapDamping damping, Alerts alerts) {
        this.damping = damping;
        this.alerts = alerts;
    }

    /** A route of a monitored prefix (or more-specific) changed; {@code alerting} says whether its prefix checks flaps. */
    void change(RouteObservation route, MonitoredPrefix monitored, boolean alerting) {
        Map<String, History> atPrefix = histories.get(route.prefix());
        History h = atPrefix == null ? null : atPrefix.get(route.vantagePoint());
        if (h == null) {
            if (route.withdrawn()) {
                return;
            }
            // The first announcement seen is no flap: the route may have been there for years.
            if (atPrefix == null) {
                atPrefix = new HashMap<>();
                histories.put(route.prefix(), atPrefix);
            }
            h = new History(route.prefix(), route.vantagePoint());
            h.announced = route;
            h.monitoredPrefix = monitored.prefix();
            h.updatedAt = route.timeMillis();
            atPrefix.put(route.vantagePoint(), h);
            return;
        }
        h.unconfirmed = false;
        h.monitoredPrefix = monitored.prefix();
        int penalty = penalty(h.announced, route);
        if (route.withdrawn()) {
            h.announced = null;
        } else {
            h.announced = route;
        }
        if (penalty == 0) {
            return;
        }
        long now = route.timeMillis();
        if (h.suppressed && now >= h.reuseAt) {
            reuse(h, h.reuseAt);
        }
        h.figure = damping.add(damping.decay(h.figure, now - h.updatedAt), penalty);
        h.updatedAt = Math.max(now, h.updatedAt);
        if (h.suppressed) {
            h.reuseAt = h.updatedAt + damping.millisUntilReuse(h.figure);
            if (alerting) {
                alerts.report(finding(h, monitored), evidence(route));
            }
        } else if (h.figure >= damping.suppressThreshold()) {
            h.suppressed = true;
            h.suppressedAt = h.updatedAt;
            h.reuseAt = h.updatedAt + damping.millisUntilReuse(h.figure);
            suppressed.add(h);
            suppressedPerPrefix.merge(h.prefix, 1, Integer::sum);
            if (alerting) {
                alerts.report(finding(h, monitored), evidence(route));
            }
        }
    }

    /** What the change from {@code before} (null: withdrawn) to {@code route} costs. */
    private int penalty(RouteObservation before, RouteObservation route) {
        if (route.withdrawn()) {
            return before == null ? 0 : damping.withdrawalPenalty();
        }
        if (before == null) {
            return damping.readvertisementPenalty();
        }
        // The same path announced again (a refresh, or a change of attributes the detector does not see) is no flap.
        boolean samePath = before.originIsAsSet() == route.originIsAsSet()
                && Arrays.equals(before.asPath(), route.asPath());
        return samePath ? 0 : damping.attributeChangePenalty();
    }

    /**
     * Time passed: routes whose figure has decayed to the reuse threshold are reusable again,
     * and a prefix left with none suppressed has its alert resolved. Looks only at the
     * suppressed routes, but for a sweep of withdrawn routes' histories once per half-life.
     */
    void tick(long nowMillis) {
        if (!suppressed.isEmpty()) {
            List<History> due = null;
            for (History h : suppressed) {
                if (nowMillis >= h.reuseAt) {
                    if (due == null) {
                        due = new ArrayList<>();
                    }
                    due.add(h);
                }
            }
            if (due != null) {
                due.sort(Comparator.comparingLong(h -> h.reuseAt));
                for (History h : due) {
                    reuse(h, h.reuseAt);
                }
            }
        }
        if (nowMillis >= nextSweep) {
            nextSweep = nowMillis + damping.halfLife().toMillis();
            sweep(nowMillis);
        }
    }

    private void reuse(History h, long at) {
        h.suppressed = false;
        suppressed.remove(h);
        int left = suppressedPerPrefix.merge(h.prefix, -1, Integer::sum);
        if (left <= 0) {
            suppressedPerPrefix.remove(h.prefix);
            alerts.resolve(Finding.key(AlertType.FLAP, h.prefix, ""), at, "restored: every route of " + h.prefix
                    + " is reusable again (figure of merit down to " + damping.reuseThreshold() + "), the last at "
                    + h.vantagePoint);
        }
    }

    private void sweep(long nowMillis) {
        double forgetBelow = damping.reuseThreshold() / 2.0;
        for (Iterator<Map<String, History>> prefixes = histories.values().iterator(); prefixes.hasNext(); ) {
            Map<String, History> atPrefix = prefixes.next();
            atPrefix.values().removeIf(h -> h.announced == null && !h.suppressed
                    && damping.decay(h.figure, nowMillis - h.updatedAt) < forgetBelow);
            if (atPrefix.isEmpty()) {
                prefixes.remove();
            }
        }
    }

    /**
     * Hands each route in force (announced) to {@code visit}; when it answers another
     * observation of the same route, that one is kept in its place. For judging the routes
     * again when the VRPs change: the histories hold every announced route of the monitored
     * prefixes, so the detector need not keep them twice.
     */
    void forEachAnnounced(UnaryOperator<RouteObservation> visit) {
        for (Map<String, History> atPrefix : histories.values()) {
            for (History h : atPrefix.values()) {
                if (h.announced != null) {
                    RouteObservation replaced = visit.apply(h.announced);
                    if (replaced != null) {
                        h.announced = replaced;
                    }
                }
            }
        }
    }

    /** Whether a route of {@code prefix} is suppressed now. */
    boolean suppressed(IpPrefix prefix) {
        return suppressedPerPrefix.containsKey(prefix);
    }

    /** The suppressed routes, by prefix then vantage point. */
    List<SuppressedRoute> suppressedRoutes() {
        List<SuppressedRoute> out = new ArrayList<>(suppressed.size());
        for (History h : suppressed) {
            out.add(new SuppressedRoute(h.prefix, h.monitoredPrefix, h.vantagePoint, h.figure, h.updatedAt,
                    h.suppressedAt, h.reuseAt, h.announced == null));
        }
        out.sort(Comparator.comparing(SuppressedRoute::prefix).thenComparing(SuppressedRoute::vantagePoint));
        return out;
    }

    /** The figure of merit of one route at {@code nowMillis}, or 0 when it has no history: for tests and people. */
    double figureOfMerit(IpPrefix prefix, String vantagePoint, long nowMillis) {
        Map<String, History> atPrefix = histories.get(prefix);
        History h = atPrefix == null ? null : atPrefix.get(vantagePoint);
        return h == null ? 0 : damping.decay(h.figure, nowMillis - h.updatedAt);
    }

    /**
     * Takes over the histories of the detector this one replaces, so that new monitors or a new
     * reading of the RIB do not forget how routes have flapped; the RIB's routes replayed after
     * are the same announcements, and cost nothing.
     */
    void takeOver(Flaps previous, Predicate<IpPrefix> watched) {
        for (Map.Entry<IpPrefix, Map<String, History>> e : previous.histories.entrySet()) {
            if (!watched.test(e.getKey())) {
                // Its routes no longer reach this detector, withdrawals included: nothing would end it.
                continue;
            }
            histories.put(e.getKey(), new HashMap<>(e.getValue()));
            for (History h : e.getValue().values()) {
                h.unconfirmed = h.announced != null;
                // The parameters may have changed with the monitors.
                h.figure = Math.min(h.figure, damping.ceiling());
                if (h.suppressed) {
                    h.reuseAt = h.updatedAt + damping.millisUntilReuse(h.figure);
                    suppressed.add(h);
                    suppressedPerPrefix.merge(h.prefix, 1, Integer::sum);
                }
            }
        }
    }

    /**
     * The current routes have all been replayed after {@link #takeOver}: a route taken over as
     * announced that the replay did not bring is gone (its withdrawal was among the route changes
     * dropped, or happened while the detector was being replaced). It is withdrawn here, without a
     * penalty, as when it went is not known; otherwise the detector would judge it again when the
     * VRPs change, and raise alerts for a route nobody announces.
     */
    void replayed() {
        for (Map<String, History> atPrefix : histories.values()) {
            for (History h : atPrefix.values()) {
                if (h.unconfirmed) {
                    h.unconfirmed = false;
                    h.announced = null;
                }
            }
        }
    }

    private Finding finding(History h, MonitoredPrefix monitored) {
        return new Finding(AlertType.FLAP, Finding.key(AlertType.FLAP, h.prefix, ""), h.prefix, monitored.prefix(),
                -1, null, monitored.group(), h.prefix + " is flapping: the route at " + h.vantagePoint
                        + " reached a figure of merit of " + Math.round(h.figure) + " (suppress threshold "
                        + damping.suppressThreshold() + ")");
    }

    private static Evidence evidence(RouteObservation route) {
        return new Evidence(route.timeMillis(), route.vantagePoint(), route.prefix(),
                route.withdrawn() ? "" : route.pathText());
    }
}
