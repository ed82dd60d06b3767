package net.rampart.wire.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes messages as a libpcap capture of one IPv4 TCP flow, one message per segment, so that
 * an outside decoder (tshark) reads exactly the bytes a test sends, one frame per message. The
 * flow starts with a SYN so that sequence numbers are relative; checksums are left zero, which
 * tshark does not verify by default. {@link PcapTcpStreams} reads what this writes.
 */
public final class PcapWriter {
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int TCP = 20;

    private PcapWriter() {
    }

    /** Writes the flow from {@code source}:40000 to {@code destination}:{@code port}. */
    public static void write(Path file, byte[] source, byte[] destination, int port, List<byte[]> messages)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer header = ByteBuffer.allocate(24);
            header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(262_144).putInt(1); // snap length, Ethernet
            out.write(header.array());
            long sequence = 1_000;
            int time = 1_700_000_000;
            out.write(packet(time, source, destination, port, sequence, 0x02, new byte[0]));
            sequence++;
            for (byte[] message : messages) {
                out.write(packet(++time, source, destination, port, sequence, 0x18, message));
                sequence += message.length;
            }
        }
    }

    private static byte[] packet(int seconds, byte[] source, byte[] destination, int port, long sequence, int flags,
                                 byte[] payload) {
        int length = ETHERNET + IPV4 + TCP + payload.length;
        ByteBuffer b = ByteBuffer.allocate(16 + length);
        b.putInt(seconds).putInt(0).putInt(length).putInt(length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (IPV4 + TCP + payload.length)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(source).put(destination);
        b.putShort((short) 40000).putShort((short) port).putInt((int) sequence).putInt(0)
                .put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        return b.array();
    }
}
