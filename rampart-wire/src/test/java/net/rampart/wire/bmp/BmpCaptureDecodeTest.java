package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every BMP message of the real Huawei, Cisco and 6WIND/FRR captures frames and decodes. */
class BmpCaptureDecodeTest {

    @Test
    void everyMessageOfEveryCaptureDecodes() throws Exception {
        for (Path capture : BmpCaptures.captures()) {
            List<BmpCaptures.Session> sessions = BmpCaptures.sessions(capture);
            assertThat(sessions).as("BMP streams in %s", capture.getFileName()).isNotEmpty();
            Map<Integer, Integer> types = new TreeMap<>();
            for (BmpCaptures.Session session : sessions) {
                assertThat(session.stream().gaps()).as("TCP gaps in %s", session.stream()).isZero();
                BmpSession state = new BmpSession();
                for (byte[] message : session.messages()) {
                    BmpMessage decoded = state.decode(message);
                    types.merge(decoded.type(), 1, Integer::sum);
                    assertThat(decoded).isNotInstanceOf(BmpMessage.Unknown.class);
                }
            }
            System.out.println(capture.getFileName() + " " + types);
            assertThat(types).as("message types in %s", capture.getFileName()).containsKey(BmpMessage.ROUTE_MONITORING);
        }
    }
}
