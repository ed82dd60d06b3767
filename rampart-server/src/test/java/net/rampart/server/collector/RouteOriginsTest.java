package net.rampart.server.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.RouteOriginState;
import org.junit.jupiter.api.Test;

/**
 * Origin states of the RIB's routes against VRP views built in memory: the state of one route,
 * the per-peer counts the API and metrics show, and re-validation when the VRPs change.
 */
class RouteOriginsTest {

    private static final RouterId ROUTER = new RouterId("r1");
    private static final PeerKey P1 = PeerKey.global(address("198.51.100.1"));
    private static final PeerKey P2 = PeerKey.global(address("198.51.100.2"));

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouteOrigins origins = new RouteOrigins(rib, metrics);

    /** An IP literal, which InetAddress reads without any lookup. */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static PathAttributes path(long... asns) {
        return PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(asns))
                .nextHop(new byte[] {(byte) 198, 51, 100, 1}).build();
    }

    private static RpkiView view(int serial, Vrp... vrps) {
        RpkiSnapshot snapshot = RpkiSnapshot.of(VrpSet.of(List.of(vrps)), List.of(), List.of());
        return RpkiView.of(new SnapshotHistory.Version(1, serial, snapshot, Instant.EPOCH));
    }

    private void announce(PeerKey peer, RibView view, Family family, PathAttributes attributes, RouteKey... keys) {
        rib.apply(ROUTER, peer, view, RouteUpdate.announce(1, family, attributes, List.of(keys)));
    }

    private double gauge(String state) {
        return metrics.get("rampart.rib.routes.rpki").tag("state", state).gauge().value();
    }

    @Test
    void withoutVrpsEveryIpRouteIsNotFoundAndOtherRoutesHaveNoState() {
        assertThat(origins.stateOf(Ipv4RouteKey.parse("10.1.0.0/16", 0), path(65010)))
                .isEqualTo(RouteOriginState.NOT_FOUND);
        assertThat(origins.stateOf(Ipv6RouteKey.parse("2001:db8::/32", 0), path(65010)))
                .isEqualTo(RouteOriginState.NOT_FOUND);
        // A VPN route has an IP prefix, but RFC 6811 validates only plain unicast ones.
        assertThat(origins.stateOf(new LabeledPrefix(65000L << 32 | 1, Ipv4RouteKey.parse("10.1.0.0/16", 0),
                new int[] {100}, 0), path(65010))).isNull();
    }

    @Test
    void theStateOfARouteFollowsRfc6811() {
        origins.follow(view(1, Vrp.parse("10.0.0.0/8", 16, 65010), Vrp.parse("2001:db8::/32", 48, 65010)));

        assertThat(origins.stateOf(Ipv4RouteKey.parse("10.1.0.0/16", 0), path(65001, 65010)))
                .isEqualTo(RouteOriginState.VALID);
        assertThat(origins.stateOf(Ipv4RouteKey.parse("10.1.0.0/16", 0), path(65001, 65020)))
                .as("covered, another origin").isEqualTo(RouteOriginState.INVALID);
        assertThat(origins.stateOf(Ipv4RouteKey.parse("10.1.2.0/24", 0), path(65010)))
                .as("longer than the max length").isEqualTo(RouteOriginState.INVALID);
        assertThat(origins.stateOf(Ipv4RouteKey.parse("192.0.2.0/24", 0), path(65010)))
                .as("no VRP covers it").isEqualTo(RouteOriginState.NOT_FOUND);
        assertThat(origins.stateOf(Ipv6RouteKey.parse("2001:db8:1::/48", 0), path(65010)))
                .isEqualTo(RouteOriginState.VALID);
        // An empty path has no origin (RFC 6811 "NONE"), which no VRP matches.
        assertThat(origins.stateOf(Ipv4RouteKey.parse("10.1.0.0/16", 0), PathAttributes.builder().build()))
                .isEqualTo(RouteOriginState.INVALID);
    }

    @Test
    void countsMergeAPeersTwoFamiliesIntoOneRowPerView() {
        announce(P1, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, path(65001, 65010),
                Ipv4RouteKey.parse("10.1.0.0/16", 0), Ipv4RouteKey.parse("10.1.2.0/24", 0),
                Ipv4RouteKey.parse("192.0.2.0/24", 0));
        announce(P1, RibView.ADJ_RIB_IN_PRE, Family.IPV6_UNICAST, path(65001, 65010),
                Ipv6RouteKey.parse("2001:db8:1::/48", 0));
        announce(P2, RibView.LOC_RIB, Family.IPV4_UNICAST, path(65002, 65020), Ipv4RouteKey.parse("10.1.0.0/16", 0));

        origins.follow(view(1, Vrp.parse("10.0.0.0/8", 16, 65010), Vrp.parse("2001:db8::/32", 48, 65010)));

        List<RouteOrigins.PeerCounts> counts = origins.countByPeer();
        assertThat(counts).containsExactly(
                new RouteOrigins.PeerCounts("r1", "198.51.100.1", 0, "adj-rib-in-pre", 2, 1, 1),
                new RouteOrigins.PeerCounts("r1", "198.51.100.2", 0, "loc-rib", 0, 1, 0));
        assertThat(RouteOrigins.totals(counts)).containsExactlyInAnyOrderEntriesOf(Map.of(
                RouteOriginState.VALID, 2L, RouteOriginState.INVALID, 2L, RouteOriginState.NOT_FOUND, 1L));
        // The gauges read the same counts: the metric and the API cannot disagree.
        assertThat(gauge("valid")).isEqualTo(2);
        assertThat(gauge("invalid")).isEqualTo(2);
        assertThat(gauge("not-found")).isEqualTo(1);
    }

    @Test
    void aVrpChangeRevalidatesStoredRoutesAndCountsTheChanges() {
        announce(P1, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, path(65010),
                Ipv4RouteKey.parse("10.1.0.0/16", 0), Ipv4RouteKey.parse("10.1.2.0/24", 0));
        origins.follow(view(1, Vrp.parse("10.0.0.0/8", 16, 65010)));
        assertThat(origins.countByPeer()).singleElement()
                .satisfies(c -> assertThat(List.of(c.valid(), c.invalid(), c.notFound())).containsExactly(1L, 1L, 0L));

        // The new VRP allows the /24 too: only that route changes state.
        origins.follow(view(2, Vrp.parse("10.0.0.0/8", 24, 65010)));

        assertThat(origins.countByPeer()).singleElement()
                .satisfies(c -> assertThat(List.of(c.valid(), c.invalid(), c.notFound())).containsExactly(2L, 0L, 0L));
        assertThat(metrics.get("rampart.rpki.route.state.changes").tags("from", "invalid", "to", "valid")
                .counter().count()).isEqualTo(1);
        assertThat(metrics.get("rampart.rpki.route.revalidation").timer().count()).isEqualTo(2);
    }

    @Test
    void aViewWithTheSameVrpsRevalidatesNothing() {
        announce(P1, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, path(65010), Ipv4RouteKey.parse("10.1.0.0/16", 0));
        origins.follow(view(1, Vrp.parse("10.0.0.0/8", 16, 65010)));

        // A new serial with the same payload (only the ASPAs or router keys changed, say) touches no route.
        origins.follow(view(2, Vrp.parse("10.0.0.0/8", 16, 65010)));

        assertThat(metrics.get("rampart.rpki.route.revalidation").timer().count()).isEqualTo(1);
    }

    @Test
    void aRouteStoredAfterAViewIsValidatedWithIt() {
        origins.follow(view(1, Vrp.parse("10.0.0.0/8", 16, 65010)));

        announce(P1, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, path(65020), Ipv4RouteKey.parse("10.1.0.0/16", 0));

        assertThat(rib.originState(ROUTER, P1, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                Ipv4RouteKey.parse("10.1.0.0/16", 0))).isEqualTo(RouteOriginState.INVALID);
        assertThat(gauge("invalid")).isEqualTo(1);
    }
}
