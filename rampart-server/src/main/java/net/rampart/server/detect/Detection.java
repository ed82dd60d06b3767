package net.rampart.server.detect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.config.FileChangeWatcher;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.route.Detector;
import net.rampart.detect.route.MonitoredSpace;
import net.rampart.detect.route.RouteObservation;
import net.rampart.detect.route.RpkiValidator;
import net.rampart.detect.route.SuppressedRoute;
import net.rampart.rpki.RpkiView;
import net.rampart.server.Component;
import net.rampart.server.SighupReload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detection thread: takes the route events {@link DetectionFeed} queued, converts them and
 * feeds them to the {@link Detector}, with the routes RIS Live sent, when it is on; builds a new
 * detector from the RIB (and RIS Live's current routes) at start, when the monitors file changes
 * and after the feed dropped events; has the detector judge the monitored routes again when a new
 * VRP view comes into force, and tells it of the passing time, for the flap detector, on every
 * pass. Everything the detector does happens on this one thread.
 *
 * <p>A new detector is fed every unicast route the RIB holds, then each alert still active is
 * checked against it: one whose condition the current routes no longer show is resolved, with a
 * notice saying why (the monitors changed, or routes were dropped and read again). Its other
 * alerts gain the replayed routes as evidence. The first detector does the same for the alerts
 * stored before a restart: one still shown stays the same alert (nobody is told it opened
 * again), the others are resolved. Events queued before a rebuild are applied after it; they are
 * older than the RIB the detector read, so an alert they open is resolved again by the events
 * behind them.
 */
public final class Detection implements Component {

    /** Alert types that other detectors raise and resolve: a rebuild of this one leaves them be. */
    private static final Set<AlertType> RESOLVED_ELSEWHERE = EnumSet.of(AlertType.CHURN_ANOMALY,
            AlertType.FLAP_PREDICTED);

    private static final Logger log = LoggerFactory.getLogger(Detection.class);
    /** How long the thread waits for route events before it looks for a monitors change again. */
    private static final long POLL_MILLIS = 200;
    /** How long after the last batch the thread still counts routes as coming (see {@link #run()}). */
    private static final long BUSY_NANOS = 50_000_000;
    /** How long the thread pauses, routes coming, when it finds the queue empty: the latency it adds then. */
    private static final long BUSY_PAUSE_NANOS = 1_000_000;
    /** How many batches the thread takes from the queue at once (see {@link DetectionFeed#drainTo}). */
    private static final int DRAIN_BATCHES = 1024;
    static final String MONITORS_CHANGED = "resolved: the monitors changed, and the current routes do not show it "
            + "under the new ones";
    /** The first detector after a start meets the alerts stored before it: the routes may have changed meanwhile. */
    static final String STARTED = "resolved: at start, the current routes do not show it";

    private final Rib rib;
    private final Supplier<List<RouteObservation>> outsideRib;
    private final DetectionFeed feed;
    private final MonitorsFile monitors;
    private final Alerts alerts;
    private final Clock clock;
    private final RouteEventObservations observations;
    /** Batches taken from the queue and not yet applied; used by the detection thread only. */
    private final List<DetectionFeed.Batch> drained = new ArrayList<>(DRAIN_BATCHES);
    private final RpkiValidator rpki;
    /** Set when a new VRP view came into force; the detection thread judges the routes again. */
    private final AtomicBoolean vrpsChanged = new AtomicBoolean();
    /** Monitors waiting to be put in force by the detection thread. */
    private final AtomicReference<Monitors> pending;
    private final Counter observed;
    /** The flap detector's suppressed routes after the detection thread's last look, for the API. */
    private volatile List<SuppressedRoute> suppressed = List.of();
    /** Detection thread only. */
    private Detector detector;
    private Monitors inForce;
    private volatile boolean running;
    private Thread thread;
    private FileChangeWatcher watcher;
    private Runnable sighup;

    /** Detection without RPKI: no route is validated, so no RPKI alert is raised. */
    public Detection(Rib rib, DetectionFeed feed, MonitorsFile monitors, Alerts alerts, Clock clock,
                     MeterRegistry metrics) {
        this(rib, feed, monitors, alerts, clock, metrics, List::of);
    }

    /**
     * Detection without RPKI, with routes from outside the RIB.
     *
     * @param outsideRib the current routes of the feeds outside the RIB (RIS Live), read with the
     *                   RIB's whenever a new detector is built
     */
    public Detection(Rib rib, DetectionFeed feed, MonitorsFile monitors, Alerts alerts, Clock clock,
                     MeterRegistry metrics, Supplier<List<RouteObservation>> outsideRib) {
        this(rib, feed, monitors, alerts, clock, metrics, outsideRib, RpkiValidator.NONE);
    }

    /**
     * Detection that validates each route against the VRP view {@code vrps} gives when the
     * detector takes the route (null or empty before any VRPs are loaded: nothing validated).
     */
    public static Detection validating(Rib rib, DetectionFeed feed, MonitorsFile monitors, Alerts alerts, Clock clock,
                                       MeterRegistry metrics, Supplier<List<RouteObservation>> outsideRib,
                                       Supplier<RpkiView> vrps) {
        return new Detection(rib, feed, monitors, alerts, clock, metrics, outsideRib, new VrpValidity(vrps));
    }

    private Detection(Rib rib, DetectionFeed feed, MonitorsFile monitors, Alerts alerts, Clock clock,
                      MeterRegistry metrics, Supplier<List<RouteObservation>> outsideRib, RpkiValidator rpki) {
        this.observations = new RouteEventObservations(rpki);
        this.rpki = rpki;
        this.rib = rib;
        this.outsideRib = outsideRib;
        this.feed = feed;
        this.monitors = monitors;
        this.alerts = alerts;
        this.clock = clock;
        // The first catch-up builds the detector from the RIB: routes restored at start are not
        // route events, and the collector may have filled the RIB before this thread started.
        this.pending = new AtomicReference<>(monitors.current().monitors());
        this.observed = feed.judged();
        AlertGauges.register(alerts, metrics);
    }

    public Alerts alerts() {
        return alerts;
    }

    public MonitorsFile monitors() {
        return monitors;
    }

    /** The routes the flap detector holds suppressed, as of the detection thread's last pass (at most 200 ms old). */
    public List<SuppressedRoute> suppressedRoutes() {
        return suppressed;
    }

    @Override
    public String name() {
        return "detection";
    }

    @Override
    public void start() throws IOException {
        running = true;
        thread = Thread.ofPlatform().name("detection").start(this::run);
        watcher = new FileChangeWatcher(List.of(monitors.path()), "monitors-file-watcher", () -> reload("file_change"));
        sighup = () -> reload("sighup");
        SighupReload.install(sighup);
    }

    @Override
    public void stop(Duration drain) throws IOException, InterruptedException {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        if (sighup != null) {
            SighupReload.remove(sighup);
        }
        if (thread != null) {
            thread.interrupt();
            thread.join(drain);
        }
    }

    @Override
    public boolean isReady() {
        return running && thread != null && thread.isAlive();
    }

    /**
     * A new VRP view came into force (called on the RPKI thread that made it): the detection
     * thread judges the monitored routes against it and looks for monitored prefixes that lost
     * a VRP, on its next pass.
     */
    public void vrpsChanged() {
        vrpsChanged.set(true);
    }

    /**
     * Reads the monitors file again; when it is good, the detection thread puts it in force with
     * a new detector. A bad file leaves the running monitors in force.
     */
    public MonitorsFile.ReloadResult reload(String trigger) {
        MonitorsFile.ReloadResult result = monitors.reload(trigger);
        if (result.applied()) {
            pending.set(monitors.current().monitors());
        }
        return result;
    }

    /**
     * Waits on the queue only once no batch came for {@link #BUSY_NANOS}; until then, finding the
     * queue empty, the thread pauses {@link #BUSY_PAUSE_NANOS} and looks again. A thread blocked
     * on the queue has the collector wake it for every batch (one UPDATE, a few routes), and while
     * a full table loads that wake-up, not the judging, is what the collector's thread pays most
     * for; pausing instead lets the batches of a millisecond gather and be judged together, at
     * the cost of that millisecond of latency while routes keep coming.
     */
    private void run() {
        try {
            long lastBatch = System.nanoTime() - BUSY_NANOS;
            catchUpOrLog();
            while (running) {
                boolean busy = System.nanoTime() - lastBatch < BUSY_NANOS;
                DetectionFeed.Batch batch = busy ? feed.poll() : feed.poll(POLL_MILLIS);
                if (batch != null) {
                    lastBatch = System.nanoTime();
                    apply(batch);
                } else if (busy) {
                    LockSupport.parkNanos(BUSY_PAUSE_NANOS);
                }
                catchUpOrLog();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bug met while building a detector must not end detection: the running detector stays. */
    private void catchUpOrLog() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            log.atError().addKeyValue("event", "detect_failed").setCause(e)
                    .log("Building a detector from the RIB failed; the running one stays");
        }
    }

    /**
     * Does, on the calling thread, all that is waiting: a monitors change, every queued batch, a
     * new reading of the RIB if events were dropped, and the passing of time for the flap
     * detector (routes whose figure of merit decayed become reusable). The detection thread
     * calls it in a loop, at least every 200 ms;
     * tests call it in its place, so that they need not wait for another thread.
     */
    public void catchUp() {
        while (true) {
            Monitors next = pending.getAndSet(null);
            if (next != null) {
                rebuild(next, detector == null ? STARTED : MONITORS_CHANGED);
            }
            if (feed.drainTo(drained, DRAIN_BATCHES) == 0) {
                break;
            }
            try {
                for (int i = 0; i < drained.size(); i++) {
                    apply(drained.get(i));
                }
            } finally {
                drained.clear();
            }
        }
        long dropped = feed.takeDropped();
        if (dropped > 0) {
            log.atWarn().addKeyValue("event", "detect_resync").addKeyValue("dropped", dropped)
                    .log("The detection queue overflowed; the detector reads the RIB again");
            rebuild(inForce, "resolved: the current routes, read again from the RIB after " + dropped
                    + " route changes were dropped, do not show it");
        }
        if (detector != null && vrpsChanged.getAndSet(false)) {
            detector.vrpsChanged(rpki, clock.millis());
        }
        if (detector != null) {
            detector.tick(clock.millis());
            suppressed = detector.suppressedRoutes();
        }
    }

    private void apply(DetectionFeed.Batch batch) {
        switch (batch) {
            case DetectionFeed.RouteEvents events -> judge(events.events());
            case DetectionFeed.Observations outside -> judgeOutside(validated(outside.routes()));
        }
    }

    /** Routes from outside the RIB (RIS Live), already observations, judged as one batch. */
    private void judgeOutside(List<RouteObservation> routes) {
        try {
            detector.observe(routes);
        } catch (RuntimeException e) {
            // A bug in a check must not stop detection for every other route.
            log.atError().addKeyValue("event", "detect_failed").setCause(e)
                    .log("The detector failed on a batch of route changes; the batch is skipped");
        }
        observed.increment(routes.size());
    }

    /**
     * The collector's route changes, each converted only when it concerns the monitors and judged
     * before the next is asked about: a withdrawal concerns the detector when a route judged just
     * before made it hold the prefix. Every IP unicast change counts as judged, those that concern
     * no monitor included.
     */
    private void judge(List<RouteEvent> events) {
        long unicast = 0;
        try {
            for (int i = 0; i < events.size(); i++) {
                RouteEvent e = events.get(i);
                if (e.key() instanceof Ipv4RouteKey || e.key() instanceof Ipv6RouteKey) {
                    unicast++;
                }
                RouteObservation route = observations.ofConcerning(detector, e.timeMillis(), e.router(), e.peer(),
                        e.view(), e.key(), e.attributes());
                if (route != null) {
                    detector.observe(route);
                }
            }
        } catch (RuntimeException e) {
            // A bug in a check must not stop detection for every other route.
            log.atError().addKeyValue("event", "detect_failed").setCause(e)
                    .log("The detector failed on a batch of route changes; the rest of the batch is skipped");
        }
        observed.increment(unicast);
    }

    /** A new detector for {@code next}, fed the RIB's routes; alerts it does not show are resolved with {@code notice}. */
    private void rebuild(Monitors next, String notice) {
        // Every event is queued while the RIB is read: one left out before then changed the RIB
        // before it was read, and whichever detector runs after the rebuild, the new one or (if
        // building it fails) the running one, misses none it needs.
        feed.queueOnly(MonitoredSpace.EVERYWHERE);
        try {
            build(next, notice);
        } finally {
            feed.queueOnly(detector == null ? MonitoredSpace.EVERYWHERE : detector.space());
        }
    }

    private void build(Monitors next, String notice) {
        long begin = System.nanoTime();
        Detector fresh = new Detector(next, alerts);
        if (detector != null) {
            // Before the replay, so that the RIB's routes meet their flap histories and cost nothing.
            fresh.takeOverHistory(detector);
        }
        long replayed = replay(fresh);
        fresh.routesReplayed();
        long now = clock.millis();
        int resolved = 0;
        for (Alert alert : alerts.all()) {
            // Churn anomalies and flap predictions are their own detectors', which resolve them;
            // routes do not show them.
            if (alert.state().active() && !RESOLVED_ELSEWHERE.contains(alert.type()) && !fresh.stillShows(alert)) {
                alerts.resolve(alert.key(), now, notice);
                resolved++;
            }
        }
        detector = fresh;
        inForce = next;
        log.atInfo().addKeyValue("event", "detector_built").addKeyValue("routes", replayed)
                .addKeyValue("alerts_resolved", resolved)
                .addKeyValue("duration_ms", Duration.ofNanos(System.nanoTime() - begin).toMillis())
                .log("Detector built from the RIB");
    }

    /** Feeds {@code fresh} every IP unicast route of the RIB, one table at a time, then those of the feeds outside it. */
    private long replay(Detector fresh) {
        long[] count = {0};
        rib.forEachTable((router, peer, view, family, table) -> {
            if (!family.equals(Family.IPV4_UNICAST) && !family.equals(Family.IPV6_UNICAST)) {
                return;
            }
            List<RouteObservation> routes = new ArrayList<>(table.size());
            // Converted under the table's read lock, judged after it: the detector takes its time.
            table.read((key, attributes, lastChangeSeconds) -> {
                // Asked under the read lock, before the table's earlier routes are judged: safe, as a
                // table names each prefix of a vantage point once, and the detector holds nothing of
                // that vantage point before it.
                count[0]++;
                RouteObservation route = observations.ofConcerning(fresh,
                        Integer.toUnsignedLong(lastChangeSeconds) * 1000, router, peer, view, key, attributes);
                if (route != null) {
                    routes.add(route);
                }
            });
            fresh.observe(routes);
        });
        List<RouteObservation> outside = validated(outsideRib.get());
        fresh.observe(outside);
        count[0] += outside.size();
        observed.increment(count[0]);
        return count[0];
    }

    /**
     * Routes from outside the RIB (RIS Live), validated against the VRPs in force now, as the
     * RIB's routes are when they are converted.
     */
    private List<RouteObservation> validated(List<RouteObservation> routes) {
        if (rpki == RpkiValidator.NONE) {
            return routes;
        }
        List<RouteObservation> out = new ArrayList<>(routes.size());
        for (int i = 0; i < routes.size(); i++) {
            RouteObservation r = routes.get(i);
            out.add(r.withdrawn() ? r : r.withValidity(rpki.validity(r.prefix(), r.asPath(), r.originIsAsSet())));
        }
        return out;
    }
}
