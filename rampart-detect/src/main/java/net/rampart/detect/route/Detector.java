package net.rampart.detect.route;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.MonitoredAsn;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.Monitors;
import net.rampart.wire.ip.IpPrefix;

/**
 * Runs the checks on every observed route and keeps, for each vantage point and relevant prefix,
 * which conditions its current route shows, so that an alert is resolved when the last route
 * showing its condition is withdrawn or replaced.
 *
 * <p>A route is relevant when a monitored prefix covers it, when a monitored ASN originates it,
 * or when its AS path shows a condition of a monitored ASN (a new neighbour, a leak); any other
 * route costs a trie walk of a few bits, a hash lookup and, when some monitored ASN declares
 * neighbours, a binary search per AS of its path, and allocates nothing. A compliant route
 * allocates nothing either, beyond the map entry of a vantage point seen for the first time.
 *
 * <p>A condition may be about one prefix (a hijack) or about many (a new neighbour, a leak): it
 * is resolved when no route, of any prefix and vantage point, shows it any more. A monitored
 * route also keeps a flap history from the first time its vantage point is seen.
 *
 * <p>Not thread-safe: one thread feeds it (the server's adapter hands route events over to that
 * thread). It never blocks but for the short lock of {@link Alerts}.
 */
public final class Detector {

    private static final String[] NO_KEYS = new String[0];
    /** Where the evidence of a VRP removal comes from: the VRPs, not a vantage point. */
    static final String VRPS = "rpki";
    /** The routes that show no condition, shared so that a compliant route allocates nothing. */
    private static final Held CARRYING = new Held(NO_KEYS, true);
    private static final Held NOT_CARRYING = new Held(NO_KEYS, false);

    /** What one vantage point's current route of a prefix shows: its conditions and whether it carries the prefix. */
    private record Held(String[] keys, boolean carries) {
    }

    private final Monitors monitors;
    private final PrefixIndex<MonitoredPrefix> index;
    private final MonitoredSpace space;
    private final MonitoredAsns asns;
    private final List<RouteCheck> checks;
    private final UnlistedPrefixCheck unlisted;
    private final PathNeighbourCheck neighbours;
    private final RouteLeakCheck leaks;
    private final Visibility visibility;
    private final Alerts alerts;
    private final Flaps flaps;
    /** The origins the VRPs authorised for each monitored prefix at the last VRP change, sorted. */
    private final Map<IpPrefix, long[]> authorised = new HashMap<>();
    /** The keys of the VRP removals still in force. */
    private final Set<String> vrpRemoved = new HashSet<>();
    /**
     * For each monitored prefix checked for {@code rpki_expiring}, when each origin of
     * {@link #authorised} stops being authorised (epoch seconds, 0 for unknown), at the last VRP change.
     */
    private final Map<IpPrefix, long[]> coverageEnds = new HashMap<>();
    /** The {@code rpki_expiring} alerts in force, by key. */
    private final Map<String, Finding> expiring = new HashMap<>();
    /** When (epoch milliseconds) the next known coverage end enters the warning window: the next expiry check. */
    private long nextExpiryCheck = Long.MAX_VALUE;
    private final Map<IpPrefix, Map<String, Held>> routes = new HashMap<>();
    /**
     * How many prefixes of {@link #routes} no monitored prefix covers (those held for the
     * conditions of a monitored ASN): while none, {@link #concerns} needs no hash lookup.
     */
    private int uncoveredHeld;
    /**
     * How many current routes (prefix and vantage point) show each active condition: counted
     * rather than named, as a condition of an AS shows in the routes of many prefixes.
     */
    private final Map<String, Integer> showing = new HashMap<>();
    private final List<Finding> found = new ArrayList<>();

