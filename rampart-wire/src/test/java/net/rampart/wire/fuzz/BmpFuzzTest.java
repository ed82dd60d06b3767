package net.rampart.wire.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bmp.BmpFrameDecoder;
import net.rampart.wire.bmp.BmpSession;

/**
 * Jazzer fuzz target for the BMP decoders: arbitrary bytes as a router's TCP stream, framed and
 * decoded with per-peer state. Anything but a {@link DecodeException} is a finding.
 *
 * <p>A normal build runs the seed corpus under {@code src/test/resources/.../BmpFuzzTestInputs}
 * plus every crash Jazzer kept there. Fuzz for a bounded time with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl rampart-wire test -Dtest=BmpFuzzTest}.
 */
class BmpFuzzTest {

    @FuzzTest(maxDuration = "45s")
    void bmpStream(byte[] stream) {
        BmpFrameDecoder framer = new BmpFrameDecoder(1 << 16);
        BmpSession session = new BmpSession(64);
        // Feed in two parts so the framer's partial-message path is exercised too.
        int split = stream.length / 2;
        framer.append(stream, 0, split);
        try {
            drain(framer, session);
            framer.append(stream, split, stream.length - split);
            drain(framer, session);
        } catch (DecodeException expected) {
            // hostile input is allowed to be rejected, only this way
        }
    }

    private static void drain(BmpFrameDecoder framer, BmpSession session) {
        for (byte[] message = framer.next(); message != null; message = framer.next()) {
            try {
                session.decode(message);
            } catch (DecodeException rejected) {
                // one bad message does not end the session
            }
        }
    }
}
