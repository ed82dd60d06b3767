package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.rampart.mitigation.bgp.OpenNegotiation.Agreed;
import net.rampart.mitigation.bgp.OpenNegotiation.Refused;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import org.junit.jupiter.api.Test;

class OpenNegotiationTest {

    private static SpeakerSettings settings(Duration restartTime) {
        return new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(30),
                List.of(BgpPeer.parse("192.0.2.1/65001")), 0, Duration.ofMillis(200), Duration.ofSeconds(2),
                restartTime);
    }

    private final OpenNegotiation negotiation = new OpenNegotiation(65001, settings(Duration.ZERO));
    private final OpenMessage sent = negotiation.open();

    private static OpenMessage router(long asn, int holdSeconds, Capability... capabilities) {
        return OpenMessage.of(asn, holdSeconds, 0x0A000002, List.of(capabilities));
    }

    @Test
    void ourOpenOffersBothFlowSpecFamiliesRouteRefreshAndFourOctetAs() {
        assertThat(sent.version()).isEqualTo(4);
        assertThat(sent.autonomousSystem()).isEqualTo(65000);
        assertThat(sent.holdTimeSeconds()).isEqualTo(30);
        assertThat(sent.bgpIdentifier()).isEqualTo(0x0A000001);
        assertThat(sent.capabilities()).containsExactly(new Capability.Multiprotocol(AfiSafi.IPV4_FLOWSPEC),
                new Capability.Multiprotocol(AfiSafi.IPV6_FLOWSPEC), new Capability.RouteRefresh(),
                new Capability.FourOctetAs(65000));
    }

    @Test
    void withARestartTimeOurOpenOffersGracefulRestartForBothFamilies() {
        OpenMessage open = new OpenNegotiation(65001, settings(Duration.ofSeconds(120))).open();
        assertThat(open.capability(Capability.GracefulRestart.class)).contains(new Capability.GracefulRestart(
                false, false, 120, List.of(new Capability.GracefulRestartFamily(AfiSafi.IPV4_FLOWSPEC, false),
                        new Capability.GracefulRestartFamily(AfiSafi.IPV6_FLOWSPEC, false))));
    }

    @Test
    void aRouterOfAnotherAsIsRefused() {
        assertThat(negotiation.negotiate(sent, router(65099, 90, new Capability.FourOctetAs(65099))))
                .isEqualTo(new Refused(2, "peer AS 65099 is not the configured 65001"));
    }

    @Test
    void aHoldTimeOfOneOrTwoSecondsIsRefusedAndZeroIsKept() {
        assertThat(negotiation.negotiate(sent, router(65001, 1))).isEqualTo(new Refused(6, "unacceptable hold time 1"));
        assertThat(negotiation.negotiate(sent, router(65001, 2))).isEqualTo(new Refused(6, "unacceptable hold time 2"));
        assertThat(((Agreed) negotiation.negotiate(sent, router(65001, 0))).holdSeconds()).isZero();
    }

    @Test
    void theAgreementHasTheSmallerHoldTimeAndTheRoutersFlowSpecFamilies() {
        Agreed agreed = (Agreed) negotiation.negotiate(sent, router(65001, 90,
                new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST), new Capability.Multiprotocol(AfiSafi.IPV4_FLOWSPEC),
                new Capability.FourOctetAs(65001)));
        assertThat(agreed.holdSeconds()).isEqualTo(30);
        assertThat(agreed.flowSpecFamilies()).containsExactly(AfiSafi.IPV4_FLOWSPEC);
        assertThat(agreed.capabilities().fourOctetAs()).isTrue();
    }

    @Test
    void aRouterWithoutFourOctetAsOrFlowSpecIsAgreedWithAsItIs() {
        Agreed agreed = (Agreed) negotiation.negotiate(sent, new OpenMessage(4, 65001, 10, 0x0A000002, List.of()));
        assertThat(agreed.holdSeconds()).isEqualTo(10);
        assertThat(agreed.flowSpecFamilies()).isEmpty();
        assertThat(agreed.capabilities().fourOctetAs()).isFalse();
    }
}
