package net.rampart.server.learn;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.server.Component;
import net.rampart.server.config.FeatureConfig;
import net.rampart.store.route.HistoryFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the feature tables up to date: a refresh every interval when scheduled, and one on request
 * ({@code POST /api/v1/features/materialize}). Refreshes never overlap: the store runs one at a
 * time, across every service on the database.
 */
public final class FeatureRefresh implements Component {

    private static final Logger log = LoggerFactory.getLogger(FeatureRefresh.class);

    private final FeatureConfig config;
    private final HistoryFeatures features;
    private final Clock clock;
    private final Timer refreshes;
    private final AtomicLong lastRefreshSeconds = new AtomicLong();
    private ScheduledExecutorService scheduler;
    /** Told after each refresh, on the refreshing thread: flap prediction alerts, when detection is on. */
    private volatile FlapPredictionAlerts predictionAlerts;

    public FeatureRefresh(FeatureConfig config, HistoryFeatures features, MeterRegistry metrics, Clock clock) {
        this.config = config;
        this.features = features;
        this.clock = clock;
        this.refreshes = Timer.builder("rampart.features.refresh")
                .description("Refreshes of the route and session feature tables").register(metrics);
        Gauge.builder("rampart.features.last.refresh.timestamp", lastRefreshSeconds, AtomicLong::get)
                .description("When the feature tables were last brought up to date (Unix seconds); 0 before")
                .baseUnit("seconds").register(metrics);
    }

    public HistoryFeatures features() {
        return features;
    }

    /**
     * After each refresh, predicts the routes of the monitored prefixes with the current route
     * model and raises {@code flap_predicted} alerts into {@code alerts}; before the first refresh.
     */
    public void alertPredictedFlaps(Alerts alerts, FlapModels models, Supplier<List<MonitoredPrefix>> monitored) {
        this.predictionAlerts = new FlapPredictionAlerts(alerts, models, monitored, clock);
    }

    /**
     * Brings the tables up to date now; empty when a history batch stayed in flight too long to
     * know where history ends (try again shortly).
     */
    public synchronized Optional<HistoryFeatures.Refresh> refreshNow() throws SQLException, InterruptedException {
        long start = System.nanoTime();
        Optional<HistoryFeatures.Refresh> done = features.refresh(clock.instant());
        refreshes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        done.ifPresent(r -> {
            lastRefreshSeconds.set(r.asOf().getEpochSecond());
            alertPredictedFlaps();
            log.atInfo().addKeyValue("event", "features_refreshed").addKeyValue("history_rows", r.historyRows())
                    .addKeyValue("routes_written", r.routesWritten())
                    .addKeyValue("sessions_written", r.sessionsWritten())
                    .addKeyValue("millis", (System.nanoTime() - start) / 1_000_000)
                    .log("Feature tables brought up to date");
        });
        return done;
    }

    /** Alerts are the detector's: trouble with them must not fail the refresh that was made. */
    private void alertPredictedFlaps() {
        FlapPredictionAlerts alerting = predictionAlerts;
        if (alerting == null) {
            return;
        }
        try {
            alerting.run();
        } catch (SQLException | RuntimeException e) {
            log.atWarn().addKeyValue("event", "flap_alerts_failed").addKeyValue("error", e.getMessage())
                    .log("Flap predictions could not be turned into alerts; the next refresh tries again");
        }
    }

    private void scheduledRefresh() {
        try {
            if (refreshNow().isEmpty()) {
                log.atWarn().addKeyValue("event", "features_refresh_deferred")
                        .log("A route history batch stayed in flight: the feature tables are refreshed next time");
            }
        } catch (SQLException | RuntimeException e) {
            log.atWarn().addKeyValue("event", "features_refresh_failed").addKeyValue("error", e.getMessage())
                    .log("The feature tables could not be refreshed; the next refresh starts where this one did");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return "features";
    }

    @Override
    public void start() {
        if (!config.scheduled()) {
            return;
        }
        scheduler = Component.scheduler("feature-refresh");
        long every = config.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::scheduledRefresh, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        if (scheduler != null) {
            // A refresh in progress is rolled back when interrupted; the next one starts where it did.
            scheduler.shutdownNow();
            scheduler.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean isReady() {
        return true;
    }
}
