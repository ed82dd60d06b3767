package net.rampart.collector.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static net.rampart.collector.rib.RibTest.address;

import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.RouteQuery.PrefixMatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteQueryTest {
    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouterId r1 = new RouterId("r1");
    private final PeerKey p1 = PeerKey.global(address("198.51.100.1"));
    private final PeerKey p2 = PeerKey.global(address("198.51.100.2"));

    private static PathAttributes attrs(int community, long... path) {
        return PathAttributes.builder().asPath(AsPath.sequence(path)).communities(community)
                .largeCommunities(65000, 0, (int) path[path.length - 1]).build();
    }

    @BeforeEach
    void fill() {
        rib.apply(r1, p1, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1, 65001, 65010),
                List.of(Ipv4RouteKey.parse("10.0.0.0/8", 0), Ipv4RouteKey.parse("10.1.0.0/16", 0),
                        Ipv4RouteKey.parse("10.1.2.0/24", 0), Ipv4RouteKey.parse("192.0.2.0/24", 0))));
        rib.apply(r1, p2, RibView.ADJ_RIB_IN_POST, RouteUpdate.announce(1, Family.IPV4_UNICAST,
                attrs(2, 65002, 65020), List.of(Ipv4RouteKey.parse("10.1.0.0/16", 0))));
        rib.apply(r1, p1, RibView.LOC_RIB, RouteUpdate.announce(1, Family.IPV6_UNICAST, attrs(1, 65001, 65010),
                List.of(Ipv6RouteKey.parse("2001:db8::/32", 0), Ipv6RouteKey.parse("2001:db8:1::/48", 0))));
    }

    private List<String> keys(RouteQuery q) {
        return rib.query(q).routes().stream().map(r -> r.peer() + " " + r.key().text()).sorted().toList();
    }

    @Test
    void prefixMatchesExactLongerShorter() {
        RouteQuery q = RouteQuery.all(100);
        assertThat(keys(q.withPrefix(Ipv4RouteKey.parse("10.1.0.0/16", 0), PrefixMatch.EXACT)))
                .containsExactly("198.51.100.1 10.1.0.0/16", "198.51.100.2 10.1.0.0/16");
        assertThat(keys(q.withPrefix(Ipv4RouteKey.parse("10.1.0.0/16", 0), PrefixMatch.LONGER)))
                .containsExactly("198.51.100.1 10.1.0.0/16", "198.51.100.1 10.1.2.0/24", "198.51.100.2 10.1.0.0/16");
        assertThat(keys(q.withPrefix(Ipv4RouteKey.parse("10.1.2.0/24", 0), PrefixMatch.SHORTER)))
                .containsExactly("198.51.100.1 10.0.0.0/8", "198.51.100.1 10.1.0.0/16", "198.51.100.1 10.1.2.0/24",
                        "198.51.100.2 10.1.0.0/16");
        assertThat(keys(q.withPrefix(Ipv6RouteKey.parse("2001:db8::/32", 0), PrefixMatch.LONGER)))
                .containsExactly("198.51.100.1 2001:db8:1::/48", "198.51.100.1 2001:db8::/32");
    }

    @Test
    void anExactPrefixFindsEveryPathOfItWhateverPathIdsTheTableAndTheQueryHold() {
        RouteQuery q = RouteQuery.all(100);
        // Looked up, not searched: the query's own path ID is no route's.
        assertThat(keys(q.withPrefix(Ipv6RouteKey.parse("2001:db8:1::/48", 9), PrefixMatch.EXACT)))
                .containsExactly("198.51.100.1 2001:db8:1::/48");
        assertThat(keys(q.withPrefix(Ipv4RouteKey.parse("10.1.2.0/25", 0), PrefixMatch.EXACT))).isEmpty();
        // An ADD-PATH peer: two paths of one prefix, neither under path ID 0.
        PeerKey addPath = PeerKey.global(address("198.51.100.3"));
        for (RouteKey key : List.of(Ipv4RouteKey.parse("10.1.0.0/16", 1), Ipv4RouteKey.parse("10.1.0.0/16", 2),
                Ipv6RouteKey.parse("2001:db8::/32", 7))) {
            Family family = key instanceof Ipv4RouteKey ? Family.IPV4_UNICAST : Family.IPV6_UNICAST;
            rib.apply(r1, addPath, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, family, attrs(4, 65004),
                    List.of(key)));
        }
        assertThat(rib.query(q.withPrefix(Ipv4RouteKey.parse("10.1.0.0/16", 0), PrefixMatch.EXACT)).routes())
                .extracting(r -> r.peer() + " " + r.key().text() + " " + r.key().pathId())
                .containsExactlyInAnyOrder("198.51.100.1 10.1.0.0/16 0", "198.51.100.2 10.1.0.0/16 0",
                        "198.51.100.3 10.1.0.0/16 1", "198.51.100.3 10.1.0.0/16 2");
        assertThat(keys(q.withPrefix(Ipv6RouteKey.parse("2001:db8::/32", 0), PrefixMatch.EXACT)))
                .containsExactly("198.51.100.1 2001:db8::/32", "198.51.100.3 2001:db8::/32");
    }

    @Test
    void attributeAndLocationFilters() {
        RouteQuery q = RouteQuery.all(100);
        assertThat(rib.query(q.withOriginAsn(65020)).matched()).isEqualTo(1);
        assertThat(rib.query(q.withAsPathContains(65001)).matched()).isEqualTo(6);
        assertThat(rib.query(q.withCommunity(2)).matched()).isEqualTo(1);
        assertThat(rib.query(q.withLargeCommunity(65000, 0, 65010)).matched()).isEqualTo(6);
        assertThat(rib.query(q.withPeer(r1, address("198.51.100.2"))).matched()).isEqualTo(1);
        assertThat(rib.query(q.withView(RibView.LOC_RIB)).matched()).isEqualTo(2);
        assertThat(rib.query(q.withFamilyGroup("ipv6").withOriginAsn(65010)).matched()).isEqualTo(2);
        assertThat(rib.query(q.withPeer(new RouterId("other"), null)).matched()).isZero();
    }

    @Test
    void theOtherGroupSelectsFamiliesWithoutANameOfTheirOwn() {
        // A VPNv4 route (SAFI 128) and an IPv4 multicast one (SAFI 2): neither is ipv4, ipv6 or evpn.
        rib.apply(r1, p1, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, new Family(Family.AFI_IPV4, 128),
                attrs(3, 65003), List.of(new LabeledPrefix(65000L << 32 | 1, Ipv4RouteKey.parse("10.9.0.0/16", 0),
                        new int[] {100}, 0))));
        rib.apply(r1, p1, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, new Family(Family.AFI_IPV4, 2),
                attrs(3, 65003), List.of(Ipv4RouteKey.parse("232.1.0.0/16", 0))));
        RouteQuery q = RouteQuery.all(100);
        assertThat(rib.query(q.withFamilyGroup("other")).matched()).isEqualTo(2);
        // The unicast routes of the fixture stay out of "other", and the new ones out of "ipv4".
        assertThat(rib.query(q.withFamilyGroup("ipv4")).matched()).isEqualTo(5);
    }

    @Test
    void pagesCountEveryMatchButReturnOnlyTheLimit() {
        RouteQueryResult first = rib.query(RouteQuery.all(2));
        RouteQueryResult rest = rib.query(RouteQuery.all(100).page(2, 100));
        assertThat(first.matched()).isEqualTo(7);
        assertThat(first.routes()).hasSize(2);
        assertThat(rest.routes()).hasSize(5).doesNotContainAnyElementsOf(first.routes());
    }

    @Test
    void countsByFamilyAndView() {
        Map<String, Map<RibView, Long>> counts = rib.routeCountsByFamilyAndView();
        assertThat(counts.get("ipv4")).containsEntry(RibView.ADJ_RIB_IN_PRE, 4L).containsEntry(RibView.ADJ_RIB_IN_POST, 1L);
        assertThat(counts.get("ipv6")).containsEntry(RibView.LOC_RIB, 2L);
    }
}
