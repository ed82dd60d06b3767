package net.rampart.wire.rtr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.rampart.wire.DecodeException;

/**
 * Jazzer target for the RTR framer and decoder. Without JAZZER_FUZZ=1 it replays the seed
 * inputs beside this class as a regression test; with it, it fuzzes.
 */
class RtrPduFuzzTest {

    @FuzzTest(maxDuration = "45s")
    void streamDecodesOrFailsWithDecodeException(byte[] data) {
        ByteBuffer stream = ByteBuffer.wrap(data);
        RtrFramer framer = new RtrFramer(4096);
        try {
            RtrPdu pdu;
            while ((pdu = framer.next(stream)) != null) {
                byte[] reencoded = RtrPduEncoder.encode(pdu);
                assertThat(RtrPduDecoder.decode(ByteBuffer.wrap(reencoded))).isEqualTo(pdu);
            }
        } catch (DecodeException expected) {
            // The only failure a hostile stream may cause.
        }
    }
}
