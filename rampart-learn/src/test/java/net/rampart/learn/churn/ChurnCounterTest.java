package net.rampart.learn.churn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import org.junit.jupiter.api.Test;

class ChurnCounterTest {
    private static final long T0 = 1_700_000_040_000L; // a minute boundary
    private static final long M0 = UpdateRateSeries.minuteOf(T0);
    private static final RouterId R1 = new RouterId("r1");
    private static final RouterId R2 = new RouterId("r2");
    private static final PeerKey P1 = PeerKey.global(address("192.0.2.1"));
    private static final PeerKey P2 = PeerKey.global(address("2001:db8::2"));
    private static final RouteKey A = Ipv4RouteKey.parse("198.51.100.0/24", 0);
    private static final RouteKey B = Ipv4RouteKey.parse("203.0.113.0/25", 0);
    private static final RouteKey C = Ipv6RouteKey.parse("2001:db8:1::/48", 0);

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static PathAttributes attrs(long... path) {
        return PathAttributes.builder().asPath(AsPath.sequence(path)).nextHop(new byte[] {10, 0, 0, 1}).build();
    }

    private static RouteEvent event(long time, RouterId r, PeerKey p, RouteKey k, PathAttributes a) {
        Family f = k instanceof Ipv6RouteKey ? Family.IPV6_UNICAST : Family.IPV4_UNICAST;
        return new RouteEvent(time, r, 1, p, RibView.ADJ_RIB_IN_PRE, f, k, a);
    }

    private final ChurnCounter counter = new ChurnCounter(60,
            PrefixGroups.covering(Map.of("customers", List.of("198.51.100.0/22"), "v6", List.of("2001:db8::/32"))));

    @Test
    void anAnnouncementEqualToTheRoutesAttributesIsADuplicate() {
        PathAttributes x = attrs(65001, 65002);
        PathAttributes xAgain = attrs(65001, 65002); // equal, but another instance
        PathAttributes y = attrs(65001, 65003);
        counter.onRouteEvents(List.of(
                event(T0, R1, P1, A, x),                 // new route: effective
                event(T0 + 1_000, R1, P1, A, x),         // same instance: duplicate
                event(T0 + 2_000, R1, P1, A, xAgain),    // equal attributes: duplicate
                event(T0 + 3_000, R1, P1, A, y),         // path changed: effective
                event(T0 + 4_000, R1, P1, B, y)));       // another route: effective
        ChurnScope router = ChurnScope.router("r1");
        assertThat(counter.updates(router, M0)).isEqualTo(3);
        assertThat(counter.duplicates(router, M0)).isEqualTo(2);
    }

    @Test
    void aWithdrawalCountsAndAReannouncementAfterItIsNoDuplicate() {
        PathAttributes x = attrs(65001);
        counter.onRouteEvents(List.of(event(T0, R1, P1, A, x)));
        counter.onRouteEvents(List.of(event(T0 + 61_000, R1, P1, A, null)));
        counter.onRouteEvents(List.of(event(T0 + 62_000, R1, P1, A, x), event(T0 + 63_000, R1, P1, A, x)));
        ChurnScope router = ChurnScope.router("r1");
        assertThat(counter.updates(router, M0)).isEqualTo(1);
        assertThat(counter.updates(router, M0 + 1)).isEqualTo(2);
        assertThat(counter.duplicates(router, M0 + 1)).isEqualTo(1);
    }

    @Test
    void routesAreTrackedPerRouterPeerAndFamily() {
        PathAttributes x = attrs(65001);
        List<RouteEvent> events = new ArrayList<>();
        events.add(event(T0, R1, P1, A, x));
        events.add(event(T0, R1, P2, A, x)); // same prefix and attributes from another peer: not a duplicate
        events.add(event(T0, R2, P1, A, x)); // from another router: not a duplicate
        events.add(event(T0, R2, P1, C, x));
        events.add(event(T0, R2, P1, C, x)); // duplicate
        counter.onRouteEvents(events);

        assertThat(counter.updates(ChurnScope.router("r1"), M0)).isEqualTo(2);
        assertThat(counter.updates(ChurnScope.router("r2"), M0)).isEqualTo(2);
        assertThat(counter.duplicates(ChurnScope.router("r2"), M0)).isEqualTo(1);
        assertThat(counter.updates(ChurnScope.peer("r1", "192.0.2.1"), M0)).isEqualTo(1);
        assertThat(counter.updates(ChurnScope.peer("r1", "2001:db8::2"), M0)).isEqualTo(1);
        assertThat(counter.updates(ChurnScope.peer("r2", "192.0.2.1"), M0)).isEqualTo(2);
        assertThat(counter.updates(ChurnScope.prefixGroup("customers"), M0)).isEqualTo(3);
        assertThat(counter.updates(ChurnScope.prefixGroup("v6"), M0)).isEqualTo(1);
        assertThat(counter.duplicates(ChurnScope.prefixGroup("v6"), M0)).isEqualTo(1);
        assertThat(counter.updates(ChurnScope.prefixGroup("nobody"), 0, 1)).isNull();
    }

    @Test
    void eventsFallIntoTheirMinuteAndQuietMinutesAreZero() {
        counter.onRouteEvents(List.of(
                event(T0 + 59_999, R1, P1, A, attrs(1)),
                event(T0 + 60_000, R1, P1, A, attrs(2)),
                event(T0 + 3 * 60_000 + 5, R1, P1, A, attrs(3)),
                event(T0 + 3 * 60_000 + 6, R1, P1, B, attrs(3))));
        assertThat(counter.updates(ChurnScope.router("r1"), M0, 5)).containsExactly(1, 1, 0, 2, 0);
    }

    @Test
    void theRingForgetsMinutesOlderThanItsCapacityAndCountsLateEvents() {
        UpdateRateSeries series = new UpdateRateSeries(3);
        series.record(T0, false);
        series.record(T0 + 60_000, false);
        series.record(T0 + 60_001, true);
        series.record(T0 + 4 * 60_000, false); // moves the ring past M0 and M0+1
        assertThat(series.updates(M0, 5)).containsExactly(0, 0, 0, 0, 1);
        assertThat(series.duplicates(M0 + 1)).isZero();
        series.record(T0 + 60_000, false); // minute M0+1 is no longer held
        assertThat(series.late()).isEqualTo(1);
        series.record(T0 + 2 * 60_000, false); // M0+2 still is
        assertThat(series.updates(M0 + 2)).isEqualTo(1);
        assertThat(series.late()).isEqualTo(1);
    }

    @Test
    void mostSpecificPrefixGroupWins() {
        PrefixGroups groups = PrefixGroups.covering(Map.of(
                "wide", List.of("10.0.0.0/8"), "narrow", List.of("10.1.0.0/16")));
        assertThat(groups.groupOf(Ipv4RouteKey.parse("10.1.2.0/24", 0))).isEqualTo("narrow");
        assertThat(groups.groupOf(Ipv4RouteKey.parse("10.2.0.0/16", 0))).isEqualTo("wide");
        assertThat(groups.groupOf(Ipv4RouteKey.parse("10.0.0.0/7", 0))).isNull();
        assertThat(groups.groupOf(Ipv6RouteKey.parse("2001:db8::/32", 0))).isNull();
    }
}