    public Detector(Monitors monitors, Alerts alerts) {
        this.monitors = monitors;
        this.alerts = alerts;
        this.index = new PrefixIndex<>(monitors.prefixes().stream()
                .collect(Collectors.toMap(MonitoredPrefix::prefix, Function.identity())));
        this.asns = new MonitoredAsns(monitors.asns());
        // Without a monitored ASN no route outside the monitored prefixes is held (see concerns).
        this.space = asns.isEmpty()
                ? MonitoredSpace.of(monitors.prefixes().stream().map(MonitoredPrefix::prefix).toList())
                : MonitoredSpace.EVERYWHERE;
        this.checks = List.of(new OriginCheck(), new FirstHopCheck(asns), new MoreSpecificCheck(), new PathCheck(),
                new NoExportCheck(), new RpkiCheck());
        this.unlisted = new UnlistedPrefixCheck(asns);
        this.neighbours = new PathNeighbourCheck(asns);
        this.leaks = new RouteLeakCheck(asns);
        this.visibility = new Visibility(alerts);
        this.flaps = new Flaps(monitors.flapDamping(), alerts);
    }

    /**
     * Takes over the flap histories of the detector this one replaces, before it is fed the
     * RIB's routes: the figures of merit of routes that flapped are not forgotten because the
     * monitors changed or the RIB is read again. Call {@link #routesReplayed()} once the current
     * routes have all been fed.
     */
    public void takeOverHistory(Detector previous) {
        authorised.putAll(previous.authorised);
        vrpRemoved.addAll(previous.vrpRemoved);
        coverageEnds.putAll(previous.coverageEnds);
        expiring.putAll(previous.expiring);
        // The new monitors may have another warning window or other exclusions: check at the next tick.
        nextExpiryCheck = Long.MIN_VALUE;
        flaps.takeOver(previous.flaps, prefix -> {
            MonitoredPrefix monitored = index.longestCovering(prefix);
            return monitored != null && (!monitored.ignoreMoreSpecifics() || prefix.equals(monitored.prefix()));
        });
    }

    /**
     * Every current route has been fed after {@link #takeOverHistory}: the routes the previous
     * detector held that were not fed again are gone, and are no longer judged again when the
     * VRPs change.
     */
    public void routesReplayed() {
        flaps.replayed();
    }

    /**
     * Time passed without route events: suppressed routes whose figure of merit has decayed to
     * the reuse threshold become reusable, and a prefix with none left suppressed has its flap
     * alert resolved. Costs a look at each suppressed route, whatever the size of the table.
     * Once the next known VRP coverage end enters the {@code rpki_expiring} warning window, the
     * coverage ends are checked again; until then a tick costs one comparison for them.
     */
    public void tick(long nowMillis) {
        flaps.tick(nowMillis);
        if (nowMillis >= nextExpiryCheck) {
            expiries(nowMillis);
        }
    }

    /**
     * The VRPs changed (a new serial): every route of a monitored prefix or more-specific whose
     * origin validation state is not the one it was judged with is judged again (the rest keep
     * their findings), and each monitored prefix that lost the last VRP authorising one of its
     * origins raises {@code rpki_vrp_removed}, until a VRP authorises that origin again. The
     * first call only learns what the VRPs authorise; so does a call while {@code vrps} has no
     * VRPs at all, which says nothing about any prefix. It also learns when each authorised
     * origin's coverage ends and raises or resolves {@code rpki_expiring} accordingly.
     */
    public void vrpsChanged(RpkiValidator vrps, long nowMillis) {
        for (MonitoredPrefix monitored : monitors.prefixes()) {
            long[] now = vrps.authorisedOrigins(monitored.prefix());
            if (now == null) {
                continue;
            }
            long[] before = authorised.put(monitored.prefix(), now);
            if (monitored.checks(AlertType.RPKI_VRP_REMOVED)) {
                vrpRemovals(monitored, before, now, nowMillis);
            }
            if (monitored.checks(AlertType.RPKI_EXPIRING)) {
                long[] ends = new long[now.length];
                for (int k = 0; k < now.length; k++) {
                    ends[k] = vrps.coverageEnd(monitored.prefix(), now[k]);
                }
                coverageEnds.put(monitored.prefix(), ends);
            } else {
                coverageEnds.remove(monitored.prefix());
            }
        }
        expiries(nowMillis);
        List<RouteObservation> again = new ArrayList<>();
        flaps.forEachAnnounced(route -> {
            OriginValidity validity = vrps.validity(route.prefix(), route.asPath(), route.originIsAsSet());
            if (validity == route.validity()) {
                return null;
            }
            RouteObservation rejudged = new RouteObservation(nowMillis, route.vantagePoint(), route.prefix(),
                    route.asPath(), route.originIsAsSet(), false, route.communities(), validity);
            again.add(rejudged);
            return rejudged;
        });
        for (int i = 0; i < again.size(); i++) {
            observe(again.get(i), true);
        }
    }

