package net.rampart.rpki;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.rampart.rpki.rtr.RtrConnection;
import net.rampart.rpki.rtr.RtrServer;
import net.rampart.rpki.rtr.RtrTimers;
import net.rampart.rpki.slurm.SlurmFiles;
import net.rampart.rpki.source.VrpSource;

/**
 * The validate capability put together: serial history, periodic and on-demand source
 * polling, SLURM reloads, the current validation view and the RTR server.
 */
public final class RpkiService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpkiService.class);
    private static final Duration SLURM_CHECK = Duration.ofSeconds(5);
    /** Data goes stale as time passes, between polls too: often enough to log it within seconds. */
    private static final Duration FRESHNESS_CHECK = Duration.ofSeconds(10);

    /**
     * @param slurm   the SLURM files, read already ({@link SlurmFiles#load}) so that a bad one
     *                stops the caller before anything starts
     * @param rtrBind where the RTR server listens, or null for no RTR server
     */
    public record Settings(List<VrpSource> sources, SlurmFiles slurm, Duration pollInterval,
            RpkiUpdater.Policy policy, int retainedDeltas, RtrTimers timers, InetSocketAddress rtrBind,
            int rtrThreads) {
    }

    private final Settings settings;
    private final SnapshotStore store;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final AtomicReference<RpkiView> view = new AtomicReference<>();
    /** Whether the last freshness check found the data stale, so each change is logged once. */
    private final AtomicBoolean staleLogged = new AtomicBoolean();
    private SnapshotHistory history;
    private RpkiUpdater updater;
    private RtrServer rtr;
    private InetSocketAddress rtrAddress;
    private ScheduledExecutorService scheduler;

    private final List<Consumer<RpkiView>> viewListeners = new CopyOnWriteArrayList<>();

    public RpkiService(Settings settings, SnapshotStore store, MeterRegistry metrics, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void start() throws InterruptedException {
        history = SnapshotHistory.open(store, settings.retainedDeltas(), clock);
        publish(RpkiView.of(history.current()));
        history.addListener(v -> publish(RpkiView.of(v)));
        history.addExpiryListener(v -> publish(RpkiView.of(v)));
        updater = new RpkiUpdater(settings.sources(), settings.slurm(), history, settings.policy(), clock);
        if (settings.rtrBind() != null) {
            rtr = new RtrServer(history, settings.timers(), settings.rtrThreads());
            rtrAddress = rtr.start(settings.rtrBind());
        }
        registerMetrics();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rpki-updater");
            t.setDaemon(true);
            return t;
        });
        if (updater.hasSources()) {
            scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, settings.pollInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
            scheduler.scheduleWithFixedDelay(this::logFreshnessChange, FRESHNESS_CHECK.toMillis(),
                    FRESHNESS_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(this::slurmQuietly, SLURM_CHECK.toMillis(), SLURM_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            updater.refresh();
        } catch (RuntimeException e) {
            log.atError().addKeyValue("event", "rpki_update_failed").setCause(e).log("RPKI update failed");
        }
        logFreshnessChange();
    }

    /** Logs once when the data becomes stale and once when it is fresh again, not on every check. */
    private void logFreshnessChange() {
        Optional<String> staleness = staleness();
        if (staleness.isPresent() && staleLogged.compareAndSet(false, true)) {
            log.atWarn().addKeyValue("event", "rpki_data_stale").addKeyValue("reason", staleness.get())
                    .log("RPKI data is stale: " + staleness.get() + "; it is still served");
        } else if (staleness.isEmpty() && staleLogged.compareAndSet(true, false)) {
            log.atInfo().addKeyValue("event", "rpki_data_fresh").log("RPKI data is fresh again");
        }
    }

    private void slurmQuietly() {
        try {
            updater.reloadSlurm();
        } catch (RuntimeException e) {
            log.atError().addKeyValue("event", "slurm_reload_failed").setCause(e).log("SLURM reload failed");
        }
    }

    /**
     * Calls {@code listener} with every view that comes into force, on the thread that made it,
     * starting with the one loaded at start. Register before {@link #start}.
     */
    public void addViewListener(Consumer<RpkiView> listener) {
        viewListeners.add(listener);
    }

    private void publish(RpkiView next) {
        view.set(next);
        for (Consumer<RpkiView> listener : viewListeners) {
            listener.accept(next);
        }
    }

    /** Polls every source now, on the caller's thread; returns whether the serial moved. */
    public boolean refreshNow() {
        boolean moved = updater.refresh();
        logFreshnessChange();
        return moved;
    }

    public RpkiView view() {
        return view.get();
    }

    public SnapshotHistory history() {
        return history;
    }

    public RpkiUpdater updater() {
        return updater;
    }

    /** The RTR server's bound address, or null when it is off. */
    public InetSocketAddress rtrAddress() {
        return rtrAddress;
    }

    public int rtrClients() {
        return rtr == null ? 0 : rtr.connectedClients();
    }

    /** The routers connected to the RTR server now; none when it is off. */
    public List<RtrConnection> rtrConnections() {
        return rtr == null ? List.of() : rtr.connections();
    }

    /** False when sources are configured and their data is missing or older than allowed. */
    public boolean isFresh() {
        return !updater.hasSources() || !updater.isStale();
    }

    /**
     * Why the data is stale, for people ("data 3h 5m old, older than RAMPART_RPKI_MAX_DATA_AGE
     * 2h"); empty while it is fresh.
     */
    public Optional<String> staleness() {
        if (isFresh()) {
            return Optional.empty();
        }
        Instant dataTime = updater.dataTime();
        if (dataTime == null) {
            return Optional.of("no data from any source yet");
        }
        return Optional.of("data " + roughly(Duration.between(dataTime, clock.instant()))
                + " old, older than RAMPART_RPKI_MAX_DATA_AGE " + roughly(settings.policy().maxDataAge()));
    }

    /** Days, hours and minutes, leaving out the parts that are zero; seconds under a minute. */
    static String roughly(Duration duration) {
        if (duration.toMinutes() == 0) {
            return duration.toSeconds() + "s";
        }
        StringJoiner parts = new StringJoiner(" ");
        if (duration.toDays() > 0) {
            parts.add(duration.toDays() + "d");
        }
        if (duration.toHoursPart() > 0) {
            parts.add(duration.toHoursPart() + "h");
        }
        if (duration.toMinutesPart() > 0) {
            parts.add(duration.toMinutesPart() + "m");
        }
        return parts.toString();
    }

    private void registerMetrics() {
        Gauge.builder("rampart.rpki.vrps", view, v -> v.get().version().snapshot().vrps().size())
                .description("VRPs served (after SLURM)").register(metrics);
        Gauge.builder("rampart.rpki.aspas", view, v -> v.get().version().snapshot().aspas().size())
                .description("ASPAs served (after SLURM)").register(metrics);
        Gauge.builder("rampart.rpki.router.keys", view, v -> v.get().version().snapshot().routerKeys().size())
                .description("BGPsec router keys served").register(metrics);
        Gauge.builder("rampart.rpki.serial", view, v -> Integer.toUnsignedLong(v.get().version().serial()))
                .description("current RTR serial").register(metrics);
        Gauge.builder("rampart.rpki.snapshot.age", view,
                v -> Duration.between(v.get().version().updatedAt(), clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds").description("time since the serial last moved").register(metrics);
        Gauge.builder("rampart.rpki.data.age", updater, u -> {
            Instant t = u.dataTime();
            return t == null ? Double.NaN : Duration.between(t, clock.instant()).toMillis() / 1000.0;
        }).baseUnit("seconds").description("age of the oldest source data in use").register(metrics);
        Gauge.builder("rampart.rpki.stale", this, s -> s.isFresh() ? 0 : 1)
                .description("1 when source data is missing or older than RAMPART_RPKI_MAX_DATA_AGE").register(metrics);
        Gauge.builder("rampart.rpki.rtr.clients", this, RpkiService::rtrClients)
                .description("routers connected to the RTR server").register(metrics);
        FunctionCounter.builder("rampart.rpki.slurm.failures", updater.slurm(), SlurmFiles::failures)
                .description("SLURM files rejected").register(metrics);
        for (RpkiUpdater.SourceState s : updater.sourceStates()) {
            Tags tags = Tags.of("source", s.name());
            FunctionCounter.builder("rampart.rpki.fetches", updater, u -> state(u, s.name()).fetches())
                    .tags(tags).description("source fetch attempts").register(metrics);
            FunctionCounter.builder("rampart.rpki.fetch.failures", updater, u -> state(u, s.name()).failures())
                    .tags(tags).description("source fetches that failed or were rejected").register(metrics);
            Gauge.builder("rampart.rpki.fetch.last.success", updater, u -> {
                Instant t = state(u, s.name()).lastSuccess();
                return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
            }).baseUnit("timestamp_seconds").tags(tags).description("time of the last good fetch")
                    .register(metrics);
            Gauge.builder("rampart.rpki.source.vrps", updater, u -> state(u, s.name()).vrps()).tags(tags)
                    .description("VRPs in the source's last good data").register(metrics);
            Gauge.builder("rampart.rpki.source.rejected", updater,
                    u -> state(u, s.name()).rejected().values().stream().mapToInt(Integer::intValue).sum())
                    .tags(tags).description("entries dropped by strict validation in the last good fetch")
                    .register(metrics);
        }
        MultiGauge byTa = MultiGauge.builder("rampart.rpki.trust.anchor.vrps")
                .description("VRPs served per trust anchor").register(metrics);
        history.addListener(v -> byTa.register(v.snapshot().vrps().countByTrustAnchor().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("trust_anchor", e.getKey().isEmpty() ? "none" : e.getKey()),
                        e.getValue()))
                .map(r -> (MultiGauge.Row<?>) r).toList(), true));
        byTa.register(view.get().version().snapshot().vrps().countByTrustAnchor().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("trust_anchor", e.getKey().isEmpty() ? "none" : e.getKey()),
                        e.getValue()))
                .map(r -> (MultiGauge.Row<?>) r).toList(), true);
    }

    private static RpkiUpdater.SourceState state(RpkiUpdater u, String name) {
        return u.sourceStates().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (rtr != null) {
            rtr.close();
        }
    }
}
