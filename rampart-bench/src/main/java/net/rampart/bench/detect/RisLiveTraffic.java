package net.rampart.bench.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.rampart.bench.Args;
import net.rampart.wire.ip.IpPrefix;

/**
 * RIS Live {@code ris_message} UPDATEs for a set of generated monitored prefixes, as a RIS Live
 * subscription to those prefixes with their more-specifics would bring them: each message is one
 * RIS peer's UPDATE (a spread of peers over a spread of collectors), announcing and/or
 * withdrawing one to six prefixes next to each other in the address space, with an AS path of 3
 * to 8 ASNs (the peer's first, then transits, then the prefix's origin). Some prefixes are
 * monitored ones, most are one of their two more-specifics.
 *
 * <p>What the detector makes of them stays bounded whatever the run's length: the announcements
 * come from the monitored origin, so the only alerts are a {@code new_more_specific} per
 * more-specific (two per monitored prefix at most), and one message in {@value #HIJACK_ONE_IN}
 * announces from one of four private-use ASNs ({@code origin_hijack}, at most four per prefix).
 *
 * <p>Monitored prefixes: one in five is IPv6, a /32 in 2a00::/16 with the /48s {@code :1::} and
 * {@code :2::} as its more-specifics; the others are IPv4 /22s from 16.0.0.0 up, with their first
 * /23 and third /24. None covers another. Each origin ASN has eight of them (IPv4 origins from
 * AS200000 up, IPv6 ones from AS300000), and an UPDATE's prefixes are all one origin's: an
 * UPDATE has one path, so prefixes of different origins in it would each be a hijack.
 *
 * <p>Not thread-safe: one sender thread draws the messages. The same seed draws the same messages.
 */
final class RisLiveTraffic {

    /** Enough to keep IPv4 within 16.0.0.0–41.0.0.0 and IPv6 within 2a00::/16. */
    static final int MAX_MONITORED = 200_000;
    static final int HIJACK_ONE_IN = 1000;
    /** Monitored prefixes per origin ASN, in each family: an UPDATE's prefixes are drawn among one origin's. */
    private static final int PER_ORIGIN = 8;
    private static final long FIRST_IPV4_ORIGIN = 200_000;
    private static final long FIRST_IPV6_ORIGIN = 300_000;
    private static final long FIRST_HIJACKER = 4_200_000_000L;
    private static final int IPV4_BASE = 16 << 24;
    private static final long IPV6_BASE = 0x2a00L << 48;
    private static final int MAX_PREFIXES = 6;
    /** RIS collectors as RIS Live names them; RIS peers are spread over them. */
    private static final int COLLECTORS = 20;
    private static final int PEERS_PER_COLLECTOR = 16;
    /** Transit ASNs paths are drawn from: a small pool, as the few large transits dominate real paths. */
    private static final long[] TRANSITS = {174, 1299, 2914, 3257, 3356, 3491, 6453, 6461, 6762, 6830, 6939, 9002,
        12956, 1273, 5511, 7018, 3320, 4637, 7473, 37100};

    /** One monitored prefix and the two more-specifics RIS peers announce beside it. */
    record Monitored(IpPrefix prefix, IpPrefix[] moreSpecifics, long origin) {
    }

    /** One RIS peer: its collector's host name, its address (also its next hop), its ASN. */
    private record Peer(String host, String address, long asn) {
    }

    private final List<Monitored> ipv4 = new ArrayList<>();
    private final List<Monitored> ipv6 = new ArrayList<>();
    private final List<Peer> ipv4Peers = new ArrayList<>();
    private final List<Peer> ipv6Peers = new ArrayList<>();
    private final SplittableRandom random;
    private final StringBuilder text = new StringBuilder(1024);
    private final List<IpPrefix> announced = new ArrayList<>(MAX_PREFIXES);
    private final List<IpPrefix> withdrawn = new ArrayList<>(MAX_PREFIXES);
    private long sequence;
    private int lastRoutes;

    /**
     * @throws Args.BadOption naming {@code --monitored} when {@code monitored} is out of range
     */
    RisLiveTraffic(int monitored, long seed) {
        if (monitored < 1 || monitored > MAX_MONITORED) {
            throw new Args.BadOption("--monitored: '" + monitored + "' is not between 1 and " + MAX_MONITORED);
        }
        this.random = new SplittableRandom(seed);
        int v4 = 0;
        int v6 = 0;
        for (int i = 0; i < monitored; i++) {
            if (i % 5 == 4) {
                long high = IPV6_BASE | ((long) v6 << 32);
                ipv6.add(new Monitored(IpPrefix.of(true, high, 0, 32), new IpPrefix[] {
                    IpPrefix.of(true, high | (1L << 16), 0, 48), IpPrefix.of(true, high | (2L << 16), 0, 48)},
                        FIRST_IPV6_ORIGIN + v6 / PER_ORIGIN));
                v6++;
            } else {
                int address = IPV4_BASE + (v4 << 10);
                ipv4.add(new Monitored(v4(address, 22), new IpPrefix[] {v4(address, 23), v4(address + 512, 24)},
                        FIRST_IPV4_ORIGIN + v4 / PER_ORIGIN));
                v4++;
            }
        }
        for (int c = 0; c < COLLECTORS; c++) {
            // rrc00 to rrc26 less the retired ones, as RIS Live names them today.
            String host = String.format("rrc%02d.ripe.net", new int[] {0, 1, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15,
                16, 18, 19, 20, 21, 22, 23}[c]);
            for (int p = 0; p < PEERS_PER_COLLECTOR; p++) {
                long asn = p < 4 ? TRANSITS[(c + p) % TRANSITS.length] : 20_000 + c * 100L + p;
                if (p % 2 == 0) {
                    ipv4Peers.add(new Peer(host, "80.249." + (208 + c) + "." + (p + 1), asn));
                } else {
                    ipv6Peers.add(new Peer(host, "2001:7f8:" + Integer.toHexString(c + 1) + "::" + (p + 1), asn));
                }
            }
        }
    }