    /** Opens the removals from {@code before} to {@code now} (sorted origins) and resolves the returns. */
    private void vrpRemovals(MonitoredPrefix monitored, long[] before, long[] now, long nowMillis) {
        IpPrefix prefix = monitored.prefix();
        if (before != null) {
            for (long asn : before) {
                if (Arrays.binarySearch(now, asn) < 0) {
                    String key = Finding.key(AlertType.RPKI_VRP_REMOVED, prefix, "AS" + asn);
                    vrpRemoved.add(key);
                    alerts.report(new Finding(AlertType.RPKI_VRP_REMOVED, key, prefix, prefix, asn, null,
                            monitored.group(), "no VRP authorises AS" + asn + " to originate " + prefix
                                    + " any more: the last one was removed"),
                            new Evidence(nowMillis, VRPS, prefix, ""));
                }
            }
        }
        for (long asn : now) {
            String key = Finding.key(AlertType.RPKI_VRP_REMOVED, prefix, "AS" + asn);
            if (vrpRemoved.remove(key)) {
                alerts.resolve(key, nowMillis, "restored: a VRP authorises AS" + asn + " to originate " + prefix
                        + " again");
            }
        }
    }

    /**
     * Raises {@code rpki_expiring} for each monitored prefix and authorised origin whose known
     * coverage end is within the warning window, resolves those no longer so (a VRP with a later
     * or unknown expiry authorises the origin, none does any more, or the prefix is excluded),
     * and notes when the next known end enters the window. An unknown end never raises: a source
     * that gives no expiry says nothing about one.
     */
    private void expiries(long nowMillis) {
        long window = monitors.rpkiExpiryWarning().toMillis();
        long next = Long.MAX_VALUE;
        Set<String> due = new HashSet<>();
        for (MonitoredPrefix monitored : monitors.prefixes()) {
            IpPrefix prefix = monitored.prefix();
            long[] origins = authorised.get(prefix);
            long[] ends = coverageEnds.get(prefix);
            if (origins == null || ends == null || !monitored.checks(AlertType.RPKI_EXPIRING)) {
                continue;
            }
            for (int k = 0; k < origins.length; k++) {
                if (ends[k] == 0) {
                    continue;
                }
                long warnAt = ends[k] * 1000 - window;
                if (warnAt > nowMillis) {
                    next = Math.min(next, warnAt);
                    continue;
                }
                long asn = origins[k];
                String key = Finding.key(AlertType.RPKI_EXPIRING, prefix, "AS" + asn);
                due.add(key);
                if (!expiring.containsKey(key)) {
                    Finding finding = new Finding(AlertType.RPKI_EXPIRING, key, prefix, prefix, asn, null,
                            monitored.group(), "every VRP authorising AS" + asn + " to originate " + prefix
                                    + " expires by " + Instant.ofEpochSecond(ends[k]) + ": renew its ROA");
                    expiring.put(key, finding);
                    alerts.report(finding, new Evidence(nowMillis, VRPS, prefix, ""));
                }
            }
        }
        for (Iterator<Map.Entry<String, Finding>> it = expiring.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Finding> open = it.next();
            if (!due.contains(open.getKey())) {
                it.remove();
                alerts.resolve(open.getKey(), nowMillis, expiryResolution(open.getValue()));
            }
        }
        nextExpiryCheck = next;
    }

