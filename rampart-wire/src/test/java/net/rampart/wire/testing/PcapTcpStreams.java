package net.rampart.wire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a libpcap capture (Ethernet, optional VLAN tags, IPv4/IPv6, TCP) and reassembles the
 * payload of every TCP direction by sequence number, so that a BMP stream can be fed to the
 * frame decoder exactly as a collector's socket would have received it. Retransmitted and
 * overlapping segments are merged; a gap ends the stream at the gap (reported by {@link
 * Stream#gaps()}).
 */
public final class PcapTcpStreams {

    /** One TCP direction, in order of first appearance in the capture. */
    public record Stream(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                         byte[] payload, int gaps) {
        @Override
        public String toString() {
            return source.getHostAddress() + ":" + sourcePort + " > " + destination.getHostAddress() + ":"
                    + destinationPort + " (" + payload.length + " bytes)";
        }
    }

    private PcapTcpStreams() {
    }

    /** Every TCP direction whose destination port is {@code port}, with the bytes that went that way. */
    public static List<Stream> towardsPort(Path pcap, int port) throws IOException {
        List<Stream> result = new ArrayList<>();
        for (Stream s : read(pcap)) {
            if (s.destinationPort == port) {
                result.add(s);
            }
        }
        return result;
    }

    public static List<Stream> read(Path pcap) throws IOException {
        byte[] file;
        try (InputStream in = Files.newInputStream(pcap)) {
            file = in.readAllBytes();
        }
        ByteBuffer buf = ByteBuffer.wrap(file);
        int magic = buf.getInt(0);
        switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> buf.order(ByteOrder.BIG_ENDIAN);
            case 0xd4c3b2a1, 0x4d3cb2a1 -> buf.order(ByteOrder.LITTLE_ENDIAN);
            default -> throw new IOException("not a libpcap file: magic " + Integer.toHexString(magic));
        }
        int linkType = buf.getInt(20);
        if (linkType != 1) {
            throw new IOException("link type " + linkType + ", only Ethernet (1) is read");
        }
        Map<String, Direction> directions = new LinkedHashMap<>();
        int pos = 24;
        while (pos + 16 <= file.length) {
            int capturedLength = buf.getInt(pos + 8);
            int start = pos + 16;
            if (capturedLength < 0 || start + capturedLength > file.length) {
                throw new IOException("truncated packet record at " + pos);
            }
            ethernet(file, start, capturedLength, directions);
            pos = start + capturedLength;
        }
        List<Stream> streams = new ArrayList<>();
        for (Direction d : directions.values()) {
            streams.add(d.reassemble());
        }
        return streams;
    }

    private static void ethernet(byte[] b, int off, int len, Map<String, Direction> directions) throws IOException {
        int end = off + len;
        int p = off + 12;
        int etherType = u16(b, p);
        p += 2;
        while (etherType == 0x8100 || etherType == 0x88a8) {
            etherType = u16(b, p + 2);
            p += 4;
        }
        InetAddress src;
        InetAddress dst;
        int protocol;
        int ipEnd;
        if (etherType == 0x0800) {
            int headerLength = (b[p] & 0x0f) * 4;
            ipEnd = Math.min(end, p + u16(b, p + 2));
            protocol = b[p + 9] & 0xff;
            src = InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, p + 12, p + 16));
            dst = InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, p + 16, p + 20));
            p += headerLength;
        } else if (etherType == 0x86dd) {
            ipEnd = Math.min(end, p + 40 + u16(b, p + 4));
            protocol = b[p + 6] & 0xff;
            src = InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, p + 8, p + 24));
            dst = InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, p + 24, p + 40));
            p += 40;
        } else {
            return;
        }
        if (protocol != 6) {
            return;
        }
        int sourcePort = u16(b, p);
        int destinationPort = u16(b, p + 2);
        long sequence = u32(b, p + 4);
        int flags = b[p + 13] & 0xff;
        int dataOffset = ((b[p + 12] & 0xf0) >> 4) * 4;
        int payloadStart = p + dataOffset;
        String key = src.getHostAddress() + "/" + sourcePort + ">" + dst.getHostAddress() + "/" + destinationPort;
        Direction d = directions.computeIfAbsent(key, k -> new Direction(src, sourcePort, dst, destinationPort));
        if ((flags & 0x02) != 0) {
            d.synSequence = sequence;
        }
        if (payloadStart < ipEnd) {
            d.segments.merge(sequence, java.util.Arrays.copyOfRange(b, payloadStart, ipEnd),
                    (old, fresh) -> old.length >= fresh.length ? old : fresh);
        }
    }

    private static final class Direction {
        final InetAddress source;
        final int sourcePort;
        final InetAddress destination;
        final int destinationPort;
        final TreeMap<Long, byte[]> segments = new TreeMap<>();
        Long synSequence;

        Direction(InetAddress source, int sourcePort, InetAddress destination, int destinationPort) {
            this.source = source;
            this.sourcePort = sourcePort;
            this.destination = destination;
            this.destinationPort = destinationPort;
        }

        Stream reassemble() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int gaps = 0;
            if (!segments.isEmpty()) {
                // Sequence numbers are relative to the first byte seen; wrap-around is
                // irrelevant for captures of this size but handled by working in offsets.
                // Synthetic captures put data on the SYN at the SYN's own sequence number.
                long base = synSequence == null ? segments.firstKey()
                        : segments.containsKey(synSequence) ? synSequence : (synSequence + 1) & 0xffffffffL;
                TreeMap<Long, byte[]> byOffset = new TreeMap<>();
                segments.forEach((seq, data) -> byOffset.merge((seq - base) & 0xffffffffL, data,
                        (a, c) -> a.length >= c.length ? a : c));
                long next = 0;
                for (Map.Entry<Long, byte[]> e : byOffset.entrySet()) {
                    long offset = e.getKey();
                    byte[] data = e.getValue();
                    if (offset > next) {
                        gaps++;
                        break;
                    }
                    int skip = (int) (next - offset);
                    if (skip < data.length) {
                        out.write(data, skip, data.length - skip);
                        next += data.length - skip;
                    }
                }
            }
            return new Stream(source, sourcePort, destination, destinationPort, out.toByteArray(), gaps);
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i) {
        return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
