package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RpkiDeltaTest {

    @Property(tries = 300)
    void mergingSuccessiveDeltasEqualsTheDiffOfFirstAndLast(@ForAll("histories") List<RpkiSnapshot> history) {
        RpkiDelta merged = RpkiDelta.EMPTY;
        for (int i = 1; i < history.size(); i++) {
            merged = merged.then(RpkiDelta.between(history.get(i - 1), history.get(i)));
        }
        assertThat(merged).isEqualTo(RpkiDelta.between(history.get(0), history.get(history.size() - 1)));
    }

    @Property(tries = 200)
    void equalContentHashesEquallyWhateverTheOrder(@ForAll("vrpLists") List<Vrp> vrps) {
        List<Vrp> reversed = new java.util.ArrayList<>(vrps);
        java.util.Collections.reverse(reversed);
        reversed.addAll(vrps);
        RpkiSnapshot a = RpkiSnapshot.of(VrpSet.of(vrps), List.of(), List.of());
        RpkiSnapshot b = RpkiSnapshot.of(VrpSet.of(reversed), List.of(), List.of());
        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(a.vrps().toList()).isSorted().doesNotHaveDuplicates();
    }

    @Provide
    Arbitrary<List<RpkiSnapshot>> histories() {
        Arbitrary<RpkiSnapshot> snapshot = Combinators.combine(RpkiArbitraries.vrps().list().ofMaxSize(15),
                RpkiArbitraries.aspas().list().ofMaxSize(4))
                .as((v, a) -> RpkiSnapshot.of(VrpSet.of(v), a, List.of()));
        return snapshot.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Vrp>> vrpLists() {
        return RpkiArbitraries.vrps().list().ofMaxSize(40);
    }
}
