package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.ip.IpPrefix;

class DeltaFootprintTest {

    /** A route outside the footprint keeps its state: skipping it is never wrong. */
    @Property(tries = 300)
    void routesOutsideTheFootprintKeepTheirState(@ForAll("vrps") List<Vrp> before, @ForAll("vrps") List<Vrp> after,
            @ForAll("routes") List<IpPrefix> routes, @ForAll("origins") long origin) {
        RpkiSnapshot a = RpkiSnapshot.of(VrpSet.of(before), List.of(), List.of());
        RpkiSnapshot b = RpkiSnapshot.of(VrpSet.of(after), List.of(), List.of());
        DeltaFootprint footprint = new DeltaFootprint(RpkiDelta.between(a, b));
        RoaIndex ia = new RoaIndex(a.vrps());
        RoaIndex ib = new RoaIndex(b.vrps());
        for (IpPrefix route : routes) {
            if (!footprint.touches(route)) {
                assertThat(ib.state(route, origin)).isEqualTo(ia.state(route, origin));
            }
        }
    }

    @Provide
    Arbitrary<List<Vrp>> vrps() {
        return RpkiArbitraries.vrps().list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<IpPrefix>> routes() {
        return RpkiArbitraries.prefixes().list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<Long> origins() {
        return net.jqwik.api.Arbitraries.longs().between(64_500, 64_505);
    }
}
