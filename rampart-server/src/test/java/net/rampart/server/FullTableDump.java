package net.rampart.server;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * A gzip'd MRT TABLE_DUMP_V2 file (RFC 6396) of one peer's IPv4 full table, as a route collector
 * writes it: a PEER_INDEX_TABLE, then one RIB_IPV4_UNICAST record per prefix in prefix order.
 * The prefixes are distinct, their lengths weighted like a public table's (mostly /24); a run of
 * 1-8 prefixes shares an attribute set, as an origin announcing its blocks does; AS paths are
 * 2-9 hops. The attributes are encoded by the project's own UPDATE encoder. Deterministic for a
 * given seed.
 */
final class FullTableDump {

    private static final int TABLE_DUMP_V2 = 13;
    private static final int PEER_INDEX_TABLE = 1;
    private static final int RIB_IPV4_UNICAST = 2;
    /** Peer type flag: its AS is 4 octets (its address is IPv4: the other flag is clear). */
    private static final int PEER_AS4 = 0x02;
    private static final int PEER_ADDRESS = 0xC0000202; // 192.0.2.2
    private static final long PEER_AS = 64_500;
    /** Lengths and weights (per mille), roughly as in public IPv4 tables. */
    private static final int[][] LENGTHS = {{24, 600}, {23, 95}, {22, 105}, {21, 50}, {20, 45}, {19, 30},
            {18, 15}, {17, 10}, {16, 30}, {15, 5}, {14, 5}, {13, 4}, {12, 3}, {11, 2}, {10, 1}};

    private FullTableDump() {
    }

    /** Writes {@code routes} routes to {@code file}; returns the file. */
    static Path write(Path file, int routes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long[] prefixes = prefixes(random, routes);
        int time = (int) (System.currentTimeMillis() / 1000);
        try (var out = new DataOutputStream(new BufferedOutputStream(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16))) {
            header(out, time, PEER_INDEX_TABLE, 4 + 2 + 2 + 1 + 4 + 4 + 4);
            out.writeInt(PEER_ADDRESS); // collector BGP ID
            out.writeShort(0); // no view name
            out.writeShort(1);
            out.writeByte(PEER_AS4);
            out.writeInt(PEER_ADDRESS);
            out.writeInt(PEER_ADDRESS);
            out.writeInt((int) PEER_AS);
            byte[] attributes = null;
            int shared = 0;
            for (int sequence = 0; sequence < prefixes.length; sequence++) {
                if (shared == 0) {
                    attributes = attributes(random);
                    shared = 1 + random.nextInt(4) + random.nextInt(4);
                }
                shared--;
                int address = (int) (prefixes[sequence] >>> 8);
                int length = (int) (prefixes[sequence] & 0xFF);
                int prefixBytes = (length + 7) / 8;
                header(out, time, RIB_IPV4_UNICAST, 4 + 1 + prefixBytes + 2 + 2 + 4 + 2 + attributes.length);
                out.writeInt(sequence);
                out.writeByte(length);
                for (int i = 0; i < prefixBytes; i++) {
                    out.writeByte(address >>> (24 - 8 * i));
                }
                out.writeShort(1); // one RIB entry: the peer's route
                out.writeShort(0); // peer index
                out.writeInt(time); // originated
                out.writeShort(attributes.length);
                out.write(attributes);
            }
        }
        return file;
    }

    private static void header(DataOutputStream out, int time, int subtype, int length) throws IOException {
        out.writeInt(time);
        out.writeShort(TABLE_DUMP_V2);
        out.writeShort(subtype);
        out.writeInt(length);
    }

    /** {@code count} distinct prefixes in 1.0.0.0 - 223.255.255.255, each packed as address << 8 | length, sorted. */
    private static long[] prefixes(SplittableRandom random, int count) {
        int total = Arrays.stream(LENGTHS).mapToInt(w -> w[1]).sum();
        long[] unique = new long[0];
        // A few draws collide; each round tops up what they took. Bounded: collisions are rare.
        for (int round = 0; round < 10 && unique.length < count; round++) {
            long[] drawn = Arrays.copyOf(unique, unique.length + (count - unique.length) * 11 / 10 + 16);
            for (int i = unique.length; i < drawn.length; i++) {
                int length = length(random.nextInt(total));
                int address = (int) (0x01000000L + random.nextLong(0xDF000000L - 0x01000000L)) & Ipv4Prefix.mask(length);
                drawn[i] = Integer.toUnsignedLong(address) << 8 | length;
            }
            unique = Arrays.stream(drawn).sorted().distinct().toArray();
        }
        if (unique.length < count) {
            throw new IllegalStateException("drew only " + unique.length + " distinct prefixes of " + count);
        }
        return Arrays.copyOf(unique, count);
    }

    private static int length(int roll) {
        int sum = 0;
        for (int[] w : LENGTHS) {
            sum += w[1];
            if (roll < sum) {
                return w[0];
            }
        }
        return LENGTHS[0][0];
    }

    /** ORIGIN, a 4-octet AS_PATH from the peer's AS and NEXT_HOP the peer, as TABLE_DUMP_V2 stores them. */
    private static byte[] attributes(SplittableRandom random) {
        long[] path = new long[2 + random.nextInt(4) + random.nextInt(4)];
        path[0] = PEER_AS;
        for (int i = 1; i < path.length; i++) {
            path[i] = random.nextInt(10) < 8 ? 1 + random.nextInt(64_000) : 131_072 + random.nextInt(300_000);
        }
        List<PathAttribute> attributes = List.of(new PathAttribute.Origin(random.nextInt(10) == 0 ? 2 : 0),
                PathAttribute.AsPath.sequence(path), new PathAttribute.NextHop(PEER_ADDRESS));
        byte[] update = BgpMessageEncoder.encode(new UpdateMessage(List.of(), attributes, List.of()),
                PeerCapabilities.FOUR_OCTET_AS);
        // An UPDATE is the 19-octet header, withdrawn routes' length (0 here), the attributes'
        // length and the attributes: the attributes are what a RIB entry holds.
        int length = (update[21] & 0xFF) << 8 | update[22] & 0xFF;
        return Arrays.copyOfRange(update, 23, 23 + length);
    }
}
