package net.rampart.wire.mrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MRT written by real routing daemons decodes to what their own CLIs show. The shared test
 * data has no TABLE_DUMP_V2 and no ADDPATH records, so: BIRD 2 dumps its tables
 * ({@code birdc mrt dump table}, TABLE_DUMP_V2 with RIB_IPV4_UNICAST_ADDPATH and
 * RIB_IPV6_UNICAST) and GoBGP records the UPDATEs it receives ({@code mrt-dump} of type
 * {@code updates}, BGP4MP MESSAGE_AS4_ADDPATH). In both, a GoBGP peer sends two add-path paths
 * to one IPv4 prefix and an IPv6 route. Each route is compared as prefix, AS path and next hop
 * (and communities for BIRD); the CLIs do not print path identifiers, so those are checked to be
 * the two the peer was told to use.
 */
class MrtWritersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEER = "127.0.0.2";

    @TempDir
    Path work;

    @Test
    void birdTableDumpMatchesBirdc() throws Exception {
        assumeTrue(Daemon.onPath("bird") && Daemon.onPath("birdc"), "skipped: BIRD 2 is not installed");
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp (BIRD's peer) are not installed");
        int birdPort = Daemon.freePort();
        int peerPort = Daemon.freePort();
        Path socket = work.resolve("bird.ctl");
        Files.writeString(work.resolve("bird.conf"), birdConfig(birdPort, peerPort));
        try (Daemon bird = Daemon.start("bird", work, List.of("bird", "-f", "-c", "bird.conf", "-s", socket.toString(),
                "-P", work.resolve("bird.pid").toString()));
             GoBgpDaemon peer = GoBgpDaemon.start(work, "gobgpd-peer", peerConfig(peerPort, "127.0.0.1", birdPort, true))) {
            injectRoutes(peer);
            List<String> cli = new ArrayList<>();
            assertThat(Daemon.await(Duration.ofSeconds(60), () -> {
                cli.clear();
                cli.addAll(birdRoutes(socket));
                return cli.size() == 3;
            })).as("BIRD learned the routes; logs:%n%s%n%s", bird.log(), peer.log()).isTrue();

            List<String> dumped = new ArrayList<>();
            List<Long> pathIds = new ArrayList<>();
            for (String table : List.of("master4", "master6")) {
                Path file = work.resolve(table + ".mrt");
                birdc(socket, "mrt dump table \"" + table + "\" to \"" + file + "\"");
                // BIRD writes the dump in the background: wait until it holds the RIB records.
                Daemon.await(Duration.ofSeconds(30), () -> Files.exists(file) && ribRecords(file) >= 2);
                try (MrtReader reader = MrtReader.open(file)) {
                    reader.forEachRemaining(record -> {
                        if (record instanceof MrtRecord.RibAfi rib) {
                            for (MrtRecord.RibEntry entry : rib.entries()) {
                                UpdateMessage attrs = MrtRouteDecoder.attributes(new AfiSafi(rib.afi(), rib.safi()), entry);
                                assertThat(attrs.errors()).isEmpty();
                                if (attrs.attribute(PathAttribute.AsPath.class).isPresent()) {
                                    dumped.add(route(rib.prefix().getHostAddress() + "/" + rib.prefixLength(), attrs, true));
                                    if (rib.addPath()) {
                                        pathIds.add(entry.pathId());
                                    }
                                }
                            }
                        }
                    });
                }
            }
            assertThat(dumped).containsExactlyInAnyOrderElementsOf(cli);
            assertThat(pathIds).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void gobgpUpdatesDumpMatchesGobgpCli() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp are not installed");
        int recorderPort = Daemon.freePort();
        Path dump = work.resolve("updates.mrt");
        List<String> cli = new ArrayList<>();
        // Relative: GoBGP runs the name through Go's time layout, which would rewrite the digits of a temp path.
        try (GoBgpDaemon recorder = GoBgpDaemon.start(work, "gobgpd-recorder", recorderConfig(recorderPort, dump.getFileName()));
             GoBgpDaemon peer = GoBgpDaemon.start(work, "gobgpd-peer", peerConfig(-1, "127.0.0.1", recorderPort, true))) {
            injectRoutes(peer);
            assertThat(Daemon.await(Duration.ofSeconds(60), () -> {
                try {
                    cli.clear();
                    for (String family : List.of("ipv4", "ipv6")) {
                        cli.addAll(gobgpRoutes(recorder.cli("neighbor", PEER, "adj-in", "-a", family, "-j")));
                    }
                    return cli.size() == 3;
                } catch (Exception notYet) {
                    return false;
                }
            })).as("GoBGP received the routes; logs:%n%s%n%s", recorder.log(), peer.log()).isTrue();
            List<String> recorded = new ArrayList<>();
            List<Long> pathIds = new ArrayList<>();
            // GoBGP writes the dump shortly after the UPDATEs arrive; wait for all three.
            Daemon.await(Duration.ofSeconds(30), () -> {
                recorded.clear();
                pathIds.clear();
                readUpdates(dump, recorded, pathIds);
                return recorded.size() >= cli.size();
            });
            assertThat(recorded).as("recorded in %s; log:%n%s", dump, recorder.log()).containsExactlyInAnyOrderElementsOf(cli);
            assertThat(pathIds).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    /** The routes announced in the dump so far; GoBGP may be writing its last record, which is then left for the next poll. */
    private static void readUpdates(Path dump, List<String> routes, List<Long> pathIds) {
        if (!Files.exists(dump)) {
            return;
        }
        try (MrtReader reader = MrtReader.open(dump)) {
            while (reader.hasNext()) {
                if (reader.next() instanceof MrtRecord.Bgp4mpMessage m && MrtRouteDecoder.message(m) instanceof UpdateMessage u) {
                    assertThat(u.errors()).isEmpty();
                    // GoBGP picks the subtype per message: ADDPATH where the family negotiated it (IPv4 here).
                    assertThat(m.addPath()).as("ADDPATH subtype").isEqualTo(!u.announced().isEmpty());
                    for (UnicastNlri n : u.announced()) {
                        routes.add(route(n.prefix().toString(), u, false));
                        pathIds.add(n.pathId());
                    }
                    u.mpReach().ifPresent(r -> r.nlri().forEach(n -> routes.add(route(prefix(n), u, false))));
                }
            }
        } catch (net.rampart.wire.DecodeException incomplete) {
            // partial last record: the next poll sees it whole
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void injectRoutes(GoBgpDaemon peer) throws Exception {
        peer.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.2", "identifier", "1", "community", "65001:100");
        peer.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.3", "identifier", "2", "aspath", "65010");
        peer.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:1::/48", "nexthop", "2001:db8::2");
    }

    /** prefix, AS path, next hop and (for BIRD, whose CLI shows them) communities. */
    private static String route(String prefix, UpdateMessage u, boolean withCommunities) {
        StringJoiner asPath = new StringJoiner(" ");
        u.attribute(PathAttribute.AsPath.class).ifPresent(p -> {
            for (AsPathSegment s : p.segments()) {
                asPath.add(s.toString());
            }
        });
        String nextHop = u.attribute(PathAttribute.NextHop.class).map(n -> literal(ipv4(n.address())))
                .or(() -> u.mpReach().map(r -> address(Arrays.copyOf(r.nextHop(), r.nextHop().length >= 16 ? 16 : 4))))
                .orElse("");
        String communities = "";
        if (withCommunities) {
            StringJoiner j = new StringJoiner(" ");
            u.attribute(PathAttribute.Communities.class).ifPresent(c -> Arrays.stream(c.values())
                    .forEach(v -> j.add((v >>> 16) + ":" + (v & 0xffff))));
            communities = " " + j;
        }
        return canonical(prefix) + " " + asPath + " " + nextHop + communities;
    }

    /** birdc's routes learned from the peer, parsed from {@code show route all}. */
    private static List<String> birdRoutes(Path socket) {
        List<String> routes = new ArrayList<>();
        try {
            String prefix = null;
            String[] current = null;
            for (String line : birdc(socket, "show route all protocol peer").split("\n")) {
                if (!line.startsWith(" ") && !line.startsWith("\t") && line.contains("[peer ")) {
                    prefix = line.substring(0, line.indexOf(' '));
                }
                if (line.contains("[peer ")) {
                    current = new String[] {prefix, "", "", ""};
                    routes.add(null);
                }
                String t = line.trim();
                if (current != null) {
                    if (t.startsWith("BGP.as_path:")) {
                        current[1] = t.substring("BGP.as_path:".length()).trim();
                    } else if (t.startsWith("BGP.next_hop:")) {
                        current[2] = literal(t.substring("BGP.next_hop:".length()).trim().split(" ")[0]);
                    } else if (t.startsWith("BGP.community:")) {
                        current[3] = t.substring("BGP.community:".length()).trim().replace("(", "").replace(")", "")
                                .replace(",", ":");
                    }
                    routes.set(routes.size() - 1, canonical(current[0]) + " " + current[1] + " " + current[2] + " " + current[3]);
                }
            }
        } catch (Exception e) {
            return List.of();
        }
        return routes;
    }

    private static List<String> gobgpRoutes(String json) throws Exception {
        List<String> routes = new ArrayList<>();
        if (json.isBlank()) {
            return routes;
        }
        for (JsonNode paths : JSON.readTree(json)) {
            for (JsonNode path : paths) {
                StringJoiner asPath = new StringJoiner(" ");
                String nextHop = "";
                for (JsonNode attr : path.path("attrs")) {
                    switch (attr.path("type").asInt()) {
                        case 2 -> attr.path("as_paths").forEach(seg -> seg.path("asns").forEach(a -> asPath.add(a.asText())));
                        case 3, 14 -> nextHop = literal(attr.path("nexthop").asText());
                        default -> {
                        }
                    }
                }
                routes.add(canonical(path.path("nlri").path("prefix").asText()) + " " + asPath + " " + nextHop);
            }
        }
        return routes;
    }

    private static int ribRecords(Path file) {
        int n = 0;
        try (MrtReader reader = MrtReader.open(file)) {
            while (reader.hasNext()) {
                if (reader.next() instanceof MrtRecord.RibAfi) {
                    n++;
                }
            }
        } catch (Exception incomplete) {
            return -1;
        }
        return n;
    }

    private static String birdc(Path socket, String command) throws Exception {
        return Daemon.run(socket.getParent(), List.of("birdc", "-s", socket.toString(), command));
    }

    private static String prefix(Nlri n) {
        return n instanceof UnicastNlri u ? u.prefix().toString() : n.toString();
    }

    private static String canonical(String prefix) {
        int slash = prefix.indexOf('/');
        return literal(prefix.substring(0, slash)) + prefix.substring(slash);
    }

    private static String literal(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(address, e);
        }
    }

    private static String address(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    private static String birdConfig(int birdPort, int peerPort) {
        return """
                router id 192.0.2.1;
                protocol device { }
                # Next hops resolve through these, so the peer's routes are usable without a kernel table.
                protocol static igp4 { ipv4; route 192.0.2.0/24 blackhole; }
                protocol static igp6 { ipv6; route 2001:db8::/32 blackhole; }
                protocol bgp peer {
                  local 127.0.0.1 port %d as 65000;
                  neighbor %s port %d as 65001;
                  multihop;
                  ipv4 { import all; export none; add paths rx; gateway recursive; igp table master4; };
                  ipv6 { import all; export none; gateway recursive; igp table master6; };
                }
                """.formatted(birdPort, PEER, peerPort);
    }

    private static String recorderConfig(int port, Path dump) {
        return GoBgpDaemon.config(65000, "192.0.2.1").port(port).localAddress("127.0.0.1")
                .neighbor(GoBgpDaemon.neighbor(PEER, 65001).passive().localAddress("127.0.0.1")
                        .addPathsReceived("ipv4-unicast").families("ipv6-unicast"))
                .mrtDump("updates", dump.toString())
                .toml();
    }

    /** The GoBGP peer whose routes are recorded: sends add-path for IPv4 unicast. */
    private static String peerConfig(int listenPort, String neighbor, int neighborPort, boolean addPath) {
        GoBgpDaemon.Neighbor peer = GoBgpDaemon.neighbor(neighbor, 65000).localAddress(PEER).remotePort(neighborPort)
                .connectRetry(1);
        if (addPath) {
            peer.addPathsSent("ipv4-unicast", 8);
        } else {
            peer.families("ipv4-unicast");
        }
        return GoBgpDaemon.config(65001, "192.0.2.2").port(listenPort).localAddress(PEER)
                .neighbor(peer.families("ipv6-unicast")).toml();
    }
}
