package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.rampart.rpki.AspaVerifier.Outcome;
import org.junit.jupiter.api.Test;

/** Cases from the up-ramp/down-ramp definitions of draft-ietf-sidrops-aspa-verification. */
class AspaVerifierTest {

    // 1 -> 2 -> 3 is a customer-to-provider chain and 3 has no provider; 6 is a customer of 3;
    // 4 has only 9 as provider; 5 has no ASPA.
    private final AspaVerifier verifier = new AspaVerifier(List.of(new AspaRecord(1, new long[] {2}),
            new AspaRecord(2, new long[] {3}), new AspaRecord(3, new long[] {}), new AspaRecord(4, new long[] {9}),
            new AspaRecord(6, new long[] {3})));

    private Outcome up(long... path) {
        return verifier.verify(path, false, false);
    }

    private Outcome down(long... path) {
        return verifier.verify(path, false, true);
    }

    @Test
    void upstreamAllProvidersIsValid() {
        assertThat(up(3, 2, 1)).isEqualTo(Outcome.VALID);
        assertThat(up(3, 3, 2, 2, 1)).as("prepends collapse").isEqualTo(Outcome.VALID);
        assertThat(up(1)).isEqualTo(Outcome.VALID);
    }

    @Test
    void upstreamNotProviderIsInvalid() {
        assertThat(up(5, 3, 2, 1)).as("3 attests no providers").isEqualTo(Outcome.INVALID);
    }

    @Test
    void upstreamMissingAttestationIsUnknown() {
        assertThat(up(6, 5)).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void downstreamUpThenDownIsValid() {
        // Origin 1 climbs to 3, which passes the route down to its customer 6.
        assertThat(down(6, 3, 2, 1)).isEqualTo(Outcome.VALID);
    }

    @Test
    void downstreamValleyIsInvalid() {
        // Up 1-2-3, then two lateral hops 3-5 and 5-4 before going down to 9: a leak.
        assertThat(down(9, 4, 5, 3, 2, 1)).isEqualTo(Outcome.INVALID);
        // One lateral hop at the top (2-4 peering) is allowed; 9 attests nothing, so unknown.
        assertThat(down(9, 4, 2, 1)).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void downstreamShortPathIsValid() {
        assertThat(down(7, 8)).isEqualTo(Outcome.VALID);
    }

    @Test
    void asSetIsInvalid() {
        assertThat(verifier.verify(new long[] {3, 2, 1}, true, false)).isEqualTo(Outcome.INVALID);
    }
}
