package net.rampart.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * A realistic, reproducible VRP set: about 85% IPv4, prefix lengths and maximum lengths
 * distributed roughly as in the global RPKI (most IPv4 VRPs /24 or /22../16 with
 * max length up to /24; IPv6 mostly /32../48), ASNs from a skewed population so that
 * large holders have many VRPs, and nested VRPs (a covering /16 with its /24s).
 *
 * <p>As a program, {@code VrpSetGenerator COUNT FILE [SEED]} writes such a set as rpki-client
 * JSON, for a service to read as a {@code file:} source ({@code RAMPART_RPKI_SOURCES}).
 */
public final class VrpSetGenerator {

    private VrpSetGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: VrpSetGenerator COUNT FILE [SEED]");
            System.exit(2);
        }
        VrpSet vrps = generate(Integer.parseInt(args[0]), args.length > 2 ? Long.parseLong(args[2]) : 1);
        writeJson(Path.of(args[1]), vrps);
        System.out.printf("%d VRPs (%d IPv4) written to %s%n", vrps.size(), vrps.ipv4Count(), args[1]);
    }

    /** {@code vrps} as an rpki-client JSON export (no expiry times), as StayRTR and Rampart read it. */
    public static void writeJson(Path file, VrpSet vrps) throws IOException {
        StringBuilder sb = new StringBuilder(80 * vrps.size());
        sb.append("{\"metadata\": {\"buildtime\": \"2026-01-01T00:00:00Z\"}, \"roas\": [\n");
        for (int i = 0; i < vrps.size(); i++) {
            sb.append(i == 0 ? "" : ",\n").append("{\"asn\": ").append(vrps.asn(i)).append(", \"prefix\": \"")
                    .append(vrps.prefix(i)).append("\", \"maxLength\": ").append(vrps.maxLength(i))
                    .append(", \"ta\": \"").append(vrps.trustAnchor(i)).append("\"}");
        }
        Files.writeString(file, sb.append("\n]}\n"));
    }

    /**
     * {@code current} as the next snapshot after a change of {@code changed} VRPs: half of them
     * withdrawn, spread over the set, and as many new ones announced.
     */
    public static VrpSet changed(VrpSet current, int changed) {
        int gap = current.size() / (changed / 2);
        List<Vrp> vrps = new ArrayList<>(current.size());
        for (int i = 0; i < current.size(); i++) {
            if (i % gap != 0 || i / gap >= changed / 2) {
                vrps.add(current.get(i));
            }
        }
        generate(changed / 2, 4).forEach(vrps::add);
        return VrpSet.of(vrps);
    }

    public static VrpSet generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        VrpSet.Builder b = new VrpSet.Builder();
        VrpSet built = VrpSet.empty();
        // Random draws repeat now and then; draw more until the deduplicated set is large enough.
        while (built.size() < count) {
            addRandom(r, b, count + (count - built.size()) / 50 + (b.size() - built.size()));
            built = b.build();
        }
        int excess = built.size() - count;
        if (excess == 0) {
            return built;
        }
        // Drop the surplus evenly across the set, so that both families keep their share.
        int step = built.size() / excess;
        int[] dropped = {0};
        return built.retain(i -> !(i % step == 0 && dropped[0]++ < excess));
    }

    private static void addRandom(SplittableRandom r, VrpSet.Builder b, int target) {
        String[] tas = {"ripe", "arin", "apnic", "lacnic", "afrinic"};
        int count = target;
        while (b.size() < count) {
            long asn = asn(r);
            String ta = tas[r.nextInt(tas.length)];
            if (r.nextInt(100) < 85) {
                int length = ipv4Length(r);
                int address = (r.nextInt(1, 224) << 24) | r.nextInt(1 << 24);
                Ipv4Prefix p = new Ipv4Prefix(address, 32).truncate(length);
                int max = r.nextInt(100) < 75 ? length : Math.min(24, length + r.nextInt(1, 9));
                max = Math.max(max, length);
                b.add(new Vrp(p, max, asn), ta);
                // Holders often publish the more-specifics of a covering VRP as well.
                if (length <= 20 && r.nextInt(100) < 30) {
                    for (int k = 0; k < 4 && b.size() < count; k++) {
                        IpPrefix sub = new Ipv4Prefix(p.address() | (r.nextInt(1 << (24 - length)) << 8), 24);
                        b.add(new Vrp(sub, 24, asn), ta);
                    }
                }
            } else {
                int length = ipv6Length(r);
                long high = 0x2000_0000_0000_0000L | (r.nextLong() >>> 3);
                IpPrefix p = new Ipv6Prefix(high, 0, 128).truncate(length);
                int max = r.nextInt(100) < 70 ? length : Math.min(48, length + r.nextInt(1, 17));
                b.add(new Vrp(p, Math.max(max, length), asn), ta);
            }
        }
    }

    private static long asn(SplittableRandom r) {
        // A few thousand large holders account for half of the VRPs.
        return r.nextBoolean() ? 1 + r.nextInt(3000) : 1 + r.nextInt(400_000);
    }

    private static int ipv4Length(SplittableRandom r) {
        int x = r.nextInt(100);
        if (x < 60) {
            return 24;
        }
        if (x < 70) {
            return 23;
        }
        if (x < 80) {
            return 22;
        }
        if (x < 88) {
            return 21 - r.nextInt(2);
        }
        return 19 - r.nextInt(11);
    }

    private static int ipv6Length(SplittableRandom r) {
        int x = r.nextInt(100);
        if (x < 45) {
            return 48;
        }
        if (x < 75) {
            return 32;
        }
        return 29 + r.nextInt(19);
    }

    /**
     * Routes for a RIB: half are VRP prefixes or their more-specifics (with the right or a
     * wrong origin), half are random prefixes, so all three states occur.
     */
    public static Routes routes(VrpSet vrps, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Routes out = new Routes(count);
        for (int i = 0; i < count; i++) {
            if (r.nextBoolean() && !vrps.isEmpty()) {
                int v = r.nextInt(vrps.size());
                int len = Math.min(vrps.isIpv6(v) ? 64 : 32, vrps.prefixLength(v) + r.nextInt(3));
                IpPrefix p = vrps.prefix(v);
                IpPrefix route;
                if (p.isIpv6()) {
                    long bits = r.nextLong() & ~Ipv6Prefix.highMask(p.length());
                    route = new Ipv6Prefix(p.high() | bits, 0, 128).truncate(len);
                } else {
                    int bits = r.nextInt() & ~Ipv4Prefix.mask(p.length());
                    route = new Ipv4Prefix(((Ipv4Prefix) p).address() | bits, 32).truncate(len);
                }
                out.add(route, r.nextInt(4) == 0 ? asn(r) : vrps.asn(v));
            } else if (r.nextInt(100) < 85) {
                out.add(new Ipv4Prefix(r.nextInt(), 32).truncate(16 + r.nextInt(9)), asn(r));
            } else {
                out.add(new Ipv6Prefix(0x2000_0000_0000_0000L | (r.nextLong() >>> 3), 0, 128)
                        .truncate(32 + r.nextInt(17)), asn(r));
            }
        }
        return out;
    }

    /** A RIB's (prefix, origin) pairs, column-wise. */
    public static final class Routes {
        public final boolean[] ipv6;
        public final long[] high;
        public final long[] low;
        public final int[] length;
        public final long[] origin;
        private int size;

        Routes(int capacity) {
            ipv6 = new boolean[capacity];
            high = new long[capacity];
            low = new long[capacity];
            length = new int[capacity];
            origin = new long[capacity];
        }

        void add(IpPrefix p, long asn) {
            ipv6[size] = p.isIpv6();
            high[size] = p.high();
            low[size] = p.low();
            length[size] = p.length();
            origin[size] = asn;
            size++;
        }

        public int size() {
            return size;
        }

        /** The same routes sorted by family, address and length: the order a RIB walk visits them. */
        public Routes sorted() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Boolean.compare(ipv6[a], ipv6[b]);
                if (c == 0) {
                    c = Long.compareUnsigned(high[a], high[b]);
                }
                if (c == 0) {
                    c = Long.compareUnsigned(low[a], low[b]);
                }
                return c != 0 ? c : Integer.compare(length[a], length[b]);
            });
            Routes out = new Routes(size);
            for (int i : order) {
                out.ipv6[out.size] = ipv6[i];
                out.high[out.size] = high[i];
                out.low[out.size] = low[i];
                out.length[out.size] = length[i];
                out.origin[out.size] = origin[i];
                out.size++;
            }
            return out;
        }
    }
}
