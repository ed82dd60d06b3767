package net.rampart.server.mitigation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.server.RampartService;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class MitigationJsonTest {

    private static String action(long bitsPerSecond) throws Exception {
        FlowSpecRule rule = new FlowSpecRule(new FlowMatch(IpPrefix.parse("192.0.2.10/32"), OptionalInt.of(17),
                List.of(53), false), FlowAction.TrafficRate.bitsPerSecond(bitsPerSecond));
        // Written straight from the map, as the routes answer with it.
        return RampartService.jsonMapper().writeValueAsString(MitigationJson.rule(rule).get("action"));
    }

    @Test
    void aPoliceRateIsAPlainNumberNotAnExponent() throws Exception {
        // 100 Mbit/s is 12500000 bytes/s, which Jackson writes for a float as 1.25E7.
        assertThat(action(100_000_000L)).contains("\"bytes_per_second\":12500000,")
                .contains("\"rate_bps\":100000000").doesNotContain("E");
    }

    @Test
    void aRateOfAFractionOfAByteKeepsItsDecimals() throws Exception {
        // 100 bit/s is 12.5 bytes/s on the wire: shown as it is sent, not cut to 12.
        assertThat(action(100)).contains("\"bytes_per_second\":12.5,");
    }
}
