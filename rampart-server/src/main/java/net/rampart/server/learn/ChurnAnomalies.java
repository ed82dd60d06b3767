package net.rampart.server.learn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.detect.alert.Alerts;
import net.rampart.learn.churn.ChurnAnomaly;
import net.rampart.learn.churn.ChurnAnomalyDetector;
import net.rampart.learn.churn.ChurnCounter;
import net.rampart.learn.churn.ChurnScope;
import net.rampart.learn.churn.PrefixGroups;
import net.rampart.learn.churn.SeasonalDecomposition;
import net.rampart.learn.churn.UpdateRateSeries;
import net.rampart.server.Component;
import net.rampart.server.config.ChurnConfig;
import net.rampart.store.learn.ChurnAnomalyTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Churn anomalies in the service: a {@link ChurnCounter} hears the RIB's route events beside
 * route history and detection, and every interval the detector judges each scope's series and
 * stores the anomalous minutes it finds in {@code churn_anomaly}.
 *
 * <p>Each run judges the minutes since the previous run up to the minute before the last whole
 * one (a minute's grace for events that routers report late); an anomaly of an earlier minute
 * that a later run would see differently is not revisited. A scope is judged once it has been
 * counted for the configured least history, and over the minutes since it was first seen, so
 * that the time before it existed does not read as a drop. Prefix groups are the monitors
 * file's groups of monitored prefixes, taken again when the file is reloaded.
 *
 * <p>With detection on (a monitors file), each newly stored anomaly is also reported to the
 * alerts as a {@code churn_anomaly} alert of its scope, which {@link ChurnAlerts} resolves once
 * the scope's minutes are back in shape; without it, anomalies are stored and counted alone.
 */
public final class ChurnAnomalies implements Component {

    private static final Logger log = LoggerFactory.getLogger(ChurnAnomalies.class);
    /** Anomalies kept for the next run while the database cannot take them; beyond, the oldest go. */
    private static final int MAX_PENDING = 10_000;
    /** Minutes after the last whole one that are not judged yet: routers report some events late. */
    private static final int GRACE_MINUTES = 1;

    private final ChurnConfig config;
    private final Supplier<Map<String, List<String>>> groupSource;
    private final ChurnAnomalyTable table;
    private final Clock clock;
    private final ChurnAnomalyDetector detector;
    private final ChurnCounter counter;
    private final Map<ChurnScope.Kind, Counter> found = new EnumMap<>(ChurnScope.Kind.class);
    private final Timer runs;

    private volatile PrefixGroups groups = PrefixGroups.NONE;
    private Map<String, List<String>> groupsInForce = Map.of();
    /** The first minute each scope has a count in, as the first run to see it found. */
    private final Map<ChurnScope, Long> firstSeen = new HashMap<>();
    /** The last minute judged; Long.MIN_VALUE before the first run. */
    private long judgedUpTo = Long.MIN_VALUE;
    private final List<ChurnAnomalyTable.Anomaly> pending = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    /** The alerts anomalies are reported to, or null while detection is off. */
    private ChurnAlerts alerting;

    /**
     * @param groupSource the prefix groups in force ({@code group -> canonical CIDRs}), asked at
     *                    start and on every run
     */
    public ChurnAnomalies(ChurnConfig config, Supplier<Map<String, List<String>>> groupSource, ChurnAnomalyTable table,
                          MeterRegistry metrics, Clock clock) {
        this.config = config;
        this.groupSource = groupSource;
        this.table = table;
        this.clock = clock;
        this.detector = new ChurnAnomalyDetector(SeasonalDecomposition.dailyWeeklyMinutes(), config.threshold(),
                ChurnAnomalyDetector.DEFAULT_MIN_SIGMA);
        // One lookup per route event, through the groups in force now.
        PrefixGroups current = this::groupOf;
        this.counter = new ChurnCounter(config.historyMinutes(), current);
        for (ChurnScope.Kind kind : ChurnScope.Kind.values()) {
            found.put(kind, Counter.builder("rampart.churn.anomalies")
                    .description("Churn anomalies found and stored: minutes whose update rate left the scope's"
                            + " daily and weekly shape")
                    .tag("scope_kind", kindName(kind)).register(metrics));
        }
        runs = Timer.builder("rampart.churn.detection")
                .description("Runs of the churn anomaly detector over every scope").register(metrics);
        refreshGroups();
    }

    /**
     * Reports every anomaly stored from now on to {@code alerts}, as a {@code churn_anomaly}
     * alert of its scope; before the first run, so that no anomaly goes unreported.
     */
    public synchronized void alertTo(Alerts alerts) {
        this.alerting = new ChurnAlerts(alerts);
    }

    private String groupOf(RouteKey key) {
        return groups.groupOf(key);
    }

    /** The route-event listener to add beside route history and detection. */
    public RouteEventListener listener() {
        return counter;
    }

    /** The counter, for tests that feed it directly. */
    ChurnCounter counter() {
        return counter;
    }

    /** {@code router}, {@code peer} or {@code prefix_group}: the scope kind as the table and the API name it. */
    public static String kindName(ChurnScope.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private synchronized void refreshGroups() {
        Map<String, List<String>> next = groupSource.get();
        if (!next.equals(groupsInForce)) {
            groups = next.isEmpty() ? PrefixGroups.NONE : PrefixGroups.covering(next);
            groupsInForce = Map.copyOf(next);
        }
    }

    @Override
    public String name() {
        return "churn_anomalies";
    }

    @Override
    public void start() {
        scheduler = Component.scheduler("churn-anomalies");
        long every = config.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::run, every, every, TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            runs.record(() -> {
                judge(UpdateRateSeries.minuteOf(clock.millis()) - 1 - GRACE_MINUTES);
            });
        } catch (RuntimeException e) {
            log.atError().addKeyValue("event", "churn_detection_failed").setCause(e)
                    .log("Churn anomaly detection failed; it runs again at the next interval");
        }
    }

    /**
     * Judges every scope's minutes after the previous run's up to {@code lastMinute} (epoch
     * minutes) and stores the anomalies among them.
     *
     * @return the anomalies stored by this run (those the table did not hold yet)
     */
    synchronized List<ChurnAnomalyTable.Anomaly> judge(long lastMinute) {
        refreshGroups();
        if (judgedUpTo == Long.MIN_VALUE) {
            judgedUpTo = lastMinute - config.intervalMinutes();
        }
        if (lastMinute <= judgedUpTo) {
            return List.of();
        }
        List<ChurnScope> scopes = new ArrayList<>();
        counter.read((scope, series) -> {
            scopes.add(scope);
            if (!firstSeen.containsKey(scope)) {
                firstSeen.put(scope, earliestCounted(series));
            }
        });
        Instant now = clock.instant();
        int judged = 0;
        Set<String> judgedScopes = new HashSet<>();
        for (ChurnScope scope : scopes) {
            long first = Math.max(firstSeen.get(scope), lastMinute - config.historyMinutes() + 1);
            long length = lastMinute - first + 1;
            if (length < config.minHistoryMinutes()) {
                continue;
            }
            double[] counts = counter.updates(scope, first, (int) length);
            if (counts == null) {
                continue;
            }
            judged++;
            judgedScopes.add(scope.toString());
            for (ChurnAnomaly a : detector.detect(first, counts)) {
                if (a.minute() > judgedUpTo && a.minute() <= lastMinute) {
                    pending.add(new ChurnAnomalyTable.Anomaly(kindName(scope.kind()), scope.name(),
                            Instant.ofEpochMilli(a.timeMillis()), a.expected(), a.observed(), a.score(), now));
                }
            }
        }
        judgedUpTo = lastMinute;
        if (pending.size() > MAX_PENDING) {
            pending.subList(0, pending.size() - MAX_PENDING).clear();
        }
        List<ChurnAnomalyTable.Anomaly> added = write();
        alert(added, judgedScopes, lastMinute);
        log.atInfo().addKeyValue("event", "churn_anomalies_judged")
                .addKeyValue("scopes", scopes.size()).addKeyValue("judged", judged)
                .addKeyValue("up_to", Instant.ofEpochMilli(lastMinute * UpdateRateSeries.MINUTE_MILLIS).toString())
                .addKeyValue("anomalies", added.size()).addKeyValue("unwritten", pending.size())
                .log("Churn anomaly detection ran");
        return added;
    }

    /** Alerts are the detector's: trouble with them must not keep anomalies from being stored and counted. */
    private void alert(List<ChurnAnomalyTable.Anomaly> added, Set<String> judgedScopes, long lastMinute) {
        if (alerting == null) {
            return;
        }
        try {
            alerting.report(added, groupsInForce);
            if (pending.isEmpty()) {
                // Anomalies not stored yet are not reported yet either: no scope is calm until they are.
                alerting.resolveCalm(judgedScopes, lastMinute);
            }
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("event", "churn_alerts_failed").setCause(e)
                    .log("Churn anomalies could not be reported as alerts; they are stored all the same");
        }
    }

    /**
     * The earliest minute the ring holds a count of, so that events counted before the first run
     * (an import, a rebuild from Kafka) are judged too; once per scope.
     */
    private static long earliestCounted(UpdateRateSeries series) {
        long newest = series.newestMinute();
        for (long m = newest - series.capacity() + 1; m < newest; m++) {
            if (series.updates(m) > 0 || series.duplicates(m) > 0) {
                return m;
            }
        }
        return newest;
    }

    private List<ChurnAnomalyTable.Anomaly> write() {
        if (pending.isEmpty()) {
            return List.of();
        }
        try {
            List<ChurnAnomalyTable.Anomaly> added = table.insert(pending);
            pending.clear();
            for (ChurnAnomalyTable.Anomaly a : added) {
                found.get(ChurnScope.Kind.valueOf(a.scopeKind().toUpperCase(Locale.ROOT))).increment();
                log.atInfo().addKeyValue("event", "churn_anomaly").addKeyValue("scope_kind", a.scopeKind())
                        .addKeyValue("scope", a.scopeName()).addKeyValue("minute", a.minute().toString())
                        .addKeyValue("expected", a.expected()).addKeyValue("observed", a.observed())
                        .addKeyValue("score", a.score())
                        .log("Churn left its usual shape");
            }
            return added;
        } catch (SQLException e) {
            log.atWarn().addKeyValue("event", "churn_anomalies_unwritten").addKeyValue("pending", pending.size())
                    .addKeyValue("error", e.getMessage())
                    .log("Churn anomalies could not be stored; they are tried again at the next run");
            return List.of();
        }
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            if (!scheduler.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
        }
    }

    @Override
    public boolean isReady() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
