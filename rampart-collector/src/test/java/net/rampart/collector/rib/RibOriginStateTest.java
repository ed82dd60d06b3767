package net.rampart.collector.rib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.wire.RouteOriginState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RIB's per-route origin states and per-table counts against a full recount: after any
 * mix of announcements, replacements, withdrawals, peer loss and re-validations, and while
 * re-validation races with updates.
 */
class RibOriginStateTest {

    private static final RouterId ROUTER = new RouterId("192.0.2.1");
    private static final RibView VIEW = RibView.ADJ_RIB_IN_PRE;

    /** A few VRP-like rules checked by scanning them all: plain enough to trust as a reference. */
    private record Rules(int[] address, int[] length, int[] maxLength, long[] asn) implements OriginValidator {

        static Rules random(Random random, int n) {
            int[] address = new int[n];
            int[] length = new int[n];
            int[] maxLength = new int[n];
            long[] asn = new long[n];
            for (int i = 0; i < n; i++) {
                length[i] = 8 + random.nextInt(17);
                address[i] = (10 << 24 | random.nextInt(1 << 16) << 8) & mask(length[i]);
                maxLength[i] = length[i] + random.nextInt(25 - length[i] + 1);
                asn[i] = 65000 + random.nextInt(4);
            }
            return new Rules(address, length, maxLength, asn);
        }

        @Override
        public RouteOriginState state(boolean ipv6, long high, long low, int routeLength, long originAsn) {
            int routeAddress = (int) (high >>> 32);
            boolean covered = false;
            for (int i = 0; i < address.length; i++) {
                if (length[i] <= routeLength && (routeAddress & mask(length[i])) == address[i]) {
                    covered = true;
                    if (originAsn > 0 && asn[i] == originAsn && routeLength <= maxLength[i]) {
                        return RouteOriginState.VALID;
                    }
                }
            }
            return covered ? RouteOriginState.INVALID : RouteOriginState.NOT_FOUND;
        }

        private static int mask(int length) {
            return length == 0 ? 0 : -1 << (32 - length);
        }
    }

    private static PathAttributes origin(long asn) {
        return PathAttributes.builder().origin(0).asPath(AsPath.sequence(64999, asn))
                .nextHop(new byte[] {10, 0, 0, 1}).build();
    }

    private static Ipv4RouteKey randomRoute(Random random) {
        int length = 16 + random.nextInt(9);
        int address = (10 << 24 | random.nextInt(1 << 16) << 8) & (-1 << (32 - length));
        return new Ipv4RouteKey(address, length, 0);
    }

    private static PeerKey peer(int n) {
        return PeerKey.global(RibTest.address("198.51.100." + n));
    }

    /** Counts by state over every table, from the tables' own counters. */
    private static long[] counted(Rib rib) {
        long[] total = new long[3];
        rib.forEachOriginCount((router, peer, view, family, counts) -> {
            for (int s = 0; s < 3; s++) {
                total[s] += counts[s];
            }
        });
        return total;
    }

    /** The same, recounted from every route's attributes with {@code validator}; also checks each stored state. */
    private static long[] recounted(Rib rib, OriginValidator validator) {
        long[] total = new long[3];
        rib.forEachTable((router, peer, view, family, table) -> table.read((key, attributes, since) -> {
            Ipv4RouteKey p = (Ipv4RouteKey) key;
            RouteOriginState expected = validator.state(false, Integer.toUnsignedLong(p.address()) << 32, 0, p.length(),
                    attributes.asPath().originAsn());
            total[expected.ordinal()]++;
        }));
        return total;
    }

