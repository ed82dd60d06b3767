package net.rampart.server.detect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the RIB's route events to the detection thread through a bounded queue. The collector's
 * path never waits here: the event list itself is queued (the RIB does not reuse it), and when
 * the queue is full the batch is dropped and counted. Drops are not forgotten: the detection
 * thread asks {@link #takeDropped()} once it has caught up, and reads the RIB again to learn
 * what the dropped events said, withdrawals (and so restorations) included.
 */
public final class DetectionFeed implements RouteEventListener {

    private static final Logger log = LoggerFactory.getLogger(DetectionFeed.class);

    private final BlockingQueue<List<RouteEvent>> queue;
    private final int capacity;
    /** Events dropped since the detection thread last caught up; 0 while nothing is lost. */
    private final AtomicLong dropped = new AtomicLong();
    private final Counter droppedTotal;

    /** @param capacity how many batches (one per UPDATE message or peer-down, typically) may wait */
    public DetectionFeed(int capacity, MeterRegistry metrics) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.droppedTotal = Counter.builder("rampart_detect_observations_dropped_total")
                .description("Route events the detection thread could not take in time; the RIB is read again after")
                .register(metrics);
        Gauge.builder("rampart_detect_queue_depth", queue, BlockingQueue::size)
                .description("Batches of route events waiting for the detection thread").register(metrics);
    }

    @Override
    public void onRouteEvents(List<RouteEvent> events) {
        if (queue.offer(events)) {
            return;
        }
        droppedTotal.increment(events.size());
        // One line per overflow: the first drop after the detection thread last caught up.
        if (dropped.getAndAdd(events.size()) == 0) {
            log.atWarn().addKeyValue("event", "detect_queue_full").addKeyValue("capacity", capacity)
                    .log("The detection queue is full; route events are dropped until it catches up, "
                            + "then the detector reads the RIB again");
        }
    }

    /** The next batch, if one is waiting. */
    List<RouteEvent> poll() {
        return queue.poll();
    }

    /** The next batch, waiting up to {@code timeoutMillis}; null when none came. */
    List<RouteEvent> poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** How many events were dropped since the last call; the next drop logs again. */
    long takeDropped() {
        return dropped.getAndSet(0);
    }
}
