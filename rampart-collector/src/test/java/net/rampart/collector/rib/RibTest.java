package net.rampart.collector.rib;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RibTest {
    private static final RouterId R1 = new RouterId("192.0.2.1");
    private static final RouterId R2 = new RouterId("192.0.2.2");
    private final PeerKey peerA = PeerKey.global(address("198.51.100.1"));
    private final PeerKey peerB = new PeerKey(PeerType.RD_INSTANCE, 0x0000FDE800000001L,
            address("198.51.100.1"));
    private final List<RouteEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> endOfRibs = new CopyOnWriteArrayList<>();
    private final Rib rib = new Rib(new RouteEventListener() {
        @Override
        public void onRouteEvents(List<RouteEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void onEndOfRib(RouterId router, PeerKey peer, RibView view, Family family, long timeMillis) {
            endOfRibs.add(router + " " + peer + " " + view + " " + family);
        }
    });

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal is parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static PathAttributes attrs(long... path) {
        return PathAttributes.builder().origin(0).asPath(AsPath.sequence(path)).nextHop(new byte[] {10, 0, 0, 1})
                .communities(65000 << 16 | 100).largeCommunities(65000, 1, 2).clusterList(1, 2).build();
    }

    private static List<RouteKey> v4(String... cidrs) {
        List<RouteKey> out = new ArrayList<>();
        for (String c : cidrs) {
            out.add(Ipv4RouteKey.parse(c, 0));
        }
        return out;
    }

    @Test
    void announceReplaceAndWithdraw() {
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.announce(1_000, Family.IPV4_UNICAST, attrs(65001), v4("10.0.0.0/8", "10.1.0.0/16")));
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.announce(2_000, Family.IPV4_UNICAST, attrs(65002), v4("10.0.0.0/8")));
        assertThat(rib.lookup(R1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.0.0.0/8", 0))
                .asPath().originAsn()).isEqualTo(65002);
        // Withdrawal of an absent route is not an event; a present one is.
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.withdraw(3_000, Family.IPV4_UNICAST, v4("10.1.0.0/16", "172.16.0.0/12")));
        assertThat(rib.routeCount()).isEqualTo(1);
        assertThat(events).extracting(e -> e.key().text() + (e.withdrawn() ? " W" : " A"))
                .containsExactly("10.0.0.0/8 A", "10.1.0.0/16 A", "10.0.0.0/8 A", "10.1.0.0/16 W");
        assertThat(events.get(3).timeMillis()).isEqualTo(3_000);
        assertThat(rib.attributeSetCount()).isEqualTo(1);
    }

    @Test
    void viewsFamiliesAndDistinguishersAreSeparateTables() {
        PathAttributes a = attrs(65001);
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, a, v4("10.0.0.0/8")));
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_POST, RouteUpdate.announce(1, Family.IPV4_UNICAST, a, v4("10.0.0.0/8")));
        rib.apply(R1, peerB, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, a, v4("10.0.0.0/8")));
        rib.apply(R1, peerA, RibView.LOC_RIB, RouteUpdate.announce(1, Family.IPV6_UNICAST, a,
                List.of(Ipv6RouteKey.parse("2001:db8::/32", 0))));
        assertThat(rib.routeCount()).isEqualTo(4);
        assertThat(rib.peers(R1)).containsExactlyInAnyOrder(peerA, peerB);
        // One attribute set, shared by all four routes, though each caller built its own equal instance.
        rib.apply(R2, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(65001), v4("10.0.0.0/8")));
        assertThat(rib.attributeSetCount()).isEqualTo(1);
        assertThat(rib.lookup(R2, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.0.0.0/8", 0)))
                .isSameAs(rib.lookup(R1, peerB, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.0.0.0/8", 0)));
    }

    @Test
    void attributeSetsDifferingOnlyInLargeCommunitiesOrClusterListAreDistinct() {
        PathAttributes base = attrs(65001);
        PathAttributes otherLarge = PathAttributes.builder().origin(0).asPath(AsPath.sequence(65001))
                .nextHop(new byte[] {10, 0, 0, 1}).communities(65000 << 16 | 100).largeCommunities(65000, 1, 3)
                .clusterList(1, 2).build();
        PathAttributes otherCluster = PathAttributes.builder().origin(0).asPath(AsPath.sequence(65001))
                .nextHop(new byte[] {10, 0, 0, 1}).communities(65000 << 16 | 100).largeCommunities(65000, 1, 2)
                .clusterList(1).build();
        assertThat(base).isNotEqualTo(otherLarge).isNotEqualTo(otherCluster);
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, base, v4("10.0.0.0/8")));
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.announce(1, Family.IPV4_UNICAST, otherLarge, v4("10.1.0.0/16")));
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.announce(1, Family.IPV4_UNICAST, otherCluster, v4("10.2.0.0/16")));
        assertThat(rib.attributeSetCount()).isEqualTo(3);
    }

    @Test
    void peerDownWithdrawsEveryViewAndFamilyOfThatPeerOnly() {
        PathAttributes a = attrs(65001);
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, a, v4("10.0.0.0/8", "10.1.0.0/16")));
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_POST, RouteUpdate.announce(1, Family.IPV4_UNICAST, a, v4("10.0.0.0/8")));
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.L2VPN_EVPN, a,
                List.of(EvpnRouteKey.inclusiveMulticast(1, 0, new byte[] {10, 0, 0, 1}, 0))));
        rib.apply(R1, peerB, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, a, v4("10.0.0.0/8")));
        rib.endOfRib(R1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, 1);
        assertThat(rib.endOfRibReceived(R1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST)).isTrue();
        events.clear();

        assertThat(rib.peerDown(R1, peerA, 5_000)).isEqualTo(4);

        assertThat(events).hasSize(4).allMatch(RouteEvent::withdrawn).allMatch(e -> e.peer().equals(peerA))
                .allMatch(e -> e.timeMillis() == 5_000);
        assertThat(rib.routeCount()).isEqualTo(1);
        assertThat(rib.endOfRibReceived(R1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST)).isFalse();
        assertThat(endOfRibs).containsExactly("192.0.2.1 198.51.100.1 ADJ_RIB_IN_PRE 1/1");
        assertThat(rib.attributeSetCount()).isEqualTo(1);
        assertThat(rib.peerDown(R1, peerA, 6_000)).isZero();
    }

    @Test
    void closingARoutersOnlySessionWithdrawsEveryPeerAndReleasesAttributes() {
        Session s1 = rib.openSession(R1, 100);
        rib.apply(s1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1), v4("10.0.0.0/8")));
        rib.apply(s1, peerB, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(2), v4("10.0.0.0/8")));
        rib.apply(R2, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(3), v4("10.0.0.0/8")));
        events.clear();
        assertThat(rib.closeSession(s1, 9)).isEqualTo(2);
        assertThat(events).extracting(RouteEvent::peer).containsExactlyInAnyOrder(peerA, peerB);
        assertThat(events).allMatch(e -> e.withdrawn() && e.session() == 100 && e.timeMillis() == 9);
        assertThat(rib.routers()).containsExactly(R2);
        assertThat(rib.attributeSetCount()).isEqualTo(1);
    }

    @Test
    void aStaleSessionClosingAfterAReconnectWithdrawsOnlyWhatTheNewSessionDidNotResend() {
        Session old = rib.openSession(R1, 1);
        rib.apply(old, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16")));
        rib.apply(old, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.L2VPN_EVPN, attrs(1),
                List.of(EvpnRouteKey.inclusiveMulticast(1, 0, new byte[] {10, 0, 0, 1}, 0))));
        // The router reconnects while the old connection is still open, and resends all but 10.2/16.
        Session fresh = rib.openSession(R1, 2);
        rib.apply(fresh, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(2, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8", "10.1.0.0/16")));
        rib.apply(fresh, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(2, Family.L2VPN_EVPN, attrs(1),
                List.of(EvpnRouteKey.inclusiveMulticast(1, 0, new byte[] {10, 0, 0, 1}, 0))));
        events.clear();

        assertThat(rib.closeSession(old, 3)).isEqualTo(1);

        assertThat(events).extracting(e -> e.key().text() + " " + e.session()).containsExactly("10.2.0.0/16 1");
        assertThat(rib.routeCount()).isEqualTo(3);
        assertThat(rib.routers()).containsExactly(R1);
        assertThat(rib.closeSession(fresh, 4)).isEqualTo(3);
        assertThat(rib.routers()).isEmpty();
        assertThat(rib.attributeSetCount()).isZero();
    }

    @Test
    void aRouteBothParallelSessionsAnnouncedStaysUntilBothHaveEnded() {
        Session first = rib.openSession(R1, 1);
        Session second = rib.openSession(R1, 2);
        rib.apply(second, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8")));
        rib.apply(first, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(2, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8", "10.1.0.0/16")));
        events.clear();
        assertThat(rib.closeSession(first, 3)).isEqualTo(1);
        assertThat(events).extracting(e -> e.key().text()).containsExactly("10.1.0.0/16");
        assertThat(rib.closeSession(second, 4)).isEqualTo(1);
        assertThat(rib.routeCount()).isZero();
    }

    @Test
    void parallelSessionsKeepTheirOwnRoutesThroughTheOthersPeerDownAndEnd() {
        Session first = rib.openSession(R1, 1);
        Session second = rib.openSession(R1, 2);
        rib.apply(first, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8", "10.1.0.0/16")));
        rib.apply(second, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(2),
                v4("192.0.2.0/24")));
        rib.apply(second, peerB, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(2),
                v4("198.51.100.0/24")));

        assertThat(rib.peerDown(first, peerA, 2)).isEqualTo(2);
        assertThat(rib.lookup(R1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                Ipv4RouteKey.parse("192.0.2.0/24", 0))).isNotNull();
        assertThat(rib.closeSession(first, 3)).isZero();
        assertThat(rib.routeCount()).isEqualTo(2);

        // A withdrawal removes a route whichever session announced it.
        Session third = rib.openSession(R1, 3);
        rib.apply(third, peerB, RibView.ADJ_RIB_IN_PRE, RouteUpdate.withdraw(4, Family.IPV4_UNICAST, v4("198.51.100.0/24")));
        assertThat(events.get(events.size() - 1)).matches(e -> e.withdrawn() && e.session() == 3);
        assertThat(rib.routeCount()).isEqualTo(1);
    }

    @Test
    void theEventsOfATableAndSessionShareOneSourceAndAOneRouteUpdateReportsAListOfOne() {
        List<List<RouteEvent>> batches = new CopyOnWriteArrayList<>();
        Rib reporting = new Rib(batches::add);
        Session first = reporting.openSession(R1, 1);
        reporting.apply(first, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8", "10.1.0.0/16")));
        reporting.apply(first, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.withdraw(2, Family.IPV4_UNICAST,
                v4("10.1.0.0/16")));
        // A withdrawal of a route that is not there reports nothing, in a list of one or not.
        reporting.apply(first, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.withdraw(2, Family.IPV4_UNICAST,
                v4("172.16.0.0/12")));
        reporting.apply(first, peerA, RibView.ADJ_RIB_IN_POST, RouteUpdate.announce(3, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8")));
        Session second = reporting.openSession(R1, 2);
        reporting.apply(second, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(4, Family.IPV4_UNICAST, attrs(2),
                v4("10.2.0.0/16")));

        assertThat(batches).extracting(List::size).containsExactly(2, 1, 1, 1);
        List<RouteEvent> all = batches.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(e -> e.key().text() + " " + e.view() + " " + e.session() + " " + e.withdrawn())
                .containsExactly("10.0.0.0/8 ADJ_RIB_IN_PRE 1 false", "10.1.0.0/16 ADJ_RIB_IN_PRE 1 false",
                        "10.1.0.0/16 ADJ_RIB_IN_PRE 1 true", "10.0.0.0/8 ADJ_RIB_IN_POST 1 false",
                        "10.2.0.0/16 ADJ_RIB_IN_PRE 2 false");
        assertThat(all.get(0).source()).isSameAs(all.get(1).source()).isSameAs(all.get(2).source())
                .isEqualTo(new RouteSource(R1, 1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST));
        assertThat(all.get(3).source()).as("another view, another table").isNotEqualTo(all.get(0).source());
        assertThat(all.get(4).source()).isEqualTo(new RouteSource(R1, 2, peerA, RibView.ADJ_RIB_IN_PRE,
                Family.IPV4_UNICAST));
        // The session's end withdraws under the session's own source.
        batches.clear();
        reporting.closeSession(first, 5);
        assertThat(batches.stream().flatMap(List::stream).toList()).extracting(RouteEvent::source)
                .containsExactlyInAnyOrder(new RouteSource(R1, 1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST),
                        new RouteSource(R1, 1, peerA, RibView.ADJ_RIB_IN_POST, Family.IPV4_UNICAST));
    }

    @Test
    void aRouterHasAtMostTheSessionsItsRoutesCanTellApart() {
        List<Session> open = new ArrayList<>();
        for (int i = 1; i <= Session.MAX_TAG; i++) {
            open.add(rib.openSession(R1, i));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rib.openSession(R1, 999))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("15 open sessions");
        // A closed session's tag is free again, and the routes of the session now holding it are its own.
        Session last = open.get(Session.MAX_TAG - 1);
        rib.apply(last, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1), v4("10.0.0.0/8")));
        rib.closeSession(open.get(0), 2);
        Session reused = rib.openSession(R1, 1000);
        rib.apply(reused, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(3, Family.IPV4_UNICAST, attrs(1), v4("10.1.0.0/16")));
        assertThat(rib.closeSession(reused, 4)).isEqualTo(1);
        assertThat(rib.routeCount()).isEqualTo(1);
    }

    @Test
    void allHandsEveryEventToEachListener() {
        List<RouteEvent> store = new ArrayList<>();
        List<RouteEvent> detector = new ArrayList<>();
        Rib both = new Rib(RouteEventListener.all(List.of(store::addAll, detector::addAll)));
        both.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1),
                v4("10.0.0.0/8")));
        assertThat(store).hasSize(1).isEqualTo(detector);
    }

    @Test
    void largePeerDownIsReportedInBoundedChunks() {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Rib chunked = new Rib(batch -> sizes.add(batch.size()));
        List<RouteKey> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keys.add(new Ipv4RouteKey(i << 8, 24, 0));
        }
        chunked.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST, attrs(1), keys));
        sizes.clear();
        assertThat(chunked.peerDown(R1, peerA, 2)).isEqualTo(20_000);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20_000);
        assertThat(Collections.max(sizes)).isLessThanOrEqualTo(Rib.WITHDRAW_CHUNK);
        assertThat(chunked.attributeSetCount()).isZero();
    }

    @Test
    void attributeReferencesBalanceOverReplacementsAndWithdrawals() {
        for (int round = 0; round < 50; round++) {
            rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(round, Family.IPV4_UNICAST,
                    attrs(round % 7), v4("10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16")));
            rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                    RouteUpdate.withdraw(round, Family.IPV4_UNICAST, v4("10.1.0.0/16")));
        }
        assertThat(rib.attributeSetCount()).isEqualTo(1);
        rib.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.withdraw(99, Family.IPV4_UNICAST, v4("10.0.0.0/8", "10.2.0.0/16")));
        assertThat(rib.attributeSetCount()).isZero();
    }

    @Test
    void readersSeeWholeUpdatesOnly() throws Exception {
        // Every update re-announces all routes with one attribute set; a reader that saw two
        // different sets in one pass would have seen an update half applied.
        List<RouteKey> keys = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            keys.add(new Ipv4RouteKey(i << 8, 24, 0));
        }
        Rib quiet = new Rib(RouteEventListener.NONE);
        quiet.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(0, Family.IPV4_UNICAST, attrs(0), keys));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            int passes = 0;
            while (!done.get() || passes == 0) {
                List<PathAttributes> seen = new ArrayList<>();
                quiet.read(R1, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, (k, a, t) -> {
                    if (seen.isEmpty() || seen.get(seen.size() - 1) != a) {
                        seen.add(a);
                    }
                });
                if (seen.size() != 1) {
                    torn.set("pass " + passes + " saw " + seen.size() + " attribute sets");
                }
                passes++;
            }
        });
        for (int round = 1; round <= 300; round++) {
            quiet.apply(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                    RouteUpdate.announce(round, Family.IPV4_UNICAST, attrs(round), keys));
        }
        done.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(reader.isAlive()).isFalse();
        assertThat(torn.get()).isNull();
        assertThat(quiet.attributeSetCount()).isEqualTo(1);
    }

    @Test
    void restoredRoutesAreHeldLikeImportedOnesButNotReportedAgain() {
        RouterId mrt = new RouterId("mrt:rrc00");
        rib.restore(mrt, peerA, RibView.ADJ_RIB_IN_PRE,
                RouteUpdate.announce(7_000, Family.IPV4_UNICAST, attrs(65001), v4("10.0.0.0/8", "10.1.0.0/16")));

        // Route history holds them already: nothing reaches the listener.
        assertThat(events).isEmpty();
        assertThat(rib.lookup(mrt, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.1.0.0/16", 0)))
                .isEqualTo(attrs(65001));
        List<Integer> since = new ArrayList<>();
        rib.read(mrt, peerA, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, (key, attributes, changed) -> since.add(changed));
        assertThat(since).containsExactly(7, 7);

        // They belong to the source's implicit session, so a later import's session end withdraws them, reported.
        assertThat(rib.peerDown(mrt, peerA, 9_000)).isEqualTo(2);
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.withdrawn()).isTrue());
    }

    @Test
    void aRestoreWithdrawsNothing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rib.restore(R1, peerA, RibView.ADJ_RIB_IN_PRE,
                        RouteUpdate.withdraw(1_000, Family.IPV4_UNICAST, v4("10.0.0.0/8"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