    private static void storedStatesMatch(Rib rib, OriginValidator validator) {
        rib.forEachTable((router, peer, view, family, table) -> table.read((key, attributes, since) -> {
            Ipv4RouteKey p = (Ipv4RouteKey) key;
            assertThat(rib.originState(router, peer, view, family, key)).as("%s", key).isEqualTo(validator.state(false,
                    Integer.toUnsignedLong(p.address()) << 32, 0, p.length(), attributes.asPath().originAsn()));
        }));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void countsFollowEveryChangeAndEveryRevalidation(long seed) {
        Random random = new Random(seed);
        Rib rib = new Rib(RouteEventListener.NONE);
        Rules rules = Rules.random(random, 30);
        rib.revalidate(rules, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
        for (int step = 0; step < 3000; step++) {
            PeerKey peer = peer(1 + random.nextInt(3));
            int action = random.nextInt(100);
            if (action < 65) {
                List<RouteKey> routes = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    routes.add(randomRoute(random));
                }
                rib.apply(ROUTER, peer, VIEW, RouteUpdate.announce(step, Family.IPV4_UNICAST,
                        origin(65000 + random.nextInt(5)), routes));
            } else if (action < 95) {
                rib.apply(ROUTER, peer, VIEW, RouteUpdate.withdraw(step, Family.IPV4_UNICAST,
                        List.of(randomRoute(random))));
            } else if (action < 97) {
                rib.peerDown(ROUTER, peer, step);
            } else {
                Rules next = Rules.random(random, 30);
                AtomicLong heard = new AtomicLong();
                Rib.Revalidation done = rib.revalidate(next, OriginValidator.Footprint.EVERYTHING,
                        (r, p, v, f, k, from, to) -> {
                            assertThat(from).isNotEqualTo(to);
                            heard.incrementAndGet();
                        });
                assertThat(done.changed()).isEqualTo(heard.get());
                assertThat(done.examined()).isEqualTo(rib.routeCount());
                rules = next;
            }
            if (step % 250 == 0) {
                assertThat(counted(rib)).isEqualTo(recounted(rib, rules));
            }
        }
        assertThat(counted(rib)).isEqualTo(recounted(rib, rules));
        storedStatesMatch(rib, rules);
    }

    @Test
    void aFootprintLimitsRevalidationToTheRoutesItTouches() {
        Rib rib = new Rib(RouteEventListener.NONE);
        Rules none = new Rules(new int[0], new int[0], new int[0], new long[0]);
        rib.revalidate(none, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
        rib.apply(ROUTER, peer(1), VIEW, RouteUpdate.announce(1, Family.IPV4_UNICAST, origin(65001),
                List.of(Ipv4RouteKey.parse("10.1.0.0/16", 0), Ipv4RouteKey.parse("10.2.0.0/16", 0))));
        // A VRP for 10.1.0.0/16 AS65001 appears: only routes inside 10.1.0.0/16 are looked at.
        Rules one = new Rules(new int[] {10 << 24 | 1 << 16}, new int[] {16}, new int[] {16}, new long[] {65001});
        List<String> changed = new ArrayList<>();
        Rib.Revalidation done = rib.revalidate(one,
                (ipv6, high, low, length) -> length >= 16 && (high >>> 48) == (10 << 8 | 1),
                (r, p, v, f, k, from, to) -> changed.add(k.text() + " " + from + "->" + to));
        assertThat(done.examined()).isEqualTo(1);
        assertThat(changed).containsExactly("10.1.0.0/16 NOT_FOUND->VALID");
        assertThat(counted(rib)).containsExactly(1, 1, 0);
    }

    @Test
    void revalidationRacingWithUpdatesLosesNoCount() throws Exception {
        Rib rib = new Rib(RouteEventListener.NONE);
        Random seeds = new Random(7);
        Rules[] current = {Rules.random(seeds, 40)};
        rib.revalidate(current[0], OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            PeerKey peer = peer(w);
            Random random = new Random(w);
            writers.add(Thread.ofPlatform().start(() -> {
                for (int step = 0; step < 200_000 && !stop.get(); step++) {
                    if (random.nextInt(3) > 0) {
                        rib.apply(ROUTER, peer, VIEW, RouteUpdate.announce(step, Family.IPV4_UNICAST,
                                origin(65000 + random.nextInt(5)), List.of(randomRoute(random))));
                    } else {
                        rib.apply(ROUTER, peer, VIEW, RouteUpdate.withdraw(step, Family.IPV4_UNICAST,
                                List.of(randomRoute(random))));
                    }
                }
            }));
        }
        for (int i = 0; i < 20; i++) {
            current[0] = Rules.random(seeds, 40);
            rib.revalidate(current[0], OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
        }
        stop.set(true);
        for (Thread t : writers) {
            t.join();
        }
        assertThat(counted(rib)).isEqualTo(recounted(rib, current[0]));
        storedStatesMatch(rib, current[0]);
    }
}
