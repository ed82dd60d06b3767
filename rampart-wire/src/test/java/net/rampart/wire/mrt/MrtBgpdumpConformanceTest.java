package net.rampart.wire.mrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * Every record of the real RIPE RIS update dumps decodes, and each update's prefixes, AS path,
 * origin and next hop match Debian's {@code bgpdump -m} decode kept beside the dump, as do the
 * peer and the state changes. Compared as multisets of bgpdump's own line format, up to the
 * next-hop field.
 *
 * <p>One systematic difference: for withdrawals in records of the deprecated type BGP (the 1999
 * dump) bgpdump prints the peer's address where the withdrawn prefix belongs, keeping only the
 * prefix length right ({@code BGP|936348242|W|193.0.0.56|3333|193.0.0.56/24} for a withdrawal
 * of 157.100.47.0/24, whose bytes are {@code 18 9d 64 2f}). Those lines are compared by prefix
 * length only.
 */
class MrtBgpdumpConformanceTest {

    @Test
    void updateDumpsMatchBgpdump() throws Exception {
        Path dir = TestData.folder("mrt");
        List<Path> references;
        try (Stream<Path> files = Files.list(dir)) {
            references = files.filter(p -> p.getFileName().toString().endsWith(".bgpdump-m.txt.gz")).sorted().toList();
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(references.isEmpty(), "skipped: no bgpdump decodes in " + dir);
        for (Path reference : references) {
            Path dump = reference.resolveSibling(reference.getFileName().toString().replace(".bgpdump-m.txt.gz", ".gz"));
            List<String> ours = new ArrayList<>();
            try (MrtReader reader = MrtReader.open(dump)) {
                reader.forEachRemaining(record -> ours.addAll(bgpdumpLines(record)));
            }
            List<String> theirs = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(reference)), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    theirs.add(comparable(line));
                }
            }
            assertThat(ours.stream().map(MrtBgpdumpConformanceTest::withoutLegacyWithdrawnAddress).toList())
                    .as("bgpdump -m lines of %s", dump.getFileName())
                    .containsExactlyInAnyOrderElementsOf(theirs.stream()
                            .map(MrtBgpdumpConformanceTest::withoutLegacyWithdrawnAddress).toList());
            assertThat(ours).isNotEmpty();
        }
    }

    private static String withoutLegacyWithdrawnAddress(String line) {
        return line.startsWith("BGP|") && line.contains("|W|") ? line.substring(0, line.lastIndexOf('|') + 1)
                + line.substring(line.lastIndexOf('/')) : line;
    }

    /** bgpdump's line up to the next hop, addresses in Java's canonical text. */
    private static String comparable(String bgpdumpLine) {
        String[] f = bgpdumpLine.split("\\|", -1);
        f[3] = address(f[3]);
        if (f[2].equals("A") || f[2].equals("W")) {
            f[5] = prefix(f[5]);
        }
        if (f[2].equals("A")) {
            f[8] = address(f[8]);
            return String.join("|", Arrays.copyOf(f, 9));
        }
        return String.join("|", Arrays.copyOf(f, f[2].equals("W") ? 6 : 7));
    }

    private static List<String> bgpdumpLines(MrtRecord record) {
        return switch (record) {
            case MrtRecord.Bgp4mpMessage m -> updateLines("BGP4MP", m.header(), m.peerAddress(), m.peerAs(),
                    MrtRouteDecoder.message(m));
            case MrtRecord.LegacyBgpMessage m -> updateLines("BGP", m.header(), m.peerAddress(), m.peerAs(),
                    MrtRouteDecoder.message(m));
            case MrtRecord.Bgp4mpStateChange s -> List.of(String.join("|", "BGP4MP", Long.toString(s.header().timestampSeconds()),
                    "STATE", address(s.peerAddress()), Long.toString(s.peerAs()), Integer.toString(s.oldState()),
                    Integer.toString(s.newState())));
            case MrtRecord.LegacyBgpStateChange s -> List.of(String.join("|", "BGP", Long.toString(s.header().timestampSeconds()),
                    "STATE", address(s.peerAddress()), Long.toString(s.peerAs()), Integer.toString(s.oldState()),
                    Integer.toString(s.newState())));
            default -> List.of();
        };
    }

    private static List<String> updateLines(String kind, MrtRecord.Header header, InetAddress peer, long peerAs,
                                            BgpMessage message) {
        if (!(message instanceof UpdateMessage update)) {
            return List.of();
        }
        assertThat(update.errors()).as("RFC 7606 errors in an update of %s at %s", peer, header.timestamp()).isEmpty();
        String prefix = kind + "|" + header.timestampSeconds() + "|";
        String peerText = "|" + address(peer) + "|" + peerAs + "|";
        List<String> lines = new ArrayList<>();
        for (UnicastNlri n : update.withdrawn()) {
            lines.add(prefix + "W" + peerText + prefix(n));
        }
        update.mpUnreach().ifPresent(u -> u.nlri().forEach(n -> lines.add(prefix + "W" + peerText + prefix(n))));
        String asPath = update.attribute(PathAttribute.AsPath.class).map(MrtBgpdumpConformanceTest::asPath).orElse("");
        String origin = update.attribute(PathAttribute.Origin.class)
                .map(o -> switch (o.value()) {
                    case 0 -> "IGP";
                    case 1 -> "EGP";
                    default -> "INCOMPLETE";
                }).orElse("");
        String attributes = "|" + asPath + "|" + origin + "|";
        String nextHop = update.attribute(PathAttribute.NextHop.class).map(n -> ipv4(n.address())).orElse("");
        for (UnicastNlri n : update.announced()) {
            lines.add(prefix + "A" + peerText + prefix(n) + attributes + nextHop);
        }
        update.mpReach().ifPresent(r -> {
            String mpNextHop = mpNextHop(r.nextHop());
            r.nlri().forEach(n -> lines.add(prefix + "A" + peerText + prefix(n) + attributes + mpNextHop));
        });
        return lines;
    }

    private static String prefix(Nlri n) {
        return n instanceof UnicastNlri u ? prefix(u.prefix().toString()) : n.toString();
    }

    private static String asPath(PathAttribute.AsPath path) {
        StringJoiner j = new StringJoiner(" ");
        for (AsPathSegment s : path.segments()) {
            j.add(s.toString());
        }
        return j.toString();
    }

    /** The global address of an MP_REACH next hop (a link-local one may follow, RFC 2545). */
    private static String mpNextHop(byte[] nextHop) {
        int length = nextHop.length >= 16 ? 16 : nextHop.length;
        try {
            return InetAddress.getByAddress(Arrays.copyOf(nextHop, length)).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("next hop of " + nextHop.length + " bytes", e);
        }
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    private static String prefix(String p) {
        int slash = p.indexOf('/');
        return address(p.substring(0, slash)) + p.substring(slash);
    }

    private static String address(InetAddress a) {
        return a.getHostAddress();
    }

    private static String address(String a) {
        if (a.isEmpty()) {
            return a;
        }
        try {
            return InetAddress.getByName(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not an address literal: " + a, e);
        }
    }
}
