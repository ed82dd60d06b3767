package net.rampart.kafka;

import java.time.Instant;
import java.util.List;
import java.util.function.LongConsumer;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;

/**
 * Stands between the collector and the database for a consumer of the raw topic. While the
 * consumer is {@linkplain #quiet quiet} (rebuilding a router's RIB from frames whose history is
 * stored already, or letting go of routers another member takes over), the route and session
 * events it causes reach the RIB and everything in memory, but not the store. Of the frame where
 * history ends, it {@linkplain #skip skips} the events history holds. And it notes the numbers
 * history gives the route events of each frame ({@link Numbers}), so the consumer can tell
 * how far history has got in the topic.
 *
 * <p>The RIB and the inventory call listeners on the thread that applied the change, so only the
 * consumer thread's events are filtered and noted; events of other threads (an MRT import) go
 * to the store as they are.
 */
public final class ReplayFilter {

    /** Route history, numbering the events it accepts (see {@code HistoryRecorder#record}). */
    @FunctionalInterface
    public interface NumberingHistory {
        /**
         * @param numbered told the first event's number before history's writer can take any of
         *                 the events; not called when they are not accepted
         */
        void record(List<RouteEvent> events, LongConsumer numbered);
    }

    /** Where the numbers of the reader's recorded events are noted. */
    interface Numbers {
        void recorded(long first, int count);
    }

    private volatile Thread reader;
    // The rest is the reader thread's alone.
    private Numbers numbers;
    private boolean quiet;
    private long skip;

    /** Makes {@code thread} the one whose events are filtered, and whose recorded events' numbers go to {@code numbers}. */
    void readOn(Thread thread, Numbers numbers) {
        this.numbers = numbers;
        reader = thread;
    }

    /** Whether the reader's events from now on are kept out of the store. */
    void quiet(boolean on) {
        quiet = on;
    }

    /** Keeps the reader's next {@code events} route events out of route history. */
    void skip(long events) {
        skip = events;
    }

    private boolean onReader() {
        return Thread.currentThread() == reader;
    }

    /** Route history behind the filter. */
    public RouteEventListener routeEvents(NumberingHistory history) {
        return new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> events) {
                if (!onReader()) {
                    history.record(events, first -> { });
                    return;
                }
                if (quiet) {
                    return;
                }
                List<RouteEvent> rest = events;
                if (skip > 0) {
                    if (skip >= events.size()) {
                        skip -= events.size();
                        return;
                    }
                    rest = events.subList((int) skip, events.size());
                    skip = 0;
                }
                int count = rest.size();
                // Noted before the writer can take the events: a batch never holds events whose frame does not say so.
                history.record(rest, first -> numbers.recorded(first, count));
            }
        };
    }

    private boolean passes() {
        return !(quiet && onReader());
    }

    /** The inventory's store behind the filter. */
    public SessionEvents sessionEvents(SessionEvents store) {
        return new SessionEvents() {
            @Override
            public void routerChanged(RouterRecord router) {
                if (passes()) {
                    store.routerChanged(router);
                }
            }

            @Override
            public void peerChanged(PeerKey key, PeerRecord peer) {
                if (passes()) {
                    store.peerChanged(key, peer);
                }
            }

            @Override
            public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                                    NotificationMessage notification) {
                if (passes()) {
                    store.peerSession(key, peer, time, up, reason, notification);
                }
            }

            @Override
            public void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics) {
                if (passes()) {
                    store.statistics(router, key, time, statistics);
                }
            }
        };
    }
}
