package net.rampart.collector.mrt;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Imports the real RIPE RIS dumps and checks the RIB's final state against bgpdump's decode of
 * the same file, replayed: every announcement, withdrawal and session end, per peer.
 */
class MrtImportTest {

    /** The default route history retention (RAMPART_ROUTE_RETENTION). */
    private static final Duration RETENTION = Duration.ofDays(1826);

    private static Path mrt(String name) {
        Path dir = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "mrt");
        assumeTrue(Files.isDirectory(dir), "shared testdata not found at " + dir + "; RIPE RIS conformance skipped");
        return dir.resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ripe_rrc00_1999.09_updates.19990903.1041", "ripe_rrc15_2010.02_updates.20100227.1600",
            "ripe_rrc03_2010.02_updates.20100227.1600.first-796-records"})
    void finalRibEqualsBgpdumpsDecodeReplayed(String dump) throws Exception {
        Map<String, Integer> garbled = new HashMap<>();
        Map<String, String> expected = replayBgpdump(mrt(dump + ".bgpdump-m.txt.gz"), garbled);
        var rib = new Rib(RouteEventListener.NONE);
        MrtImport.Summary summary;
        try (var in = Files.newInputStream(mrt(dump + ".gz"))) {
            summary = MrtImport.run(rib, new RouterInventory(), RETENTION, "ris", new java.io.BufferedInputStream(in));
        }
        assertThat(summary.badRecords()).isZero();

        Map<String, String> actual = new HashMap<>();
        var router = MrtImport.routerOf("ris");
        for (var peer : rib.peers(router)) {
            for (var family : new net.rampart.collector.rib.Family[] {net.rampart.collector.rib.Family.IPV4_UNICAST,
                    net.rampart.collector.rib.Family.IPV6_UNICAST}) {
                rib.read(router, peer, RibView.ADJ_RIB_IN_PRE, family, (key, attributes, changed) ->
                        actual.put(peer.address().getHostAddress() + " " + key.text(), describe(attributes)));
            }
        }
        var onlyOurs = new java.util.TreeMap<>(actual);
        onlyOurs.entrySet().removeAll(expected.entrySet());
        var onlyBgpdump = new java.util.TreeMap<>(expected);
        onlyBgpdump.entrySet().removeAll(actual.entrySet());
        assertThat(onlyOurs).as("routes only we hold").isEmpty();
        // What bgpdump still holds beyond us must be what its misprinted withdrawals really withdrew:
        // per peer and prefix length, no more routes than such withdrawals.
        Map<String, Integer> unexplained = new HashMap<>();
        onlyBgpdump.keySet().forEach(route -> unexplained.merge(peerAndLength(route), 1, Integer::sum));
        unexplained.forEach((peerAndLength, count) -> assertThat(count)
                .as("routes of %s only bgpdump holds", peerAndLength)
                .isLessThanOrEqualTo(garbled.getOrDefault(peerAndLength, 0)));
    }

    @Test
    void tableDumpRibOfTheYear2000Loads() throws Exception {
        var rib = new Rib(RouteEventListener.NONE);
        var inventory = new RouterInventory();
        MrtImport.Summary summary;
        try (var in = Files.newInputStream(mrt("ripe_rrc00_2000.01_bview.20000111.0032.gz"))) {
            summary = MrtImport.run(rib, inventory, RETENTION, "bview", new java.io.BufferedInputStream(in));
        }
        assertThat(summary.badRecords()).isZero();
        assertThat(summary.announcements()).isPositive();
        assertThat(summary.peers()).isPositive();
        // Every entry of a RIB dump is one distinct (peer, prefix) route.
        assertThat(rib.routeCount()).isPositive().isLessThanOrEqualTo(summary.announcements());

        // The source and each of its peers are listed like a BMP router and its peers.
        assertThat(inventory.routers()).singleElement().satisfies(router -> {
            assertThat(router.id()).isEqualTo("mrt:bview");
            assertThat(router.source()).isEqualTo(RouterRecord.MRT);
            assertThat(router.connected()).isFalse();
        });
        assertThat(inventory.peers()).hasSize(summary.peers()).allSatisfy(peer -> {
            assertThat(peer.router()).isEqualTo("mrt:bview");
            assertThat(peer.up()).isTrue();
        });
        // A dump of the year 2000 is far beyond five years of route history.
        assertThat(summary.oldestRecord()).isBetween(Instant.parse("2000-01-11T00:00:00Z"),
                Instant.parse("2000-01-12T00:00:00Z"));
        assertThat(summary.warning()).contains(summary.oldestRecord().toString(), "1826 days");
    }

    @Test
    void retentionWarningOnlyForRecordsOlderThanTheRetention() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        Duration retention = Duration.ofDays(30);
        Instant cutoff = now.minus(retention);
        assertThat(MrtImport.retentionWarning(null, now, retention)).as("nothing read").isNull();
        assertThat(MrtImport.retentionWarning(now.minusSeconds(60), now, retention)).as("recent").isNull();
        // At the cutoff itself the rows are still inside the retention.
        assertThat(MrtImport.retentionWarning(cutoff, now, retention)).as("at the cutoff").isNull();
        assertThat(MrtImport.retentionWarning(cutoff.minusSeconds(1), now, retention))
                .as("a second older than the retention")
                .contains(cutoff.minusSeconds(1).toString(), "30 days", cutoff.toString());
    }

    /**
     * Applies bgpdump -m lines in order: A puts, W removes, a STATE leaving Established clears the
     * peer. For withdrawals in records of the deprecated type BGP, bgpdump prints the peer's address
     * in place of the prefix (keeping the length right); those are counted per peer and length in
     * {@code garbled} instead.
     */
    private static Map<String, String> replayBgpdump(Path decode, Map<String, Integer> garbled) throws Exception {
        Map<String, String> routes = new HashMap<>();
        try (var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(decode)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split("\\|", -1);
                String peer = InetAddress.getByName(f[3]).getHostAddress();
                switch (f[2]) {
                    case "A" -> routes.put(peer + " " + canonical(f[5]), f[6] + " via " + InetAddress.getByName(f[8]).getHostAddress());
                    case "W" -> {
                        if (f[0].equals("BGP") && f[5].startsWith(f[3] + "/")) {
                            garbled.merge(peer + " /" + f[5].substring(f[5].indexOf('/') + 1), 1, Integer::sum);
                        } else {
                            routes.remove(peer + " " + canonical(f[5]));
                        }
                    }
                    case "STATE" -> {
                        if (f[5].equals("6") && !f[6].equals("6")) {
                            routes.keySet().removeIf(key -> key.startsWith(peer + " "));
                        }
                    }
                    default -> throw new AssertionError("unexpected bgpdump line " + line);
                }
            }
        }
        return routes;
    }

    /** "peer prefix" to "peer /length". */
    private static String peerAndLength(String route) {
        return route.substring(0, route.indexOf(' ')) + " /" + route.substring(route.indexOf('/') + 1);
    }

    private static String canonical(String cidr) {
        RouteKey key = cidr.contains(":") ? Ipv6RouteKey.parse(cidr, 0) : Ipv4RouteKey.parse(cidr, 0);
        return key.text();
    }

    private static String describe(PathAttributes attributes) {
        byte[] hop = attributes.nextHop();
        byte[] global = hop.length == 32 ? Arrays.copyOf(hop, 16) : hop;
        try {
            return attributes.asPath() + " via " + InetAddress.getByAddress(global).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return attributes.asPath() + " via a next hop of " + hop.length + " bytes";
        }
    }
}
