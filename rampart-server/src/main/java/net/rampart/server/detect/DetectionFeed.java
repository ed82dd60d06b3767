package net.rampart.server.detect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.detect.route.MonitoredSpace;
import net.rampart.detect.route.RouteObservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the RIB's route events, and the routes of feeds outside the RIB (RIS Live), to the
 * detection thread through one bounded queue, so that the detector sees them in the order they
 * came. The collector's path never waits here: the event list itself is queued (the RIB does not
 * reuse it) in a small wrapper saying what it holds, and when the queue is full the batch is
 * dropped and counted. Drops are not forgotten: the detection
 * thread asks {@link #takeDropped()} once it has caught up, and reads the RIB again to learn
 * what the dropped events said, withdrawals (and so restorations) included; a feed outside the
 * RIB keeps its current routes itself for that reading ({@link RisLiveRoutes}).
 *
 * <p>Only the route events that may concern the detector in force are queued: those that lie in
 * its {@link MonitoredSpace}. The others, most of a full table, are counted as judged on the
 * collector's thread, which asks a bitmap in its own cache, and the detection thread never reads
 * them.
 */
public final class DetectionFeed implements RouteEventListener {

    private static final Logger log = LoggerFactory.getLogger(DetectionFeed.class);

    /** One batch for the detection thread: the RIB's route events, or observations of another feed. */
    sealed interface Batch {
    }

    record RouteEvents(List<RouteEvent> events) implements Batch {
    }

    record Observations(List<RouteObservation> routes) implements Batch {
    }

    private final BlockingQueue<Batch> queue;
    private final int capacity;
    /** Events dropped since the detection thread last caught up; 0 while nothing is lost. */
    private final AtomicLong dropped = new AtomicLong();
    private final Counter droppedTotal;
    private final Counter judged;
    /** Where the route events lie that the detector in force may need; every event until the first detector. */
    private volatile MonitoredSpace space = MonitoredSpace.EVERYWHERE;

    /** @param capacity how many batches (one per UPDATE message or peer-down, typically) may wait */
    public DetectionFeed(int capacity, MeterRegistry metrics) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.droppedTotal = Counter.builder("rampart_detect_observations_dropped_total")
                .description("Route events the detection thread could not take in time; the RIB is read again after")
                .register(metrics);
        this.judged = Counter.builder("rampart_detect_observations_total")
                .description("IP unicast route changes the detector has judged, RIB replays included, and those"
                        + " outside its monitored space, let go on the collector's thread")
                .register(metrics);
        Gauge.builder("rampart_detect_queue_depth", queue, BlockingQueue::size)
                .description("Batches of route events (and of RIS Live routes) waiting for the detection thread").register(metrics);
    }

    /** Queues only the events that lie in {@code next} from now on. */
    void queueOnly(MonitoredSpace next) {
        space = next;
    }

    /** Counts IP unicast route changes judged, on the detection thread or here. */
    Counter judged() {
        return judged;
    }

    @Override
    public void onRouteEvents(List<RouteEvent> events) {
        MonitoredSpace in = space;
        if (in == MonitoredSpace.EVERYWHERE) {
            offer(new RouteEvents(events), events.size());
            return;
        }
        // The events to queue: the list itself while every event so far may concern the detector
        // (a one-route update in monitored space costs no copy), null while none does.
        List<RouteEvent> kept = events;
        int outside = 0;
        for (int i = 0; i < events.size(); i++) {
            RouteEvent e = events.get(i);
            boolean unicast = true;
            boolean mayConcern;
            if (e.key() instanceof Ipv4RouteKey k) {
                mayConcern = in.mayConcern(true, k.high());
            } else if (e.key() instanceof Ipv6RouteKey k) {
                mayConcern = in.mayConcern(false, k.high());
            } else {
                // The monitors name IP prefixes only; nor is such a change counted as judged.
                unicast = false;
                mayConcern = false;
            }
            if (!mayConcern) {
                if (unicast) {
                    outside++;
                }
                if (kept == events) {
                    kept = i == 0 ? null : new ArrayList<>(events.subList(0, i));
                }
            } else if (kept != events) {
                if (kept == null) {
                    kept = new ArrayList<>();
                }
                kept.add(e);
            }
        }
        if (outside > 0) {
            judged.increment(outside);
        }
        if (kept != null && !kept.isEmpty()) {
            offer(new RouteEvents(kept), kept.size());
        }
    }

    /** Routes of a feed outside the RIB; the list is queued as it is, so the caller must not change it. */
    void onObservations(List<RouteObservation> routes) {
        offer(new Observations(routes), routes.size());
    }

    private void offer(Batch batch, int size) {
        if (queue.offer(batch)) {
            return;
        }
        droppedTotal.increment(size);
        // One line per overflow: the first drop after the detection thread last caught up.
        if (dropped.getAndAdd(size) == 0) {
            log.atWarn().addKeyValue("event", "detect_queue_full").addKeyValue("capacity", capacity)
                    .log("The detection queue is full; route events are dropped until it catches up, "
                            + "then the detector reads the RIB again");
        }
    }

    /** The next batch, if one is waiting. */
    Batch poll() {
        return queue.poll();
    }

    /**
     * Moves up to {@code max} waiting batches to {@code into}, in order, under one lock: while a
     * table loads, the collector's threads then meet the detection thread on the queue's lock
     * once per drain rather than once per batch. Returns how many were moved.
     */
    int drainTo(List<Batch> into, int max) {
        return queue.drainTo(into, max);
    }

    /** The next batch, waiting up to {@code timeoutMillis}; null when none came. */
    Batch poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** How many events were dropped since the last call; the next drop logs again. */
    long takeDropped() {
        return dropped.getAndSet(0);
    }
}
