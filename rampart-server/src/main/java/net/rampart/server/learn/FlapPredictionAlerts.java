package net.rampart.server.learn;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.learn.flap.FlapModel;
import net.rampart.store.learn.FlapModelTable;
import net.rampart.wire.ip.IpPrefix;

/**
 * Flap predictions as detection alerts: after each feature refresh, every route of a monitored
 * prefix (or a more-specific of it, unless the prefix ignores them) that the current route model
 * expects to flap within its window opens a {@code flap_predicted} alert of that prefix, keyed
 * {@code flap_predicted|PREFIX}, with one evidence entry per router and peer predicted. It goes
 * to the monitored prefix's group, like the prefix's other alerts, and resolves once a whole flap
 * window has passed with no route of the prefix predicted. A prefix whose monitor excludes
 * {@code flap_predicted} is left out.
 *
 * <p>Run after each refresh by whichever thread made it (the schedule's, or an API request's):
 * one at a time, as {@link FeatureRefresh#refreshNow()} is synchronized. The open alerts' last
 * prediction times are taken from the alerts when it is made, so that a restart resolves the
 * alerts opened before it.
 */
final class FlapPredictionAlerts {

    /** How long a prefix must go unpredicted before its alert resolves, when no model says its window. */
    private static final long DEFAULT_CALM_MILLIS = 3_600_000L;

    private final Alerts alerts;
    private final FlapModels models;
    private final Supplier<List<MonitoredPrefix>> monitored;
    private final Clock clock;
    /** When each open alert's prefix was last predicted to flap, by key. */
    private final Map<String, Long> lastPredicted = new HashMap<>();

    FlapPredictionAlerts(Alerts alerts, FlapModels models, Supplier<List<MonitoredPrefix>> monitored, Clock clock) {
        this.alerts = alerts;
        this.models = models;
        this.monitored = monitored;
        this.clock = clock;
        for (Alert a : alerts.all()) {
            if (a.type() == AlertType.FLAP_PREDICTED && a.state().active() && !a.evidence().isEmpty()) {
                lastPredicted.put(a.key(), a.evidence().getLast().timeMillis());
            }
        }
    }

    static String key(IpPrefix prefix) {
        return AlertType.FLAP_PREDICTED.wireName() + "|" + prefix;
    }

    /** Predicts every active route of a monitored prefix, alerts the new ones, resolves the calm. */
    void run() throws SQLException {
        Optional<FlapModelTable.StoredModel> stored = models.current("route");
        List<MonitoredPrefix> prefixes = monitored.get();
        Instant now = clock.instant();
        if (stored.isPresent() && prefixes.stream().anyMatch(p -> p.checks(AlertType.FLAP_PREDICTED))) {
            predict(stored.get().model(), prefixes, now);
        }
        // Also with no model or no prefix left to watch: what was open resolves once it is calm.
        long calmAfter = stored.map(m -> m.model().horizon().toMillis()).orElse(DEFAULT_CALM_MILLIS);
        for (Iterator<Map.Entry<String, Long>> it = lastPredicted.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now.toEpochMilli() - e.getValue() >= calmAfter) {
                alerts.resolve(e.getKey(), now.toEpochMilli(), "No route of "
                        + e.getKey().substring(e.getKey().indexOf('|') + 1) + " has been predicted to flap since "
                        + Instant.ofEpochMilli(e.getValue()) + ".");
                it.remove();
            }
        }
    }

    private void predict(FlapModel model, List<MonitoredPrefix> prefixes, Instant now) throws SQLException {
        float[] features = new float[model.featureCount()];
        record Predicted(MonitoredPrefix monitor, IpPrefix prefix, String vantage, double probability) {
        }
        Map<String, List<Predicted>> predicted = new LinkedHashMap<>();
        models.history().activeRoutes(now, route -> {
            if (route.prefix() == null) {
                return;
            }
            IpPrefix prefix = IpPrefix.parse(route.prefix());
            // The most specific monitor decides, as for every other alert: its exclusions included.
            MonitoredPrefix monitor = covering(prefixes, prefix);
            if (monitor == null || !monitor.checks(AlertType.FLAP_PREDICTED)) {
                return;
            }
            double p = model.probability(MlRoutes.floats(route.values(), features));
            if (p >= model.threshold()) {
                predicted.computeIfAbsent(key(prefix), k -> new ArrayList<>())
                        .add(new Predicted(monitor, prefix, route.router() + "/" + route.peer(), p));
            }
        });
        for (Map.Entry<String, List<Predicted>> e : predicted.entrySet()) {
            // An open alert stays as it is while its prefix is predicted; a new one gets every vantage point.
            if (alerts.active(e.getKey()).isEmpty()) {
                for (Predicted p : e.getValue()) {
                    Finding finding = new Finding(AlertType.FLAP_PREDICTED, e.getKey(), p.prefix(),
                            p.monitor().prefix(), -1, null, p.monitor().group(),
                            summary(p.prefix(), p.vantage(), p.probability(), model));
                    alerts.report(finding, new Evidence(now.toEpochMilli(), p.vantage(), p.prefix(), ""));
                }
            }
            lastPredicted.put(e.getKey(), now.toEpochMilli());
        }
    }

    /** The most specific monitored prefix that covers {@code prefix} and takes it; null when none does. */
    private static MonitoredPrefix covering(List<MonitoredPrefix> prefixes, IpPrefix prefix) {
        MonitoredPrefix best = null;
        for (MonitoredPrefix m : prefixes) {
            boolean takes = m.prefix().equals(prefix) || (!m.ignoreMoreSpecifics() && m.prefix().covers(prefix));
            if (takes && (best == null || m.prefix().length() > best.prefix().length())) {
                best = m;
            }
        }
        return best;
    }

    private static String summary(IpPrefix prefix, String vantage, double probability, FlapModel model) {
        return String.format(Locale.ROOT, "The flap model expects %s to flap within %d minutes: probability %.2f"
                + " from %s (threshold %.2f).", prefix, model.horizon().toMinutes(), probability, vantage,
                model.threshold());
    }
}