    /** Why an {@code rpki_expiring} alert is no longer due, from the coverage learnt at the last VRP change. */
    private String expiryResolution(Finding finding) {
        IpPrefix prefix = finding.prefix();
        String origin = "AS" + finding.asn();
        long[] origins = authorised.get(prefix);
        long[] ends = coverageEnds.get(prefix);
        int k = origins == null ? -1 : Arrays.binarySearch(origins, finding.asn());
        if (k < 0 || ends == null || ends.length != origins.length) {
            return "no VRP authorises " + origin + " to originate " + prefix + " any more, or it is no longer checked";
        }
        if (ends[k] == 0) {
            return "renewed: a VRP with no known expiry authorises " + origin + " to originate " + prefix;
        }
        return "renewed: a VRP authorises " + origin + " to originate " + prefix + " until "
                + Instant.ofEpochSecond(ends[k]);
    }

    /** The routes the flap detector holds suppressed, by prefix then vantage point. */
    public List<SuppressedRoute> suppressedRoutes() {
        return flaps.suppressedRoutes();
    }

    /** One route's RFC 2439 figure of merit at {@code nowMillis}; 0 for a route that never flapped. */
    public double figureOfMerit(IpPrefix prefix, String vantagePoint, long nowMillis) {
        return flaps.figureOfMerit(prefix, vantagePoint, nowMillis);
    }

    /** Takes a batch of route changes, in the order they happened. */
    public void observe(List<RouteObservation> batch) {
        for (int i = 0; i < batch.size(); i++) {
            observe(batch.get(i));
        }
    }

    /** How many distinct vantage points carry {@code prefix} from a listed origin now. */
    public int carriers(IpPrefix prefix) {
        return visibility.carriers(prefix);
    }

    /**
     * Whether the routes fed to this detector still show the condition of {@code alert}, an alert
     * left active by the detector this one replaces (new monitors, or a resynchronisation). A
     * visibility loss still below its threshold stays one: this detector, fed the current routes,
     * never saw the count reach the threshold, but the one before did; it takes that over, and
     * resolves the alert when enough vantage points carry the prefix again.
     */
    public boolean stillShows(Alert alert) {
        if (alert.type() == AlertType.RPKI_VRP_REMOVED) {
            MonitoredPrefix monitored = index.longestCovering(alert.finding().prefix());
            return monitored != null && monitored.prefix().equals(alert.finding().prefix())
                    && monitored.checks(AlertType.RPKI_VRP_REMOVED) && vrpRemoved.contains(alert.key());
        }
        if (alert.type() == AlertType.RPKI_EXPIRING) {
            MonitoredPrefix monitored = index.longestCovering(alert.finding().prefix());
            return monitored != null && monitored.prefix().equals(alert.finding().prefix())
                    && monitored.checks(AlertType.RPKI_EXPIRING) && expiring.containsKey(alert.key());
        }
        if (alert.type() == AlertType.FLAP) {
            MonitoredPrefix monitored = index.longestCovering(alert.finding().prefix());
            return monitored != null && monitored.checks(AlertType.FLAP) && flaps.suppressed(alert.finding().prefix());
        }
        if (alert.type() != AlertType.VISIBILITY_LOSS) {
            return showing.containsKey(alert.key());
        }
        IpPrefix prefix = alert.finding().prefix();
        MonitoredPrefix monitored = index.longestCovering(prefix);
        if (monitored == null || !monitored.checks(AlertType.VISIBILITY_LOSS) || monitored.origins().isEmpty()
                || monitored.ignoreMoreSpecifics() && !prefix.equals(monitored.prefix())) {
            return false;
        }
        return visibility.stillLost(prefix, monitors.minVantagePoints(monitored));
    }

