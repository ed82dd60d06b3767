package net.rampart.server.learn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.rampart.learn.features.FlapDamping;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.features.RouteFeatureState;
import net.rampart.learn.features.SessionFeature;
import net.rampart.learn.features.SessionFeatureState;
import net.rampart.learn.flap.FlapDataset;
import net.rampart.learn.flap.FlapModel;
import net.rampart.learn.flap.FlapModelParameters;
import net.rampart.learn.flap.FlapModelTrainer;
import net.rampart.learn.flap.LabelledRows;
import net.rampart.server.Component;
import net.rampart.server.config.FlapModelConfig;
import net.rampart.store.learn.FlapModelTable;
import net.rampart.store.route.HistoryFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flap prediction models: trained from the collector's own history on request
 * ({@code ./rampart ml train}) and on a schedule, stored in {@code flap_model}, and the newest of
 * each kind (route, session) kept in memory to answer predictions, from the store again after a
 * restart.
 *
 * <p>A training replays the configured window of history into {@link FlapDataset}: its first day
 * only brings the features up to speed, moments are taken every flap window from then on, and
 * the last quarter of them is the held-out test period ({@link FlapModelTrainer} splits by time
 * only). The RFC 2439 figure of merit is the baseline each model is measured against.
 */
public final class FlapModels implements Component {

    private static final Logger log = LoggerFactory.getLogger(FlapModels.class);
    /** The history before the first moment, so that its 24-hour features are whole. */
    private static final Duration WARM_UP = Duration.ofDays(1);
    /** The share of the moments, at the end of the window, held out to test on. */
    static final double TEST_FRACTION = 0.25;

    /** What a training did for one kind: the model stored, or why there is none. */
    public record Outcome(String kind, long rows, Optional<FlapModelTable.StoredModel> stored, String skipped) {
    }

    private final FlapModelConfig config;
    private final HistoryFeatures history;
    private final FlapModelTable table;
    private final FlapDamping damping;
    private final Clock clock;
    private final FlapModelTrainer trainer = new FlapModelTrainer(FlapModelParameters.DEFAULTS);
    private final Map<String, FlapModelTable.StoredModel> current = new ConcurrentHashMap<>();
    private final Counter trainings;
    private final Counter failures;
    private ScheduledExecutorService scheduler;

    public FlapModels(FlapModelConfig config, HistoryFeatures history, FlapModelTable table, FlapDamping damping,
                      MeterRegistry metrics, Clock clock) {
        this.config = config;
        this.history = history;
        this.table = table;
        this.damping = damping;
        this.clock = clock;
        this.trainings = Counter.builder("rampart.ml.trainings").description("Flap models trained and stored")
                .register(metrics);
        this.failures = Counter.builder("rampart.ml.training.failures")
                .description("Trainings that stored no model: too little history, one class only, or an error")
                .register(metrics);
        for (String kind : FlapModelTable.KINDS) {
            metrics.gauge("rampart.ml.model.version", Tags.of("kind", kind),
                    current, m -> m.containsKey(kind) ? m.get(kind).version() : 0);
        }
    }

    /** The model that answers predictions of {@code kind} now. */
    public Optional<FlapModelTable.StoredModel> current(String kind) {
        return Optional.ofNullable(current.get(kind));
    }

    public FlapModelTable table() {
        return table;
    }

    public HistoryFeatures history() {
        return history;
    }

    /** Trains a route model and a session model on the history up to now, one training at a time. */
    public synchronized List<Outcome> train() throws SQLException {
        Instant to = clock.instant();
        Instant historyFrom = to.minus(config.trainingWindow());
        Instant from = historyFrom.plus(WARM_UP);
        List<Outcome> outcomes = new ArrayList<>();
        FlapDataset<RouteFeatureState> routes = FlapDataset.ofRoutes(damping, config.flap(), config.flap().window(),
                WARM_UP, from, to);
        history.replayRoutes(historyFrom, to, routes::event);
        outcomes.add(fit("route", routes.finish(), routes.outOfOrder(), config.flap(), historyFrom, from, to,
                RouteFeature.FIGURE_OF_MERIT.ordinal()));
        FlapDataset<SessionFeatureState> sessions = FlapDataset.ofSessions(damping, config.sessionFlap(),
                config.sessionFlap().window(), WARM_UP, from, to);
        history.replaySessions(historyFrom, to, sessions::event);
        outcomes.add(fit("session", sessions.finish(), sessions.outOfOrder(), config.sessionFlap(), historyFrom,
                from, to, SessionFeature.FIGURE_OF_MERIT.ordinal()));
        return outcomes;
    }

