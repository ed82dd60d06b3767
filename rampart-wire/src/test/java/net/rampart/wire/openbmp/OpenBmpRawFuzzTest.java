package net.rampart.wire.openbmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.rampart.wire.DecodeException;

/**
 * Jazzer target for the OpenBMP raw frame reader: a Kafka value is anyone's bytes. Without
 * JAZZER_FUZZ=1 it replays the seed inputs beside this class as a regression test; with it,
 * it fuzzes.
 */
class OpenBmpRawFuzzTest {

    @FuzzTest(maxDuration = "45s")
    void frameDecodesAndReencodesOrFailsWithDecodeException(byte[] data) {
        OpenBmpRawFrame frame;
        try {
            frame = OpenBmpRawFrame.decode(data);
        } catch (DecodeException expected) {
            // The only failure a hostile value may cause.
            return;
        }
        int textBytes = frame.adminId().getBytes(StandardCharsets.UTF_8).length
                + frame.routerGroup().getBytes(StandardCharsets.UTF_8).length;
        if (textBytes > 0xFFFF - OpenBmpRawFrame.FIXED_HEADER_BYTES) {
            // Bytes that are not UTF-8 were read as replacement characters, longer than they were.
            return;
        }
        long micros = frame.collectedAt().getEpochSecond() * 1_000_000 + frame.collectedAt().getNano() / 1_000;
        byte[] again = new OpenBmpRawEncoder(frame.adminId(), frame.router(), frame.routerGroup())
                .frame(micros, frame.bmpMessage(), 0, frame.bmpMessage().length);
        OpenBmpRawFrame reread = OpenBmpRawFrame.decode(again);
        assertThat(reread.bmpMessage()).isEqualTo(frame.bmpMessage());
        assertThat(reread.router()).isEqualTo(frame.router());
        assertThat(reread.adminId()).isEqualTo(frame.adminId());
        assertThat(reread.collectedAt()).isEqualTo(frame.collectedAt());
    }
}
