package net.rampart.collector.bmp;

import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4Prefix;
import net.rampart.collector.rib.Ipv6Prefix;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.ErrorAction;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateTranslatorTest {

    private final UpdateTranslator translator = new UpdateTranslator();

    private static UnicastNlri v4(String cidr) {
        return new UnicastNlri(net.rampart.wire.bgp.nlri.Ipv4Prefix.parse(cidr));
    }

    @Test
    void ipv4AndMpBlocksBecomeOneUpdateEachWithEveryAttribute() {
        var mpReach = new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, new byte[16],
                List.<Nlri>of(new UnicastNlri(7, net.rampart.wire.bgp.nlri.Ipv6Prefix.parse("2001:db8::/32"))));
        var update = new UpdateMessage(List.of(v4("198.51.100.0/24")), List.of(
                new PathAttribute.Origin(0), PathAttribute.AsPath.sequence(65001, 65002),
                new PathAttribute.NextHop(0xC0000201), new PathAttribute.MultiExitDisc(5),
                new PathAttribute.Communities(new int[] {0xFDE90007}),
                new PathAttribute.LargeCommunities(List.of(new LargeCommunity(65001, 1, 2))), mpReach),
                List.of(v4("192.0.2.0/24")));

        List<RouteUpdate> blocks = translator.translate(update, 1000);

        assertThat(blocks).hasSize(2);
        RouteUpdate ipv4 = blocks.get(0);
        assertThat(ipv4.family()).isEqualTo(Family.IPV4_UNICAST);
        assertThat(List.<Object>copyOf(ipv4.announced())).containsExactly(Ipv4Prefix.parse("192.0.2.0/24", 0));
        assertThat(List.<Object>copyOf(ipv4.withdrawn())).containsExactly(Ipv4Prefix.parse("198.51.100.0/24", 0));
        assertThat(ipv4.attributes().nextHop()).containsExactly(192, 0, 2, 1);
        assertThat(ipv4.attributes().asPath().asns()).containsExactly(65001, 65002);
        assertThat(ipv4.attributes().med()).isEqualTo(5);
        assertThat(ipv4.attributes().hasLargeCommunity(65001, 1, 2)).isTrue();
        RouteUpdate ipv6 = blocks.get(1);
        assertThat(ipv6.family()).isEqualTo(Family.IPV6_UNICAST);
        assertThat(List.<Object>copyOf(ipv6.announced())).containsExactly(Ipv6Prefix.parse("2001:db8::/32", 7));
        assertThat(ipv6.attributes().nextHop()).hasSize(16);
    }

    @Test
    void malformedAttributeWithdrawsButAMissingOneDoesNot() {
        var malformed = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0)), List.of(v4("192.0.2.0/24")),
                List.of(new UpdateError(2, ErrorAction.TREAT_AS_WITHDRAW, "AS_PATH segment overruns the attribute")), 0);
        assertThat(translator.translate(malformed, 0)).singleElement().satisfies(block -> {
            assertThat(List.<Object>copyOf(block.announced())).isEmpty();
            assertThat(List.<Object>copyOf(block.withdrawn())).containsExactly(Ipv4Prefix.parse("192.0.2.0/24", 0));
        });

        var missing = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(2), new PathAttribute.NextHop(1)),
                List.of(v4("192.0.2.0/24")),
                List.of(new UpdateError(2, ErrorAction.TREAT_AS_WITHDRAW, "missing well-known attribute AS_PATH")), 0);
        assertThat(translator.translate(missing, 0)).singleElement().satisfies(block ->
                assertThat(List.<Object>copyOf(block.announced())).containsExactly(Ipv4Prefix.parse("192.0.2.0/24", 0)));
    }

    @Test
    void familiesTheRibDoesNotHoldAreCounted() {
        var flowspecLike = new PathAttribute.MpUnreach(AfiSafi.IPV4_VPN, List.of(v4("192.0.2.0/24")));
        var update = new UpdateMessage(List.of(), List.of(flowspecLike), List.of());
        assertThat(translator.translate(update, 0)).isEmpty();
        assertThat(translator.untranslatedRoutes()).isEqualTo(1);
    }
}