    /** @param outOfOrder events of the replay whose time stepped back (a router's clock), for the log */
    private Outcome fit(String kind, LabelledRows rows, long outOfOrder, FlapDataset.FlapDefinition flap,
                        Instant historyFrom, Instant from, Instant to, int baselineColumn) throws SQLException {
        long span = Duration.between(from, to).toMillis();
        Instant cut = from.plusMillis((long) (span * (1 - TEST_FRACTION)));
        FlapModel model;
        try {
            model = trainer.train(rows, cut, baselineColumn);
        } catch (IllegalArgumentException e) {
            failures.increment();
            log.atInfo().addKeyValue("event", "flap_model_not_trained").addKeyValue("kind", kind)
                    .addKeyValue("rows", rows.rowCount()).addKeyValue("reason", e.getMessage())
                    .log("No flap model trained: the history does not hold enough of both outcomes yet");
            return new Outcome(kind, rows.rowCount(), Optional.empty(), e.getMessage());
        } catch (LinkageError e) {
            // XGBoost's native library did not load: its OpenMP runtime (Debian's libgomp1) is
            // missing, or java.io.tmpdir, where it is unpacked, does not allow executing it.
            failures.increment();
            String reason = "XGBoost's native library could not be loaded (is libgomp1 installed, and"
                    + " java.io.tmpdir executable?): " + e;
            log.atError().addKeyValue("event", "flap_model_not_trained").addKeyValue("kind", kind)
                    .addKeyValue("reason", reason).log("No flap model trained: XGBoost cannot run here");
            return new Outcome(kind, rows.rowCount(), Optional.empty(), reason);
        }
        long trainingRows = rows.knownBy(cut);
        long testRows = model.evaluation().positives() + model.evaluation().negatives();
        Instant trainedAt = clock.instant();
        int version = table.insert(kind, trainedAt, historyFrom, to, cut, flap.minChanges(), trainingRows,
                testRows, model);
        var stored = new FlapModelTable.StoredModel(version, kind, trainedAt, historyFrom, to, cut,
                flap.minChanges(), trainingRows, testRows, model);
        current.put(kind, stored);
        trainings.increment();
        log.atInfo().addKeyValue("event", "flap_model_trained").addKeyValue("kind", kind)
                .addKeyValue("version", version).addKeyValue("rows", rows.rowCount())
                .addKeyValue("events_out_of_order", outOfOrder)
                .addKeyValue("auc", model.evaluation().model().auc())
                .addKeyValue("baseline_auc", model.evaluation().baseline().auc())
                .log("Flap model trained and stored");
        return new Outcome(kind, rows.rowCount(), Optional.of(stored), null);
    }

    private void scheduledTraining() {
        try {
            train();
        } catch (SQLException | RuntimeException e) {
            failures.increment();
            log.atWarn().addKeyValue("event", "flap_model_training_failed").addKeyValue("error", e.getMessage())
                    .log("Flap model training failed; the models in use stay");
        }
    }

    @Override
    public String name() {
        return "flap_models";
    }

    /** Takes the newest stored model of each kind; a store that cannot be read leaves none, as a new install. */
    @Override
    public void start() {
        for (String kind : FlapModelTable.KINDS) {
            try {
                table.newest(kind).ifPresent(m -> current.put(kind, m));
            } catch (SQLException | RuntimeException e) {
                log.atWarn().addKeyValue("event", "flap_model_unreadable").addKeyValue("kind", kind)
                        .addKeyValue("error", e.getMessage())
                        .log("The stored flap model could not be read; predictions wait for the next training");
            }
        }
        config.schedule().ifPresent(every -> {
            scheduler = Component.scheduler("flap-training");
            scheduler.scheduleWithFixedDelay(this::scheduledTraining, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean isReady() {
        return true;
    }
}
