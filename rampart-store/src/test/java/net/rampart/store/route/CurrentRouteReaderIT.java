package net.rampart.store.route;

import static net.rampart.store.route.PostgresRouteHistoryIT.attrs;
import static net.rampart.store.route.PostgresRouteHistoryIT.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RawAttribute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.EmbeddedDatabase;
import net.rampart.store.RefusedRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What route history wrote of some routers comes back as their announced routes, peers and rows. */
class CurrentRouteReaderIT {
    @RegisterExtension
    static final EmbeddedDatabase database = new EmbeddedDatabase();

    private static final RouterId MRT = new RouterId("mrt:rrc00");
    private static final RouterId BMP = new RouterId("192.0.2.1");
    private static final long T = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();

    private static RouteEvent event(RouterId router, long time, PeerKey peer, Family family, RouteKey key,
                                    PathAttributes attributes) {
        return new RouteEvent(time, router, 0, peer, RibView.ADJ_RIB_IN_PRE, family, key, attributes);
    }

    private record Read(RouterId router, PeerKey peer, RibView view, Family family, PathAttributes attributes,
                        long lastChangeMillis) {
    }

    @Test
    void announcedRoutesOfTheNamedRoutersComeBackWithEveryAttribute() throws Exception {
        PeerKey p = peer("198.51.100.1");
        Ipv4RouteKey kept = Ipv4RouteKey.parse("10.0.0.0/8", 0);
        Ipv4RouteKey withdrawn = Ipv4RouteKey.parse("10.1.0.0/16", 0);
        Ipv6RouteKey v6 = Ipv6RouteKey.parse("2001:db8::/32", 7);
        // A path ending in an AS_SET has no origin AS; it must still have none when read back. The
        // aggregator, originator, cluster list and an unmodelled attribute have no columns of their own.
        PathAttributes endsInSet = PathAttributes.builder().origin(PathAttributes.ORIGIN_INCOMPLETE)
                .asPath(AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 1, 65001, AsPath.AS_SET, 2, 65002, 65003}))
                .nextHop(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
                .aggregator(65001, new byte[] {1, 2, 3, 4}).originatorId(new byte[] {9, 9, 9, 9}).clusterList(4, 5)
                .otherAttributes(new RawAttribute(35, 0xC0, new byte[] {0, 0, 0, 1})).build();
        EvpnRouteKey evpn = EvpnRouteKey.ipPrefix(0x0000FDE800000064L, null, 0, new byte[] {10, 2, 0, 0}, 16, null,
                new int[] {10020}, 0);
        var batches = new HistoryBatches();
        var history = new PostgresRouteHistory(database.dataSource(), new TimePartitions(database.dataSource()),
                new RefusedRows(database.dataSource()), batches);
        history.write(List.of(
                event(MRT, T, p, Family.IPV4_UNICAST, kept, attrs(65001, 65002)),
                event(MRT, T, p, Family.IPV4_UNICAST, withdrawn, attrs(65001, 65002)),
                event(MRT, T + 5_000, p, Family.IPV6_UNICAST, v6, endsInSet),
                event(MRT, T, p, Family.L2VPN_EVPN, evpn, attrs(65001)),
                event(BMP, T, p, Family.IPV4_UNICAST, kept, attrs(65009))));
        history.write(List.of(event(MRT, T + 1_000, p, Family.IPV4_UNICAST, withdrawn, null)));
        new RouteCheckpoint(database.dataSource(), batches).run();

        var reader = new CurrentRouteReader(database.dataSource());
        Map<RouteKey, Read> read = new HashMap<>();
        long skipped = reader.routes("mrt:", (router, peer, view, family, key, attributes, lastChange) ->
                read.put(key, new Read(router, peer, view, family, attributes, lastChange)));

        // The withdrawn route and the BMP router's route stay out; the EVPN route is counted, not read.
        // Keys are equal with their path id, so the IPv6 route came back with its path id 7.
        assertThat(read).containsOnlyKeys(kept, v6);
        assertThat(skipped).isEqualTo(1);
        assertThat(read.get(kept)).isEqualTo(new Read(MRT, p, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                attrs(65001, 65002), T));
        assertThat(read.get(v6).attributes()).as("every attribute, as it was written").isEqualTo(endsInSet);
        assertThat(read.get(v6).attributes().asPath().originAsn()).isEqualTo(-1);
        assertThat(read.get(v6).family()).isEqualTo(Family.IPV6_UNICAST);
        assertThat(read.get(v6).lastChangeMillis()).isEqualTo(T + 5_000);

        assertThat(reader.routers("mrt:")).extracting(CurrentRouteReader.StoredRouter::name)
                .containsExactly("mrt:rrc00");
        List<PeerKey> peers = new ArrayList<>();
        reader.peers("mrt:").forEach(stored -> {
            assertThat(stored.router()).isEqualTo("mrt:rrc00");
            peers.add(stored.key());
        });
        assertThat(peers).containsExactly(p);
    }

    @Test
    void pathsReadBackKeepTheirOriginAs() {
        assertThat(CurrentRouteReader.asPath(new long[] {65001, 4200000000L}, true))
                .isEqualTo(AsPath.sequence(65001, 4200000000L));
        assertThat(CurrentRouteReader.asPath(new long[] {65001, 65002}, false).originAsn()).isEqualTo(-1);
        assertThat(CurrentRouteReader.asPath(new long[] {65002}, false).toString()).isEqualTo("{65002}");
        assertThat(CurrentRouteReader.asPath(new long[0], false)).isEqualTo(AsPath.EMPTY);
    }
}
