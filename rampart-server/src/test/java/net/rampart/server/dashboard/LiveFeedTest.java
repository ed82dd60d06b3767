package net.rampart.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.PeerKey;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final LiveFeed feed = new LiveFeed(new ObjectMapper(), Duration.ofSeconds(5), metrics);

    @Test
    void anEventIsEncodedOnceAsOneServerSentEventForEveryClient() {
        BlockingQueue<String> a = feed.subscribe();
        BlockingQueue<String> b = feed.subscribe();

        feed.publish("peer", Map.of("up", true));

        assertThat(a.poll()).isEqualTo("event: peer\ndata: {\"up\":true}\n\n");
        assertThat(b.poll()).isEqualTo("event: peer\ndata: {\"up\":true}\n\n");
    }

    @Test
    void aClientTooSlowToKeepUpIsDroppedAndToldSo() {
        BlockingQueue<String> slow = feed.subscribe();
        BlockingQueue<String> fast = feed.subscribe();

        for (int i = 0; i < LiveFeed.QUEUE; i++) {
            feed.publish("overview", Map.of("n", i));
            fast.poll();
        }

        assertThat(feed.clients()).isEqualTo(1);
        assertThat(metrics.counter("rampart.http.stream.dropped").count()).isEqualTo(1);
        List<String> left = new ArrayList<>();
        slow.drainTo(left);
        assertThat(left).as("its backlog is discarded; only the end is left").hasSize(1);
        assertThat(LiveFeed.isEnd(left.get(0))).isTrue();
    }

    @Test
    void stoppingEndsEveryClient() {
        BlockingQueue<String> client = feed.subscribe();
        feed.publish("router", Map.of("router", "r1"));

        feed.stopping();

        assertThat(client).hasSize(1);
        assertThat(LiveFeed.isEnd(client.peek())).isTrue();
    }

    @Test
    void routerChangesGoToTheHistoryAndToTheClients() {
        List<RouterRecord> recorded = new ArrayList<>();
        SessionEvents history = new SessionEvents() {
            @Override
            public void routerChanged(RouterRecord router) {
                recorded.add(router);
            }

            @Override
            public void peerChanged(PeerKey key, PeerRecord peer) {
            }

            @Override
            public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                                    NotificationMessage notification) {
            }

            @Override
            public void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics) {
            }
        };
        BlockingQueue<String> client = feed.subscribe();
        RouterRecord router = new RouterRecord("r1", RouterRecord.BMP, "192.0.2.1", "edge1", "", Instant.EPOCH,
                Instant.EPOCH, false, "administratively closed");

        feed.following(history).routerChanged(router);

        assertThat(recorded).containsExactly(router);
        assertThat(client.poll()).isEqualTo("event: router\ndata: "
                + "{\"router\":\"r1\",\"connected\":false,\"termination_reason\":\"administratively closed\"}\n\n");
    }

    @Test
    void theOverviewHoldsEveryCounterByName() {
        feed.counter("routes", () -> 42L);
        feed.counter("peers_up", () -> 3);

        assertThat(feed.overview()).containsEntry("routes", 42L).containsEntry("peers_up", 3).containsKey("time");
    }

    @Test
    void samplersRunOnEveryTickEvenWithNoClient() throws Exception {
        var samples = new java.util.concurrent.CountDownLatch(2);
        LiveFeed fast = new LiveFeed(new ObjectMapper(), Duration.ofMillis(10), new SimpleMeterRegistry());
        fast.onTick(samples::countDown);
        fast.start();
        try {
            assertThat(samples.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            fast.stop(Duration.ofSeconds(1));
        }
    }
}
