package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.RouteOriginState;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class RoaIndexTest {

    /** RFC 6811 section 2, straight from the text, over every VRP: the reference the index must equal. */
    private static OriginValidation byScan(List<Vrp> vrps, IpPrefix route, long origin) {
        List<Vrp> covering = vrps.stream().distinct().sorted().filter(v -> v.prefix().covers(route)).toList();
        List<Vrp> matched = covering.stream()
                .filter(v -> origin > 0 && v.asn() == origin && route.length() <= v.maxLength()).toList();
        List<Vrp> length = covering.stream()
                .filter(v -> origin > 0 && v.asn() == origin && route.length() > v.maxLength()).toList();
        List<Vrp> as = covering.stream().filter(v -> origin <= 0 || v.asn() != origin).toList();
        RouteOriginState state = covering.isEmpty() ? RouteOriginState.NOT_FOUND
                : matched.isEmpty() ? RouteOriginState.INVALID : RouteOriginState.VALID;
        String reason = state != RouteOriginState.INVALID ? null : length.isEmpty() ? "as" : "length";
        return new OriginValidation(route, origin, state, reason, matched, as, length);
    }

    @Property(tries = 300)
    void indexAgreesWithTheRfcOverAScan(@ForAll("vrpLists") List<Vrp> vrps, @ForAll("routes") List<IpPrefix> routes,
            @ForAll("origins") long origin) {
        RoaIndex index = new RoaIndex(VrpSet.of(vrps));
        for (IpPrefix route : routes) {
            OriginValidation expected = byScan(vrps, route, origin);
            OriginValidation actual = index.validate(route, origin);
            assertThat(actual.state()).as("%s AS%d", route, origin).isEqualTo(expected.state());
            assertThat(actual.reason()).isEqualTo(expected.reason());
            assertThat(actual.matched()).containsExactlyInAnyOrderElementsOf(expected.matched());
            assertThat(actual.unmatchedAs()).containsExactlyInAnyOrderElementsOf(expected.unmatchedAs());
            assertThat(actual.unmatchedLength()).containsExactlyInAnyOrderElementsOf(expected.unmatchedLength());
            assertThat(index.state(route, origin)).isEqualTo(expected.state());
            assertThat(index.coveredFor(route, origin)).as("covered for AS%d: %s", origin, route)
                    .isEqualTo(!expected.matched().isEmpty() || !expected.unmatchedLength().isEmpty());
        }
    }

    /**
     * The same over the whole address space: /0, host routes (/32, /128), prefixes shorter than
     * the lookup's 16-bit buckets and IPv6 prefixes longer than /64, nested and side by side.
     */
    @Property(tries = 500)
    void indexAgreesWithAScanOverEveryLength(@ForAll("vrpsAnywhere") List<Vrp> vrps,
            @ForAll("routesAnywhere") List<IpPrefix> routes, @ForAll("origins") long origin) {
        RoaIndex index = new RoaIndex(VrpSet.of(vrps));
        for (IpPrefix route : routes) {
            OriginValidation expected = byScan(vrps, route, origin);
            assertThat(index.state(route, origin)).as("%s AS%d", route, origin).isEqualTo(expected.state());
            assertThat(index.validate(route, origin).matched()).containsExactlyInAnyOrderElementsOf(expected.matched());
            assertThat(index.coveredFor(route, origin)).as("covered for AS%d: %s", origin, route)
                    .isEqualTo(!expected.matched().isEmpty() || !expected.unmatchedLength().isEmpty());
        }
    }

    @Property(tries = 200)
    void relatedPrefixQueriesAgreeWithAScan(@ForAll("vrpLists") List<Vrp> vrps, @ForAll("routes") List<IpPrefix> qs) {
        VrpSet set = VrpSet.of(vrps);
        RoaIndex index = new RoaIndex(set);
        for (IpPrefix q : qs) {
            List<Vrp> covering = index.indicesRelatedTo(q, true, true, false).stream().map(set::get).toList();
            List<Vrp> inside = index.indicesRelatedTo(q, false, true, true).stream().map(set::get).toList();
            assertThat(covering).containsExactlyInAnyOrderElementsOf(
                    set.toList().stream().filter(v -> v.prefix().covers(q)).toList());
            assertThat(inside).containsExactlyInAnyOrderElementsOf(
                    set.toList().stream().filter(v -> q.covers(v.prefix())).toList());
        }
    }

    @Provide
    Arbitrary<List<Vrp>> vrpLists() {
        return RpkiArbitraries.vrps().list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<IpPrefix>> routes() {
        return RpkiArbitraries.prefixes().list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Vrp>> vrpsAnywhere() {
        return RpkiArbitraries.vrpsAnywhere().list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<IpPrefix>> routesAnywhere() {
        return RpkiArbitraries.prefixesAnywhere().list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<Long> origins() {
        return net.jqwik.api.Arbitraries.longs().between(64_499, 64_506).injectDuplicates(0.1)
                .edgeCases(e -> e.add(0L));
    }

    @Test
    void rfc6811Examples() {
        RoaIndex index = new RoaIndex(VrpSet.of(List.of(Vrp.parse("192.0.2.0/24", 24, 64496),
                Vrp.parse("198.51.100.0/22", 24, 64497), Vrp.parse("203.0.113.0/24", 24, 0))));
        assertThat(index.state(IpPrefix.parse("192.0.2.0/24"), 64496)).isEqualTo(RouteOriginState.VALID);
        assertThat(index.validate(IpPrefix.parse("192.0.2.0/24"), 64511).reason()).isEqualTo("as");
        assertThat(index.validate(IpPrefix.parse("198.51.100.0/25"), 64497).reason()).isEqualTo("length");
        assertThat(index.state(IpPrefix.parse("198.51.101.0/24"), 64497)).isEqualTo(RouteOriginState.VALID);
        assertThat(index.state(IpPrefix.parse("192.0.3.0/24"), 64496)).isEqualTo(RouteOriginState.NOT_FOUND);
        assertThat(index.state(IpPrefix.parse("203.0.113.0/24"), 0)).as("AS0 VRP matches nothing")
                .isEqualTo(RouteOriginState.INVALID);
        assertThat(index.state(IpPrefix.parse("192.0.2.0/24"), RoaIndex.NO_ORIGIN)).as("AS_SET origin")
                .isEqualTo(RouteOriginState.INVALID);
    }
}
