package net.rampart.collector.bmp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/**
 * Every router's counters, and the periodic statistics line: per router, what was received and
 * processed since the last line, by family, and the throughput.
 */
public final class CollectorStatistics {

    private static final Logger log = LoggerFactory.getLogger(CollectorStatistics.class);
    private static final List<String> FAMILIES = List.of("ipv4", "ipv6", "evpn", "other");

    private final List<RouterCounters> routers = new CopyOnWriteArrayList<>();
    /** Counts of sessions that have ended, so that totals never go down. */
    private final RouterCounters ended = new RouterCounters("ended sessions");
    private final Map<RouterCounters, long[]> lastReported = new HashMap<>();
    private long lastReportNanos = System.nanoTime();

    public RouterCounters register(String router) {
        var counters = new RouterCounters(router);
        routers.add(counters);
        return counters;
    }

    public List<RouterCounters> routers() {
        return List.copyOf(routers);
    }

    /** A count over every session since start, ended ones included. */
    public synchronized long total(ToLongFunction<RouterCounters> count) {
        long sum = count.applyAsLong(ended);
        for (RouterCounters counters : routers) {
            sum += count.applyAsLong(counters);
        }
        return sum;
    }

    /** Logs one line per router with the change since the previous call, then forgets closed routers. */
    public synchronized void report() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastReportNanos) / 1e9);
        lastReportNanos = now;
        for (RouterCounters counters : routers) {
            long[] current = snapshot(counters);
            long[] previous = lastReported.getOrDefault(counters, new long[current.length]);
            lastReported.put(counters, current);
            var line = log.atInfo().addKeyValue("event", "bmp_statistics")
                    .addKeyValue("router", counters.router())
                    .addKeyValue("received", current[0] - previous[0])
                    .addKeyValue("processed", current[1] - previous[1])
                    .addKeyValue("parse_errors", current[2] - previous[2]);
            long routes = 0;
            for (int i = 0; i < FAMILIES.size(); i++) {
                long delta = current[3 + i] - previous[3 + i];
                routes += delta;
                line = line.addKeyValue(FAMILIES.get(i), delta);
            }
            line.addKeyValue("messages_per_second", Math.round((current[1] - previous[1]) / seconds))
                    .addKeyValue("routes_per_second", Math.round(routes / seconds))
                    .log("BMP statistics");
            if (counters.isClosed()) {
                ended.absorb(counters);
                routers.remove(counters);
                lastReported.remove(counters);
            }
        }
    }

    private static long[] snapshot(RouterCounters counters) {
        return new long[] {counters.messagesReceived(), counters.messagesProcessed(), counters.parseErrors(),
                counters.routes("ipv4"), counters.routes("ipv6"), counters.routes("evpn"), counters.routes("other")};
    }
}
