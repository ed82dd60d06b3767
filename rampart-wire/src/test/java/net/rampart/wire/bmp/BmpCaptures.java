package net.rampart.wire.bmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.rampart.wire.testing.PcapTcpStreams;
import net.rampart.wire.testing.TestData;

/** The real router captures of the shared test data, split into BMP messages per TCP stream. */
public final class BmpCaptures {

    public static final int BMP_PORT = 1790;

    /** One router-to-collector stream and the complete BMP messages framed from it. */
    public record Session(Path capture, PcapTcpStreams.Stream stream, List<byte[]> messages, int trailingBytes) {
    }

    private BmpCaptures() {
    }

    public static List<Path> captures() throws IOException {
        Path dir = TestData.folder("bmp");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> pcaps = files.filter(p -> p.getFileName().toString().endsWith(".pcap")).sorted().toList();
            org.junit.jupiter.api.Assumptions.assumeFalse(pcaps.isEmpty(), "skipped: no .pcap files in " + dir);
            return pcaps;
        }
    }

    public static List<Session> sessions(Path capture) throws IOException {
        List<Session> sessions = new ArrayList<>();
        for (PcapTcpStreams.Stream stream : PcapTcpStreams.towardsPort(capture, BMP_PORT)) {
            if (stream.payload().length == 0) {
                continue;
            }
            BmpFrameDecoder framer = new BmpFrameDecoder();
            framer.append(stream.payload());
            List<byte[]> messages = new ArrayList<>();
            for (byte[] m = framer.next(); m != null; m = framer.next()) {
                messages.add(m);
            }
            sessions.add(new Session(capture, stream, messages, framer.bufferedBytes()));
        }
        return sessions;
    }
}
