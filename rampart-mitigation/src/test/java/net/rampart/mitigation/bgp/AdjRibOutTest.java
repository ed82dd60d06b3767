package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class AdjRibOutTest {

    private static FlowSpecRule rule(String dst, FlowAction action) {
        return new FlowSpecRule(new FlowMatch(IpPrefix.parse(dst), OptionalInt.of(17), List.of(), false), action);
    }

    @Test
    void aRuleAnnouncedAgainWithAnotherActionReplacesTheFirst() {
        AdjRibOut rib = new AdjRibOut();
        FlowSpecRule police = rule("192.0.2.10/32", new FlowAction.TrafficRate(12_500_000f));
        FlowSpecRule drop = rule("192.0.2.10/32", new FlowAction.Discard());
        rib.announced(List.of(police));
        rib.announced(List.of(drop));
        assertThat(rib.rules()).containsExactly(drop);
    }

    @Test
    void onlyAnnouncedMatchesAreWithdrawn() {
        AdjRibOut rib = new AdjRibOut();
        FlowSpecRule a = rule("192.0.2.10/32", new FlowAction.Discard());
        FlowSpecRule b = rule("192.0.2.11/32", new FlowAction.Discard());
        FlowSpecRule never = rule("192.0.2.12/32", new FlowAction.Discard());
        rib.announced(List.of(a, b));
        assertThat(rib.withdraw(List.of(never, b))).containsExactly(b.match());
        assertThat(rib.withdraw(List.of(b))).isEmpty();
        assertThat(rib.rules()).containsExactly(a);
    }

    @Test
    void takeAllEmptiesItInAnnouncementOrder() {
        AdjRibOut rib = new AdjRibOut();
        FlowSpecRule a = rule("192.0.2.10/32", new FlowAction.Discard());
        FlowSpecRule b = rule("192.0.2.11/32", new FlowAction.Discard());
        rib.announced(List.of(b, a));
        assertThat(rib.takeAll()).containsExactly(b, a);
        assertThat(rib.isEmpty()).isTrue();
    }
}
