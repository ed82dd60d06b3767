package net.rampart.bench.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.history.HistoryUnavailableException;
import net.rampart.collector.history.RouteHistoryWriter;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouterId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryLanesTest {
    @TempDir
    Path dir;

    private static List<RouteEvent> churn(int rounds, int routes) throws Exception {
        PeerKey peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        PathAttributes a = PathAttributes.builder().origin(0).build();
        List<RouteEvent> out = new ArrayList<>();
        long t = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < routes; i++) {
                out.add(new RouteEvent(t++, new RouterId("r"), 1, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        new Ipv4RouteKey(i << 8, 24, 0), r % 2 == 0 ? a : null));
            }
        }
        return out;
    }

    @Test
    void everyRouteKeepsItsOrderAndTheLanesShareTheWork() throws Exception {
        List<List<RouteEvent>> stored = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger writers = new AtomicInteger();
        HistorySettings settings = HistorySettings.defaults(dir).withBatch(50, Duration.ofMillis(10));
        List<RouteEvent> events = churn(10, 200);
        try (HistoryLanes lanes = HistoryLanes.start(3, i -> {
            writers.incrementAndGet();
            return stored::add;
        }, settings, reason -> { })) {
            for (int i = 0; i < events.size(); i += 100) {
                lanes.onRouteEvents(events.subList(i, i + 100));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (lanes.writtenEvents() < events.size()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
        }
        assertThat(writers.get()).isEqualTo(3);
        Map<Integer, List<Long>> perRoute = new HashMap<>();
        synchronized (stored) {
            for (List<RouteEvent> batch : stored) {
                for (RouteEvent e : batch) {
                    perRoute.computeIfAbsent(((Ipv4RouteKey) e.key()).address(), k -> new ArrayList<>())
                            .add(e.timeMillis());
                }
            }
        }
        assertThat(perRoute).hasSize(200);
        perRoute.values().forEach(times -> assertThat(times).hasSize(10).isSorted());
        int[] perLane = new int[3];
        for (RouteEvent e : events.subList(0, 200)) {
            perLane[HistoryLanes.laneOf(e, 3)]++;
        }
        assertThat(java.util.Arrays.stream(perLane).min().orElseThrow()).isGreaterThan(30);
    }

    @Test
    void theLaneCountCannotChangeWhileTheSpoolHoldsEvents() throws Exception {
        HistorySettings settings = HistorySettings.defaults(dir).withBatch(10, Duration.ofMillis(10))
                .withQueueCapacity(10).withBackoff(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50));
        RouteHistoryWriter down = events -> {
            throw new HistoryUnavailableException("down", null);
        };
        try (HistoryLanes lanes = HistoryLanes.start(2, i -> down, settings, reason -> { })) {
            lanes.onRouteEvents(churn(1, 100));
        }
        assertThatThrownBy(() -> HistoryLanes.start(3, i -> down, settings, reason -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 lanes");
    }
}