    /** Judges one route change, after those before it. */
    public void observe(RouteObservation route) {
        observe(route, false);
    }

    /**
     * Whether a route of this prefix, announced or withdrawn, must be judged whatever its path: a
     * monitored prefix covers it, or the detector holds a route of it (showing a condition of a
     * monitored ASN), which a withdrawal or a new path may end. Any other route needs judging
     * only when {@link #concernsOrigin} or {@link #concernsPathAsn} says so of its path: a caller
     * that asks first need not build the observation of the many routes of a full table that
     * concern no monitor. The prefix is given in the layout both families share
     * ({@link IpPrefix#high()}, {@link IpPrefix#low()}); costs a trie walk of a few bits and
     * allocates nothing while no uncovered prefix is held.
     */
    public boolean concerns(boolean isIpv4, long high, long low, int length) {
        if (index.longestCovering(isIpv4, high, low, length) != null) {
            return true;
        }
        return uncoveredHeld > 0 && routes.containsKey(IpPrefix.of(!isIpv4, high, low, length));
    }

    /**
     * Where the routes lie that may concern this detector: a route outside it needs neither
     * {@link #concerns} nor a look at its path, for {@link #concerns} would say no, and so would
     * {@link #concernsOrigin} and {@link #concernsPathAsn}.
     */
    public MonitoredSpace space() {
        return space;
    }

    /**
     * Whether some ASN is monitored, so that an announcement's path may make it concern the
     * monitors ({@link #concernsOrigin}, {@link #concernsPathAsn}); with only prefixes monitored,
     * {@link #concerns} alone decides, and the path need not be read.
     */
    public boolean monitorsAsns() {
        return !asns.isEmpty();
    }

    /** Whether an announcement originated by {@code asn} needs judging: the ASN is monitored (its unlisted prefixes). */
    public boolean concernsOrigin(long asn) {
        return asns.find(asn) != null;
    }

    /**
     * Whether an announcement whose AS path holds {@code asn} needs judging: a monitored ASN that
     * declares neighbours (the neighbour and route leak checks). Always false while no monitored
     * ASN declares any, see {@link #readsPaths}.
     */
    public boolean concernsPathAsn(long asn) {
        MonitoredAsn m = asns.find(asn);
        return m != null && m.declaresNeighbours();
    }

    /** Whether any AS of a path, not only its origin, may make a route concern a monitor: some monitored ASN declares neighbours. */
    public boolean readsPaths() {
        return asns.anyNeighbours();
    }

    /** @param rejudged the same route as before, judged again against new VRPs: no flap, and its own notice */
    private void observe(RouteObservation route, boolean rejudged) {
        MonitoredPrefix monitored = index.longestCovering(route.prefix());
        boolean covered = monitored != null;
        // A more-specific of a prefix that ignores them is not judged against it, nor counted as
        // unlisted; its AS path is still read for the conditions of monitored ASNs.
        boolean ignored = monitored != null && monitored.ignoreMoreSpecifics() && !RouteCheck.exact(route, monitored);
        if (ignored) {
            monitored = null;
        }
        Map<String, Held> atPrefix = routes.get(route.prefix());
        if (monitored == null && atPrefix == null && route.withdrawn()) {
            return;
        }
        found.clear();
        if (!route.withdrawn()) {
            if (monitored != null) {
                for (int i = 0; i < checks.size(); i++) {
                    checks.get(i).check(route, monitored, found);
                }
            } else if (!ignored) {
                unlisted.check(route, found);
            }
            int beforeLeaks = found.size();
            leaks.check(route, found);
            if (found.size() > beforeLeaks) {
                labelLeaking(beforeLeaks);
            }
            neighbours.check(route, monitored, found);
        }
        if (monitored == null && atPrefix == null && found.isEmpty()) {
            return;
        }
        Held before = atPrefix == null ? null : atPrefix.get(route.vantagePoint());
        String[] previous = before == null ? NO_KEYS : before.keys();
        Held now = held(route, monitored);
        if (now == null) {
            if (atPrefix != null) {
                atPrefix.remove(route.vantagePoint());
                if (atPrefix.isEmpty()) {
                    routes.remove(route.prefix());
                    if (!covered) {
                        uncoveredHeld--;
                    }
                }
            }
        } else {
            if (atPrefix == null) {
                atPrefix = new HashMap<>();
                routes.put(route.prefix(), atPrefix);
                if (!covered) {
                    uncoveredHeld++;
                }
            }
            atPrefix.put(route.vantagePoint(), now);
        }
        end(route, previous, rejudged);
        show(route, previous);
        if (monitored != null && monitored.checks(AlertType.VISIBILITY_LOSS) && !monitored.origins().isEmpty()) {
            visibility.change(route, monitored, monitors.minVantagePoints(monitored),
                    before != null && before.carries(), now != null && now.carries());
        }
        if (monitored != null && !rejudged) {
            flaps.change(route, monitored, monitored.checks(AlertType.FLAP));
        }
    }

