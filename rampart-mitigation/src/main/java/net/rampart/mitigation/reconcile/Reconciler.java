package net.rampart.mitigation.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationEngine;
import net.rampart.mitigation.lifecycle.MitigationListener;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what every session has announced equal to the desired state: the rules of the engine's
 * active mitigations, which it loaded from the database at start.
 *
 * <p>Changes are pushed at once when the engine makes them ({@link #changed}); the periodic
 * pass ({@link #reconcile}) then expires TTLs and repairs whatever a push missed, a session
 * flap lost or a restart left behind: it re-announces what is missing and withdraws orphans.
 * Both hold one lock, so a pass never sees half of a push.
 */
public final class Reconciler implements MitigationListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final MitigationEngine engine;
    private final Supplier<List<AnnouncementSession>> sessions;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Timer passTimer;
    private final Counter reannounced;
    private final Counter orphansWithdrawn;
    private ScheduledExecutorService scheduler;

    public Reconciler(MitigationEngine engine, Supplier<List<AnnouncementSession>> sessions, Clock clock,
                      MeterRegistry registry) {
        this.engine = engine;
        this.sessions = sessions;
        this.clock = clock;
        this.passTimer = Timer.builder("rampart.mitigation.reconcile.duration")
                .description("Time one reconciliation pass takes").register(registry);
        this.reannounced = Counter.builder("rampart.mitigation.reconcile.announced")
                .description("Rules a reconciliation pass had to announce again").register(registry);
        this.orphansWithdrawn = Counter.builder("rampart.mitigation.reconcile.withdrawn")
                .description("Orphan rules a reconciliation pass withdrew").register(registry);
    }

    /** Runs {@link #reconcile} every {@code interval}, first right away (a restart is repaired at once). */
    public synchronized void start(Duration interval) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mitigation-reconciler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::reconcileLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconcileLogged() {
        try {
            ReconcileReport r = reconcile();
            if (r.expired() > 0 || r.totalAnnounced() > 0 || r.totalWithdrawn() > 0) {
                log.atInfo().addKeyValue("event", "mitigation_reconciled").addKeyValue("expired", r.expired())
                        .addKeyValue("desired", r.desired()).addKeyValue("announced", r.totalAnnounced())
                        .addKeyValue("withdrawn", r.totalWithdrawn()).log("Reconciliation repaired announcements");
            }
        } catch (RuntimeException e) {
            // The next pass tries again; one failure (database away) must not stop the schedule.
            log.atError().addKeyValue("event", "mitigation_reconcile_failed").setCause(e)
                    .log("Reconciliation pass failed");
        }
    }

    /** One pass: expire TTLs, then make every established session carry exactly the desired rules. */
    public ReconcileReport reconcile() {
        long start = System.nanoTime();
        int expired = engine.expire().size();
        lock.lock();
        try {
            Map<FlowMatch, FlowSpecRule> desired = desired(clock.instant());
            Map<String, ReconcileReport.SessionRepair> repairs = new LinkedHashMap<>();
            for (AnnouncementSession s : sessions.get()) {
                if (!s.established()) {
                    continue;
                }
                Set<FlowSpecRule> announced = s.announced();
                List<FlowSpecRule> missing = new ArrayList<>();
                for (FlowSpecRule rule : desired.values()) {
                    if (!announced.contains(rule) && s.carries(rule)) {
                        missing.add(rule);
                    }
                }
                List<FlowSpecRule> orphans = new ArrayList<>();
                for (FlowSpecRule rule : announced) {
                    // Same match with another action is replaced by announcing, not withdrawn.
                    if (!desired.containsKey(rule.match())) {
                        orphans.add(rule);
                    }
                }
                if (!orphans.isEmpty()) {
                    s.withdraw(orphans);
                }
                if (!missing.isEmpty()) {
                    s.announce(missing);
                }
                reannounced.increment(missing.size());
                orphansWithdrawn.increment(orphans.size());
                repairs.put(s.peer(), new ReconcileReport.SessionRepair(missing.size(), orphans.size()));
            }
            return ReconcileReport.of(expired, desired.size(), repairs);
        } finally {
            lock.unlock();
            passTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Map<FlowMatch, FlowSpecRule> desired(Instant now) {
        List<FlowSpecRule> rules = engine.active().desiredRules(now);
        Map<FlowMatch, FlowSpecRule> desired = new HashMap<>(rules.size() * 2);
        for (FlowSpecRule r : rules) {
            desired.put(r.match(), r);
        }
        return desired;
    }

    /** Pushes one engine decision to every established session right away. */
    @Override
    public void changed(Change change, Mitigation before, Mitigation after) {
        if (after.dryRun()) {
            return;
        }
        lock.lock();
        try {
            List<FlowSpecRule> withdraw = new ArrayList<>();
            List<FlowSpecRule> announce = new ArrayList<>();
            boolean stillWanted = after.shouldBeAnnounced(clock.instant());
            if (before != null && (!stillWanted || !before.rule().match().equals(after.rule().match()))) {
                // Another active mitigation may want the same match; then it stays. Such a one has
                // the same destination, so only the victim's mitigations need a look.
                Instant now = clock.instant();
                java.util.Optional<Mitigation> other = engine.active().forVictim(before.victim()).stream()
                        .filter(m -> !m.id().equals(after.id()) && m.shouldBeAnnounced(now)
                                && m.rule().match().equals(before.rule().match()))
                        .findFirst();
                if (other.isPresent()) {
                    // The route stays, with the remaining mitigation's action.
                    announce.add(other.get().rule());
                } else {
                    withdraw.add(before.rule());
                }
            }
            if (stillWanted && (before == null || !before.rule().equals(after.rule()))) {
                announce.add(after.rule());
            }
            if (withdraw.isEmpty() && announce.isEmpty()) {
                return;
            }
            for (AnnouncementSession s : sessions.get()) {
                if (!s.established()) {
                    continue;
                }
                if (!withdraw.isEmpty()) {
                    s.withdraw(withdraw);
                }
                if (!announce.isEmpty()) {
                    s.announce(announce);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the schedule. With {@code withdrawAll} every session withdraws what it announced;
     * without, the routers keep the rules until their hold timers end the sessions.
     */
    public void shutdown(boolean withdrawAll) {
        close();
        if (!withdrawAll) {
            return;
        }
        lock.lock();
        try {
            for (AnnouncementSession s : sessions.get()) {
                if (s.established()) {
                    Set<FlowSpecRule> announced = s.announced();
                    if (!announced.isEmpty()) {
                        s.withdraw(announced);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
