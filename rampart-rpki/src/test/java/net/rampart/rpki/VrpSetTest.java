package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VrpSetTest {

    private static final Vrp A = Vrp.parse("192.0.2.0/24", 24, 64496);
    private static final Vrp B = Vrp.parse("198.51.100.0/24", 24, 64497);

    @Test
    void aVrpListedTwiceLastsUntilTheLaterExpiry() {
        VrpSet set = new VrpSet.Builder().add(A, "ripe", 1_800_000_000L).add(B, "arin", 1_700_000_000L)
                .add(A, "apnic", 1_850_000_000L).add(A, "ripe", 1_750_000_000L).build();

        assertThat(set.toList()).containsExactly(A, B);
        assertThat(set.expires(0)).isEqualTo(1_850_000_000L);
        assertThat(set.expires(1)).isEqualTo(1_700_000_000L);
    }

    @Test
    void oneListingWithoutAnExpiryMakesItUnknown() {
        VrpSet set = new VrpSet.Builder().add(A, "ripe", 1_800_000_000L).add(A, "csv").build();

        assertThat(set.expires(0)).as("nothing says when the CSV listing ends").isZero();
        assertThat(VrpSet.of(List.of(A)).expires(0)).isZero();
    }

    @Test
    void expiriesSurviveFilteringAndUnionsButAreNoPartOfEquality() {
        VrpSet set = new VrpSet.Builder().add(A, "ripe", 1_800_000_000L).add(B, "arin", 4_000_000_000L).build();

        VrpSet onlyB = set.retain(i -> i == 1);
        VrpSet.Builder union = new VrpSet.Builder();
        set.addTo(union);

        assertThat(onlyB.expires(0)).as("past 2038: held unsigned").isEqualTo(4_000_000_000L);
        assertThat(union.build().sameExpiries(set)).isTrue();
        assertThat(VrpSet.of(List.of(A, B))).isEqualTo(set);
        assertThat(VrpSet.of(List.of(A, B)).sameExpiries(set)).isFalse();
        assertThat(RpkiSnapshot.of(VrpSet.of(List.of(A, B)), List.of(), List.of()).hash())
                .isEqualTo(RpkiSnapshot.of(set, List.of(), List.of()).hash());
    }
}
