package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.rampart.detect.route.OriginValidity;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class VrpValidityTest {

    private static final IpPrefix P = IpPrefix.parse("192.0.2.0/24");

    private static VrpValidity over(Vrp... vrps) {
        // Only the ROA index of a view is read: the serial history behind it plays no part.
        RpkiView view = new RpkiView(null, new RoaIndex(VrpSet.of(List.of(vrps))), null);
        return new VrpValidity(() -> view);
    }

    @Test
    void theOriginsAuthorisedAreThoseOfCoveringVrpsWhoseMaximumLengthReachesThePrefix() {
        VrpValidity vrps = over(Vrp.parse("192.0.2.0/24", 24, 64502), Vrp.parse("192.0.2.0/23", 24, 64500),
                Vrp.parse("192.0.2.0/23", 23, 64666), Vrp.parse("192.0.0.0/16", 24, 64500),
                Vrp.parse("192.0.2.0/25", 25, 64777), Vrp.parse("198.51.100.0/24", 24, 64888));

        assertThat(vrps.authorisedOrigins(P)).containsExactly(64500, 64502);
        assertThat(vrps.validity(P, 64666)).isEqualTo(OriginValidity.INVALID_LENGTH);
        assertThat(vrps.validity(P, 64777)).isEqualTo(OriginValidity.INVALID_ORIGIN);
        assertThat(vrps.authorisedOrigins(IpPrefix.parse("203.0.113.0/24"))).isEmpty();
    }

    @Test
    void anOriginsCoverageEndsWithTheLatestOfTheVrpsAuthorisingItUnlessOneHasNoKnownExpiry() {
        VrpSet set = new VrpSet.Builder().add(Vrp.parse("192.0.2.0/24", 24, 64500), "ripe", 1_800_000_000L)
                .add(Vrp.parse("192.0.0.0/16", 24, 64500), "ripe", 1_850_000_000L)
                .add(Vrp.parse("192.0.0.0/16", 16, 64500), "ripe", 1_990_000_000L)
                .add(Vrp.parse("192.0.2.0/24", 24, 64501), "ripe", 1_700_000_000L)
                .add(Vrp.parse("192.0.2.0/24", 24, 64502), "csv").build();
        RpkiView view = new RpkiView(null, new RoaIndex(set), null);
        VrpValidity vrps = new VrpValidity(() -> view);

        assertThat(vrps.coverageEnd(P, 64500)).as("the /16 up to /16 does not authorise the /24")
                .isEqualTo(1_850_000_000L);
        assertThat(vrps.coverageEnd(P, 64501)).isEqualTo(1_700_000_000L);
        assertThat(vrps.coverageEnd(P, 64502)).as("unknown").isZero();
        assertThat(vrps.coverageEnd(P, 64666)).as("not authorised").isZero();
    }

    @Test
    void withoutVrpsNothingIsKnown() {
        assertThat(over().authorisedOrigins(P)).isNull();
        assertThat(over().validity(P, 64500)).isEqualTo(OriginValidity.UNKNOWN);
        assertThat(new VrpValidity(() -> null).authorisedOrigins(P)).isNull();
        assertThat(new VrpValidity(() -> null).validity(P, 64500)).isEqualTo(OriginValidity.UNKNOWN);
    }
}
