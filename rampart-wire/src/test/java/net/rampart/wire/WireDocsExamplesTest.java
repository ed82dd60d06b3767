package net.rampart.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bmp.BmpFrameDecoder;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.mrt.MrtReader;
import net.rampart.wire.mrt.MrtRecord;
import net.rampart.wire.mrt.MrtRouteDecoder;
import net.rampart.wire.testing.PcapTcpStreams;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;

/** The examples of docs/wire.md, verbatim, run over real data: they compile and they print routes. */
class WireDocsExamplesTest {

    @Test
    void bmpExample() throws Exception {
        Path capture = TestData.folder("bmp").resolve("201-BMP-CISCO-rd_instance.pcap");
        byte[] bytes = PcapTcpStreams.towardsPort(capture, 1790).get(0).payload();
        int n = bytes.length;
        String printed = capturingStdout(() -> {
            BmpFrameDecoder framer = new BmpFrameDecoder();
            BmpSession session = new BmpSession();          // one per router connection
            framer.append(bytes, 0, n);                     // as read from the socket
            for (byte[] m = framer.next(); m != null; m = framer.next()) {
                switch (session.decode(m)) {                // DecodeException: log it, go on with the next message
                    case BmpMessage.RouteMonitoring rm ->
                            System.out.println(rm.peer().address() + " " + rm.peer().ribView() + " " + rm.update().announced());
                    case BmpMessage.PeerDown down -> System.out.println(down.peer().address() + " down, reason " + down.reason());
                    default -> { }
                }
            }
        });
        assertThat(printed).contains("ADJ_RIB_IN_PRE_POLICY [UnicastNlri[");
    }

    @Test
    void mrtExample() throws Exception {
        Path dump = TestData.folder("mrt").resolve("ripe_rrc03_2010.02_updates.20100227.1600.first-796-records.gz");
        String printed = capturingStdout(() -> {
            try (MrtReader reader = MrtReader.open(dump)) {
                while (reader.hasNext()) {
                    if (reader.next() instanceof MrtRecord.Bgp4mpMessage m
                            && MrtRouteDecoder.message(m) instanceof UpdateMessage update) {
                        System.out.println(m.peerAddress() + " " + update.announced() + " " + update.attributes());
                    }
                }
            }
        });
        assertThat(printed).contains("AsPath[");
    }

    private interface Example {
        void run() throws Exception;
    }

    private static String capturingStdout(Example example) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
