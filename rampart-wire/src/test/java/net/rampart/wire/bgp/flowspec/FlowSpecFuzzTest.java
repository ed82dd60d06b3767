package net.rampart.wire.bgp.flowspec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.ByteSink;

/**
 * Jazzer target for FlowSpec NLRI. The first byte's low bit picks IPv4 or IPv6, the rest is
 * the NLRI field of an MP_REACH. Decoding may only throw {@link DecodeException}; decoded
 * rules must encode and decode back to themselves.
 */
class FlowSpecFuzzTest {

    @FuzzTest(maxDuration = "45s")
    void decodeFlowSpec(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int afi = (input[0] & 1) + 1;
        List<FlowSpecNlri> rules = new ArrayList<>();
        try {
            FlowSpecCodec.read(new WireCursor(input, 1, input.length - 1), afi, rules);
        } catch (DecodeException e) {
            return;
        }
        ByteSink out = new ByteSink();
        for (FlowSpecNlri rule : rules) {
            FlowSpecCodec.write(rule, out);
        }
        List<FlowSpecNlri> again = new ArrayList<>();
        FlowSpecCodec.read(new WireCursor(out.toByteArray()), afi, again);
        assertThat(again).isEqualTo(rules);
    }
}
