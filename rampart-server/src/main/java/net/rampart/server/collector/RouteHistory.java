package net.rampart.server.collector;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.HistorySettings;
import net.rampart.server.Component;
import net.rampart.server.config.HistoryConfig;
import net.rampart.store.RefusedRows;
import net.rampart.store.route.HistoryBatches;
import net.rampart.store.route.PostgresRouteHistory;
import net.rampart.store.route.RouteCheckpoint;
import net.rampart.store.route.PostgresSessionEvents;
import net.rampart.store.route.TimePartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Route history as a part of the service: every RIB change goes to PostgreSQL in batches,
 * through the on-disk spool when the database is slow or down, and so do the routers, peers,
 * peer events and statistics the sessions report; old partitions are dropped daily past their
 * retention. Rows PostgreSQL refuses for their content are kept in {@code refused_row} and the
 * rest written; when writes fail for another reason for more than 10 s the component reports
 * not ready. History is only appended to; a checkpoint merges it into {@code current_route} at
 * each interval and once more at stop. Stops after the BMP listener, so that everything
 * accepted is written or spooled.
 */
public final class RouteHistory implements Component {

    private static final Logger log = LoggerFactory.getLogger(RouteHistory.class);
    private static final Duration RETENTION_INTERVAL = Duration.ofHours(24);

    private final HistoryRecorder recorder;
    private final PostgresSessionEvents sessionEvents;
    private final TimePartitions partitions;
    private final RouteCheckpoint checkpoint;
    private final HistoryConfig config;
    /** Set once the BMP collector exists; see {@link #onResendNeeded}. */
    private volatile Consumer<String> closeSessions;
    private ScheduledExecutorService retention;
    private ScheduledExecutorService checkpoints;

    private RouteHistory(DataSource dataSource, Path spoolDirectory, HistoryConfig config, boolean spoolWhenBehind,
                         RefusedRows refused) throws IOException {
        this.partitions = new TimePartitions(dataSource);
        this.config = config;
        var settings = HistorySettings.defaults(spoolDirectory)
                .withBatch(config.batchSize(), config.maxDelay())
                .withSpool(config.spoolBudgetBytes(), Math.min(64L << 20, config.spoolBudgetBytes()));
        if (!spoolWhenBehind) {
            settings = settings.withoutSpooling();
        }
        var batches = new HistoryBatches();
        this.checkpoint = new RouteCheckpoint(dataSource, batches);
        this.recorder = HistoryRecorder.start(new PostgresRouteHistory(dataSource, partitions, refused, batches),
                settings, this::resendNeeded);
        this.sessionEvents = new PostgresSessionEvents(dataSource, partitions, refused);
    }

    /**
     * Opens the spool (resuming what an earlier run left there) and starts the writer, so the RIB
     * can record from its first route.
     *
     * @param spoolWhenBehind false when the routes come from a source read again after a stop
     *                        (Kafka): events then wait for the database instead of going to the
     *                        spool (see {@link HistorySettings#spoolWhenBehind})
     */
    public static RouteHistory open(DataSource dataSource, Path spoolDirectory, HistoryConfig config,
                                    boolean spoolWhenBehind, MeterRegistry metrics) throws IOException {
        var refused = new RefusedRows(dataSource);
        var history = new RouteHistory(dataSource, spoolDirectory, config, spoolWhenBehind, refused);
        history.bindMetrics(metrics, refused);
        return history;
    }

    /**
     * How to have routers send their routes again when history had to drop some: close the BMP
     * sessions (with why), when the spool's disk budget runs out, and again once that spool is
     * read out, as what routers resent while it was full was dropped as well. Set after opening
     * because the BMP collector records into this history through its RIB, so it is made after it.
     */
    public void onResendNeeded(Consumer<String> closeSessions) {
        this.closeSessions = closeSessions;
    }

    private void resendNeeded(String reason) {
        Consumer<String> action = closeSessions;
        // Unset, there is no collector yet, hence no BMP session to close.
        if (action != null) {
            action.accept(reason);
        }
    }