    /**
     * The route breaks valley-free routing: its hijack findings (those before {@code leaksFrom})
     * get the ARTEMIS policy dimension {@code L}.
     */
    private void labelLeaking(int leaksFrom) {
        for (int i = 0; i < leaksFrom; i++) {
            Finding f = found.get(i);
            if (f.taxonomy() != null) {
                found.set(i, new Finding(f.type(), f.key(), f.prefix(), f.monitoredPrefix(), f.asn(),
                        new Taxonomy(f.taxonomy().prefix(), f.taxonomy().path(), 'L'), f.group(), f.summary()));
            }
        }
    }

    /** What to keep of the route: null when there is nothing to remember it for. */
    private Held held(RouteObservation route, MonitoredPrefix monitored) {
        if (route.withdrawn()) {
            return null;
        }
        // A route its peer originates (empty path) is the operator's own: it carries the prefix.
        boolean carries = monitored != null
                && (route.asPath().length == 0 || RouteCheck.fromListedOrigin(route, monitored));
        if (found.isEmpty()) {
            return monitored == null ? null : carries ? CARRYING : NOT_CARRYING;
        }
        String[] keys = new String[found.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = found.get(i).key();
        }
        return new Held(keys, carries);
    }

    /**
     * The conditions the vantage point's previous route of the prefix showed and this one does
     * not: each is resolved once no route shows it.
     */
    private void end(RouteObservation route, String[] previous, boolean rejudged) {
        for (String key : previous) {
            if (Finding.anyWithKey(found, key)) {
                continue;
            }
            Integer routesShowing = showing.get(key);
            if (routesShowing == null) {
                continue;
            }
            if (routesShowing > 1) {
                showing.put(key, routesShowing - 1);
                continue;
            }
            showing.remove(key);
            alerts.resolve(key, route.timeMillis(), rejudged
                    ? "restored: the VRPs changed, and the last route showing it, at " + route.vantagePoint()
                            + ", no longer does"
                    : route.withdrawn()
                    ? "restored: the last route showing it was withdrawn at " + route.vantagePoint()
                    : "restored: the last route showing it was replaced at " + route.vantagePoint()
                            + " by path '" + route.pathText() + "'");
        }
    }

    /** Reports what the route shows, counting the route for the conditions its previous one did not show. */
    private void show(RouteObservation route, String[] previous) {
        if (found.isEmpty()) {
            return;
        }
        Evidence evidence = new Evidence(route.timeMillis(), route.vantagePoint(), route.prefix(), route.pathText());
        for (int i = 0; i < found.size(); i++) {
            Finding finding = found.get(i);
            if (!contains(previous, finding.key())) {
                showing.merge(finding.key(), 1, Integer::sum);
            }
            alerts.report(finding, evidence);
        }
    }

    private static boolean contains(String[] keys, String key) {
        for (String k : keys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }
}