    private static IpPrefix v4(int address, int length) {
        return IpPrefix.of(false, Integer.toUnsignedLong(address) << 32, 0, length);
    }

    int monitored() {
        return ipv4.size() + ipv6.size();
    }

    int peers() {
        return ipv4Peers.size() + ipv6Peers.size();
    }

    /** The monitors file: every monitored prefix with its origin, nothing else (no channel: alerts are counted). */
    Path writeMonitors(Path file) throws IOException {
        StringBuilder yaml = new StringBuilder(monitored() * 48 + 128);
        yaml.append("# ").append(monitored()).append(" generated prefixes; RIS Live announces them and their")
                .append(" more-specifics.\nprefixes:\n");
        for (List<Monitored> family : List.of(ipv4, ipv6)) {
            for (Monitored m : family) {
                yaml.append("  - {prefix: ").append(m.prefix()).append(", origins: [AS").append(m.origin())
                        .append("]}\n");
            }
        }
        return Files.writeString(file, yaml);
    }

    /** How many routes (announced and withdrawn prefixes) the last message carried: one observation each. */
    int lastRoutes() {
        return lastRoutes;
    }

    /**
     * The next message, stamped {@code timeMillis} (RIS Live's {@code timestamp} is the
     * collector's time, in seconds with a fraction). Four in five announce, three in twenty
     * withdraw, one in twenty do both.
     */
    String next(long timeMillis) {
        boolean v6 = !ipv6.isEmpty() && random.nextInt(5) == 0;
        List<Monitored> family = v6 ? ipv6 : ipv4;
        Peer peer = (v6 ? ipv6Peers : ipv4Peers).get(random.nextInt(v6 ? ipv6Peers.size() : ipv4Peers.size()));
        int kind = random.nextInt(20);
        announced.clear();
        withdrawn.clear();
        Monitored first = null;
        if (kind < 17) {
            first = draw(family, announced);
        }
        if (kind >= 16) {
            draw(family, withdrawn);
        }
        lastRoutes = announced.size() + withdrawn.size();

        StringBuilder t = text;
        t.setLength(0);
        t.append("{\"type\":\"ris_message\",\"data\":{\"timestamp\":").append(timeMillis / 1000).append('.');
        long millis = timeMillis % 1000;
        t.append(millis < 10 ? "00" : millis < 100 ? "0" : "").append(millis);
        t.append(",\"peer\":\"").append(peer.address()).append("\",\"peer_asn\":\"").append(peer.asn())
                .append("\",\"id\":\"").append(peer.address()).append('-').append(Long.toHexString(sequence++))
                .append("\",\"host\":\"").append(peer.host()).append("\",\"type\":\"UPDATE\"");
        if (!announced.isEmpty()) {
            // One origin per UPDATE, as one path: the prefixes drawn share it.
            long origin = random.nextInt(HIJACK_ONE_IN) == 0 ? FIRST_HIJACKER + random.nextInt(4) : first.origin();
            t.append(",\"path\":[").append(peer.asn());
            int transits = 1 + random.nextInt(6);
            for (int i = 0; i < transits; i++) {
                t.append(',').append(TRANSITS[random.nextInt(TRANSITS.length)]);
            }
            // Prepending, as real paths often show: the origin twice in one path in ten.
            if (transits < 6 && random.nextInt(10) == 0) {
                t.append(',').append(origin);
            }
            t.append(',').append(origin).append(']');
            t.append(",\"community\":[[").append(peer.asn()).append(",").append(1000 + random.nextInt(20))
                    .append("],[").append(peer.asn()).append(",").append(2000 + random.nextInt(50)).append("]]");
            t.append(",\"origin\":\"IGP\",\"announcements\":[{\"next_hop\":\"").append(peer.address())
                    .append("\",\"prefixes\":[");
            appendPrefixes(t, announced);
            t.append("]}]");
        }
        if (!withdrawn.isEmpty()) {
            t.append(",\"withdrawals\":[");
            appendPrefixes(t, withdrawn);
            t.append(']');
        }
        return t.append("}}").toString();
    }

    /**
     * One to six prefixes (one half of the time, then each further one half as likely) of
     * monitored prefixes next to each other with the same origin: three in ten the monitored
     * prefix, the others one of its more-specifics. No prefix twice, so each is one route to the
     * client.
     *
     * @return the first monitored prefix drawn, whose origin the UPDATE's path ends in
     */
    private Monitored draw(List<Monitored> family, List<IpPrefix> into) {
        int count = 1;
        while (count < MAX_PREFIXES && random.nextBoolean()) {
            count++;
        }
        int groupStart = random.nextInt((family.size() + PER_ORIGIN - 1) / PER_ORIGIN) * PER_ORIGIN;
        int groupSize = Math.min(PER_ORIGIN, family.size() - groupStart);
        int offset = random.nextInt(groupSize);
        for (int i = 0; i < count; i++) {
            Monitored m = family.get(groupStart + (offset + i) % groupSize);
            int which = random.nextInt(10);
            IpPrefix prefix = which < 3 ? m.prefix() : m.moreSpecifics()[which < 7 ? 0 : 1];
            if (!into.contains(prefix)) {
                into.add(prefix);
            }
        }
        return family.get(groupStart + offset);
    }

    private static void appendPrefixes(StringBuilder t, List<IpPrefix> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            t.append(i == 0 ? "\"" : ",\"").append(prefixes.get(i)).append('"');
        }
    }
}
