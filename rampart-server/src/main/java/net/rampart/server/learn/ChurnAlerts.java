package net.rampart.server.learn;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.Monitors;
import net.rampart.learn.churn.UpdateRateSeries;
import net.rampart.store.learn.ChurnAnomalyTable;
import net.rampart.wire.ip.IpPrefix;

/**
 * Churn anomalies as detection alerts: one {@code churn_anomaly} alert per scope, keyed
 * {@code churn_anomaly|router:NAME}, {@code churn_anomaly|peer:ROUTER/PEER} or
 * {@code churn_anomaly|group:NAME}, which each newly stored anomaly of the scope opens or adds
 * evidence to, and which resolves once the scope has been judged normal for
 * {@link #RESOLVE_AFTER_MINUTES} minutes in a row after its last anomalous one.
 *
 * <p>A prefix group's alert goes to the channels of the monitors group of that name (the churn
 * counter's prefix groups are the monitors file's groups) and names the group's first monitored
 * prefix; a router's or a peer's goes to the {@code default} group and names {@code 0.0.0.0/0},
 * as it is about all of their routes. Its evidence is one entry per anomalous minute: the minute,
 * the scope as {@code KIND:NAME} in place of a vantage point, and no AS path.
 *
 * <p>Used by the churn detector's thread only; what it remembers of the last anomalous minute
 * of each open alert is taken from the alerts when it is made, so that a restart resolves the
 * alerts opened before it.
 */
final class ChurnAlerts {

    /** Judged minutes in a row without an anomaly after which a scope's alert resolves. */
    static final int RESOLVE_AFTER_MINUTES = 30;
    /** What a router's or a peer's alert names as its prefix: all of its routes. */
    static final IpPrefix ALL_ROUTES = IpPrefix.parse("0.0.0.0/0");

    private final Alerts alerts;
    /** The last anomalous minute (epoch minutes) of each open alert, by key. */
    private final Map<String, Long> lastAnomalous = new HashMap<>();

    ChurnAlerts(Alerts alerts) {
        this.alerts = alerts;
        for (Alert a : alerts.all()) {
            if (a.type() == AlertType.CHURN_ANOMALY && a.state().active() && !a.evidence().isEmpty()) {
                lastAnomalous.put(a.key(), UpdateRateSeries.minuteOf(a.evidence().getLast().timeMillis()));
            }
        }
    }

    /** {@code router:NAME}, {@code peer:ROUTER/PEER} or {@code group:NAME}: the scope as a scope filter names it. */
    static String scope(String scopeKind, String scopeName) {
        return ("prefix_group".equals(scopeKind) ? "group" : scopeKind) + ":" + scopeName;
    }

    static String key(String scope) {
        return AlertType.CHURN_ANOMALY.wireName() + "|" + scope;
    }

    /**
     * Reports newly stored anomalies, oldest minute first per scope.
     *
     * @param groups the prefix groups in force, {@code group -> canonical CIDRs}
     */
    void report(List<ChurnAnomalyTable.Anomaly> stored, Map<String, List<String>> groups) {
        List<ChurnAnomalyTable.Anomaly> ordered = stored.stream()
                .sorted((a, b) -> a.minute().compareTo(b.minute())).toList();
        for (ChurnAnomalyTable.Anomaly a : ordered) {
            String scope = scope(a.scopeKind(), a.scopeName());
            String key = key(scope);
            boolean isGroup = "prefix_group".equals(a.scopeKind());
            List<String> cidrs = isGroup ? groups.getOrDefault(a.scopeName(), List.of()) : List.of();
            IpPrefix prefix = cidrs.isEmpty() ? ALL_ROUTES : IpPrefix.parse(cidrs.getFirst());
            String group = isGroup ? a.scopeName() : Monitors.DEFAULT_GROUP;
            Finding finding = new Finding(AlertType.CHURN_ANOMALY, key, prefix, isGroup && !cidrs.isEmpty() ? prefix
                    : null, -1, null, group, summary(a, scope));
            alerts.report(finding, new Evidence(a.minute().toEpochMilli(), scope, prefix, ""));
            lastAnomalous.merge(key, UpdateRateSeries.minuteOf(a.minute().toEpochMilli()), Math::max);
        }
    }

    /**
     * Resolves the alerts of the scopes judged up to {@code lastMinute} whose last anomalous
     * minute is at least {@link #RESOLVE_AFTER_MINUTES} before it.
     *
     * @param judged the scopes this run judged, as {@link #scope} names them
     */
    void resolveCalm(Set<String> judged, long lastMinute) {
        for (Iterator<Map.Entry<String, Long>> it = lastAnomalous.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            String scope = e.getKey().substring(e.getKey().indexOf('|') + 1);
            if (!judged.contains(scope) || lastMinute - e.getValue() < RESOLVE_AFTER_MINUTES) {
                continue;
            }
            long end = (lastMinute + 1) * UpdateRateSeries.MINUTE_MILLIS;
            alerts.resolve(e.getKey(), end, "The churn of " + scope + " has kept its usual shape for "
                    + (lastMinute - e.getValue()) + " minutes since its last anomaly, to " + Instant.ofEpochMilli(end)
                    + ".");
            it.remove();
        }
    }

    private static String summary(ChurnAnomalyTable.Anomaly a, String scope) {
        return String.format(Locale.ROOT,
                "The churn of %s left its usual daily and weekly shape: %.0f updates in the minute of %s,"
                        + " %.1f expected (score %.1f).",
                scope, a.observed(), a.minute(), a.expected(), a.score());
    }
}