    /**
     * Merges what history holds into {@code current_route} now; the service does so before
     * reading current routes back at start.
     */
    public void checkpoint() {
        try {
            checkpoint.run().ifPresentOrElse(merge -> log.atInfo().addKeyValue("event", "history_checkpoint")
                            .addKeyValue("routes", merge.routes()).addKeyValue("merged_seq", merge.toSeq())
                            .log("current routes merged from route history"),
                    () -> log.atWarn().addKeyValue("event", "history_checkpoint_skipped")
                            .log("a route history batch stayed in flight; current routes are merged next time"));
        } catch (SQLException e) {
            log.atWarn().addKeyValue("event", "history_checkpoint_failed").addKeyValue("error", e.getMessage())
                    .log("current routes could not be merged from route history; will retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public HistoryRecorder recorder() {
        return recorder;
    }

    /** Routers, peers, peer events and statistics, written beside route history. */
    public PostgresSessionEvents sessionEvents() {
        return sessionEvents;
    }

    private void bindMetrics(MeterRegistry metrics, RefusedRows refused) {
        Gauge.builder("rampart.history.lag.seconds", recorder, r -> r.lagMillis() / 1000.0)
                .description("Age of the oldest collected route event not yet in PostgreSQL").register(metrics);
        Gauge.builder("rampart.history.spool.bytes", recorder, HistoryRecorder::spoolBytes)
                .description("Route events on disk waiting for the database").register(metrics);
        Gauge.builder("rampart.history.queued.events", recorder, HistoryRecorder::queuedEvents)
                .description("Route events in memory waiting for their batch").register(metrics);
        Gauge.builder("rampart.history.handover.events", recorder, HistoryRecorder::handedOverEvents)
                .description("Route events handed over to the spool thread, not yet on disk").register(metrics);
        Gauge.builder("rampart.history.handover.waiting", recorder, HistoryRecorder::producersWaiting)
                .description("Router threads waiting for the spool thread: their sockets are not read meanwhile")
                .register(metrics);
        Gauge.builder("rampart.history.store.available", recorder, r -> r.storeAvailable() ? 1 : 0)
                .description("1 while the last write to PostgreSQL succeeded").register(metrics);
        FunctionCounter.builder("rampart.history.accepted.events", recorder, HistoryRecorder::acceptedEvents)
                .description("Route events the RIB handed to history: in time each is written, dropped or rejected")
                .register(metrics);
        FunctionCounter.builder("rampart.history.written.events", recorder, HistoryRecorder::writtenEvents)
                .description("Route events written to PostgreSQL").register(metrics);
        FunctionCounter.builder("rampart.history.spooled.events", recorder, HistoryRecorder::spooledEvents)
                .description("Route events that went through the on-disk spool").register(metrics);
        FunctionCounter.builder("rampart.history.dropped.events", recorder, HistoryRecorder::droppedEvents)
                .description("Route events lost because the spool was full (sessions were closed to resend)")
                .register(metrics);
        // History isolates its refused events in the recorder, which counts them with unreadable spool records.
        FunctionCounter.builder("rampart.history.rejected.events", recorder, HistoryRecorder::rejectedEvents)
                .description("Route events the database refused for their content (kept in refused_row), and spool"
                        + " records that could not be read back").register(metrics);
        FunctionCounter.builder("rampart.store.rows.refused", refused, r -> r.refused("sessions"))
                .tag("writer", "sessions")
                .description("Rows the database refused for their content, kept in refused_row").register(metrics);
        FunctionCounter.builder("rampart.history.session.events.dropped", sessionEvents, PostgresSessionEvents::droppedEvents)
                .description("Router, peer, peer-event and statistics rows dropped because the database fell behind")
                .register(metrics);
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public void start() throws SQLException {
        partitions.setRetention("route_history", config.routeRetention());
        partitions.setRetention("peer_event", config.peerEventRetention());
        partitions.setRetention("peer_statistic", config.peerEventRetention());
        retention = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("history-retention").daemon().factory());
        retention.scheduleAtFixedRate(this::applyRetention, 0, RETENTION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        checkpoints = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("history-checkpoint").daemon().factory());
        long every = config.checkpointInterval().toMillis();
        checkpoints.scheduleWithFixedDelay(this::checkpoint, every, every, TimeUnit.MILLISECONDS);
    }

    private void applyRetention() {
        try {
            var dropped = partitions.applyRetention(Instant.now());
            log.atInfo().addKeyValue("event", "history_retention_applied").addKeyValue("partitions_dropped", dropped.size())
                    .log("route history retention applied");
        } catch (SQLException e) {
            log.atWarn().addKeyValue("event", "history_retention_failed").addKeyValue("error", e.getMessage())
                    .log("route history retention could not be applied; will retry");
        }
    }

    @Override
    public void stop(Duration drain) throws IOException, InterruptedException {
        if (retention != null) {
            retention.shutdownNow();
            retention.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (checkpoints != null) {
            // Not interrupted: a merge in progress finishes (its transaction would roll back anyway).
            checkpoints.shutdown();
            checkpoints.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        }
        recorder.close();
        // After the last batch, so that current_route holds everything written.
        checkpoint();
        sessionEvents.close(drain);
        log.atInfo().addKeyValue("event", "history_flushed").addKeyValue("written", recorder.writtenEvents())
                .addKeyValue("spool_bytes", recorder.spoolBytes())
                .log("route history flushed; anything left is in the spool for the next start");
    }

    /**
     * Ready while route events and session rows are being written: a database that is away, or
     * fails every write, shows here after 10 s (route events are spooled meanwhile, session rows
     * queued).
     */
    @Override
    public boolean isReady() {
        return recorder.makingProgress() && sessionEvents.makingProgress();
    }
}
