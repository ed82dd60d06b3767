package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.OpaqueNlri;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.detect.route.Detector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which of the RIB's route events the feed queues for the detection thread, and which it counts as judged. */
class DetectionFeedTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final DetectionFeed feed = new DetectionFeed(16, metrics);
    private PathAttributes attributes;
    private PeerKey peer;

    @BeforeEach
    void monitor() throws Exception {
        feed.queueOnly(new Detector(new MonitorsLoader().parse("""
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                  - prefix: 2001:db8::/32
                    origins: [AS64500]
                """, "monitors.yaml"), new Alerts(new InMemoryAlertStore(), 10)).space());
        attributes = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                .asPath(AsPath.sequence(new long[] {64510, 64500})).nextHop(new byte[] {(byte) 198, 51, 100, 1})
                .build();
        peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
    }

    private RouteEvent event(RouteKey key) {
        return new RouteEvent(1_000, new RouterId("r1"), 7, peer, RibView.ADJ_RIB_IN_POST,
                key instanceof Ipv6RouteKey ? Family.IPV6_UNICAST : Family.IPV4_UNICAST, key, attributes);
    }

    private List<RouteEvent> queued() {
        List<RouteEvent> events = new ArrayList<>();
        DetectionFeed.Batch batch;
        while ((batch = feed.poll()) != null) {
            events.addAll(((DetectionFeed.RouteEvents) batch).events());
        }
        return events;
    }

    private double judged() {
        return metrics.get("rampart_detect_observations_total").counter().count();
    }

    @Test
    void queuesTheEventsInMonitoredSpaceInTheirOrderAndCountsTheOthersAsJudged() {
        RouteEvent first = event(Ipv4RouteKey.parse("192.0.2.0/24", 0));
        RouteEvent outside = event(Ipv4RouteKey.parse("203.0.113.0/24", 0));
        RouteEvent second = event(Ipv6RouteKey.parse("2001:db8:1::/48", 0));
        RouteEvent outside6 = event(Ipv6RouteKey.parse("2001:4000::/32", 0));

        feed.onRouteEvents(List.of(first, outside, second, outside6));

        assertThat(queued()).containsExactly(first, second);
        assertThat(judged()).isEqualTo(2);
    }

    @Test
    void aBatchWhollyOutsideQueuesNothing() {
        feed.onRouteEvents(List.of(event(Ipv4RouteKey.parse("203.0.113.0/24", 0)),
                event(Ipv4RouteKey.parse("198.51.100.0/24", 0))));

        assertThat(queued()).isEmpty();
        assertThat(judged()).isEqualTo(2);
    }

    @Test
    void aBatchWhollyInsideIsQueuedAsItIs() {
        List<RouteEvent> inside = List.of(event(Ipv4RouteKey.parse("192.0.2.0/25", 0)),
                event(Ipv4RouteKey.parse("192.0.2.128/25", 0)));

        feed.onRouteEvents(inside);

        assertThat(((DetectionFeed.RouteEvents) feed.poll()).events()).isSameAs(inside);
        assertThat(judged()).isZero();
    }

    @Test
    void routesOfOtherFamiliesAreNeitherQueuedNorCountedAsJudged() {
        RouteEvent inside = event(Ipv4RouteKey.parse("192.0.2.0/24", 0));

        feed.onRouteEvents(List.of(event(new OpaqueNlri(new byte[] {1, 2, 3}, 0)), inside));

        assertThat(queued()).containsExactly(inside);
        assertThat(judged()).isZero();
    }
}
