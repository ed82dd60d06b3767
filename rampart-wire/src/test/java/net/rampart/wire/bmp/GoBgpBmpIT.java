package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real GoBGP sends BMP to a test listener; what we decode must be exactly what GoBGP's own CLI
 * shows. Two gobgpd on loopback: {@code monitored} (AS 65000, BMP with route-monitoring-policy
 * "all": pre-policy, post-policy and Loc-RIB) and {@code feeder} (AS 65001), whose routes are
 * injected with {@code gobgp global rib add}: IPv4 and IPv6 unicast and EVPN types 2, 3 and 5.
 * One IPv4 route is then withdrawn. The pre-policy Adj-RIB-In is compared with
 * {@code gobgp neighbor ... adj-in}, the post-policy one with {@code accepted} (no import policy,
 * so the same routes) and the Loc-RIB with the best paths of {@code gobgp global rib}. A second
 * pair negotiates ADD-PATH (feeder sends, monitored receives) for IPv4 unicast: two paths to one
 * prefix must arrive with their own path identifiers, decodable only with the state of the Peer Up.
 */
class GoBgpBmpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEEDER = "127.0.0.2";
    private static final List<String> FAMILIES = List.of("ipv4", "ipv6", "evpn");

    @TempDir
    Path work;

    @Test
    void decodedRoutesMatchGobgpCli() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp are not installed");
        int bgpPort = Daemon.freePort();
        try (BmpTestListener bmp = new BmpTestListener();
             GoBgpDaemon monitored = GoBgpDaemon.start(work, "gobgpd-monitored", monitoredConfig(bgpPort, bmp.port(), false));
             GoBgpDaemon feeder = GoBgpDaemon.start(work, "gobgpd-feeder", feederConfig(bgpPort, false))) {
            assertThat(Daemon.await(Duration.ofSeconds(60), () -> monitored.established(FEEDER)))
                    .as("BGP session up; logs:%n%s%n%s", monitored.log(), feeder.log()).isTrue();
            feeder.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.2", "community", "65001:100",
                    "aspath", "65010");
            feeder.cli("global", "rib", "add", "10.1.1.0/24", "nexthop", "192.0.2.2");
            feeder.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:1::/48", "nexthop", "2001:db8::2");
            feeder.cli("global", "rib", "-a", "evpn", "add", "macadv", "11:22:33:44:55:66", "10.0.0.1", "esi", "0",
                    "etag", "0", "label", "10", "rd", "64512:10", "rt", "64512:10");
            feeder.cli("global", "rib", "-a", "evpn", "add", "multicast", "10.0.0.1", "etag", "0", "rd", "64512:10",
                    "rt", "64512:10");
            feeder.cli("global", "rib", "-a", "evpn", "add", "prefix", "10.9.0.0/24", "172.16.0.1", "esi", "0",
                    "etag", "0", "rd", "64512:10", "rt", "64512:10", "gw", "10.0.0.254", "label", "10");
            monitored.cli("global", "rib", "add", "10.2.0.0/24", "nexthop", "192.0.2.1");
            // three IPv4 (one local to the monitored router), one IPv6, three EVPN
            awaitAgreement(bmp, monitored, 7);

            feeder.cli("global", "rib", "del", "10.1.1.0/24");
            awaitAgreement(bmp, monitored, 6);
            assertThat(bmp.failures()).as("decode failures").isEmpty();
        }
    }

    @Test
    void addPathIdentifiersFollowThePeerUpCapabilities() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp are not installed");
        int bgpPort = Daemon.freePort();
        try (BmpTestListener bmp = new BmpTestListener();
             GoBgpDaemon monitored = GoBgpDaemon.start(work, "gobgpd-monitored", monitoredConfig(bgpPort, bmp.port(), true));
             GoBgpDaemon feeder = GoBgpDaemon.start(work, "gobgpd-feeder", feederConfig(bgpPort, true))) {
            assertThat(Daemon.await(Duration.ofSeconds(60), () -> monitored.established(FEEDER)))
                    .as("BGP session up; logs:%n%s%n%s", monitored.log(), feeder.log()).isTrue();
            feeder.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.2", "identifier", "1");
            feeder.cli("global", "rib", "add", "10.1.0.0/24", "nexthop", "192.0.2.3", "identifier", "2",
                    "aspath", "65010");
            Daemon.await(Duration.ofSeconds(60), () -> RibViews.replay(bmp.messages()).view("pre", FEEDER).size() == 2);
            Map<String, String> decoded = RibViews.replay(bmp.messages()).view("pre", FEEDER);
            assertThat(decoded.keySet()).containsExactlyInAnyOrder("10.1.0.0/24 path-id=1", "10.1.0.0/24 path-id=2");
            // gobgp's JSON does not show path identifiers: compare the paths themselves.
            assertThat(decoded.values()).containsExactlyInAnyOrderElementsOf(
                    allPaths(monitored.cli("neighbor", FEEDER, "adj-in", "-j")));
            assertThat(bmp.failures()).as("decode failures").isEmpty();
        }
    }

    /** Every path of every destination, identifier-less as gobgp prints them. */
    private static List<String> allPaths(String json) throws Exception {
        List<String> all = new ArrayList<>();
        for (JsonNode paths : JSON.readTree(json)) {
            for (JsonNode path : paths) {
                all.add(attributes(path));
            }
        }
        return all;
    }

    /** Polls until the BMP-derived views equal the CLI's and hold {@code expected} Loc-RIB routes, then asserts it. */
    private void awaitAgreement(BmpTestListener bmp, GoBgpDaemon monitored, int expected) throws Exception {
        Daemon.await(Duration.ofSeconds(60), () -> {
            try {
                Map<String, Map<String, String>> cli = cliViews(monitored);
                return cli.get("loc").size() == expected && cli.equals(bmpViews(bmp));
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, Map<String, String>> cli = cliViews(monitored);
        assertThat(cli.get("loc")).hasSize(expected);
        assertThat(bmpViews(bmp)).isEqualTo(cli);
    }

    private static Map<String, Map<String, String>> bmpViews(BmpTestListener bmp) {
        RibViews rib = RibViews.replay(bmp.messages());
        Map<String, Map<String, String>> views = new TreeMap<>();
        views.put("pre", rib.view("pre", FEEDER));
        views.put("post", rib.view("post", FEEDER));
        views.put("loc", rib.view("loc", "0.0.0.0"));
        return views;
    }

    private Map<String, Map<String, String>> cliViews(GoBgpDaemon monitored) throws Exception {
        Map<String, Map<String, String>> views = new TreeMap<>();
        Map<String, String> pre = new TreeMap<>();
        Map<String, String> post = new TreeMap<>();
        Map<String, String> loc = new TreeMap<>();
        for (String family : FAMILIES) {
            routes(monitored.cli("neighbor", FEEDER, "adj-in", "-a", family, "-j"), false, pre);
            routes(monitored.cli("neighbor", FEEDER, "accepted", "-a", family, "-j"), false, post);
            routes(monitored.cli("global", "rib", "-a", family, "-j"), true, loc);
        }
        views.put("pre", pre);
        views.put("post", post);
        views.put("loc", loc);
        return views;
    }

    /** GoBGP's JSON: destination → paths, each with its NLRI and attributes by type code. */
    private static void routes(String json, boolean bestOnly, Map<String, String> into) throws Exception {
        if (json.isBlank()) {
            return;
        }
        for (JsonNode paths : JSON.readTree(json)) {
            for (JsonNode path : paths) {
                if (!bestOnly || path.path("best").asBoolean()) {
                    into.put(key(path.path("nlri")), attributes(path));
                }
            }
        }
    }

    private static String attributes(JsonNode path) {
        String asPath = "";
        String nextHop = "";
        String communities = "";
        for (JsonNode attr : path.path("attrs")) {
            switch (attr.path("type").asInt()) {
                case 2 -> {
                    StringJoiner j = new StringJoiner(" ");
                    attr.path("as_paths").forEach(seg -> seg.path("asns").forEach(a -> j.add(a.asText())));
                    asPath = j.toString();
                }
                case 3, 14 -> nextHop = RibViews.canonicalPrefix(attr.path("nexthop").asText() + "/0").replace("/0", "");
                case 8 -> {
                    List<Long> values = new ArrayList<>();
                    attr.path("communities").forEach(c -> values.add(c.asLong()));
                    StringJoiner j = new StringJoiner(" ");
                    values.stream().sorted().forEach(v -> j.add((v >>> 16) + ":" + (v & 0xffff)));
                    communities = j.toString();
                }
                default -> {
                }
            }
        }
        return RibViews.attributes(asPath, nextHop, communities);
    }

    private static String key(JsonNode nlri) {
        if (nlri.has("prefix")) {
            return RibViews.canonicalPrefix(nlri.path("prefix").asText());
        }
        JsonNode v = nlri.path("value");
        String rd = v.path("rd").path("admin").asText() + ":" + v.path("rd").path("assigned").asText();
        return switch (nlri.path("type").asInt()) {
            case 2 -> "macadv rd=" + rd + " etag=" + v.path("etag").asText() + " mac=" + v.path("mac").asText() + " ip="
                    + v.path("ip").asText() + " label=" + v.path("labels").path(0).asText();
            case 3 -> "multicast rd=" + rd + " etag=" + v.path("etag").asText() + " ip=" + v.path("ip").asText();
            case 5 -> "prefix rd=" + rd + " etag=" + v.path("etag").asText() + " prefix="
                    + RibViews.canonicalPrefix(v.path("prefix").asText()) + " gw=" + v.path("gateway").asText() + " label="
                    + v.path("label").asText();
            default -> nlri.toString();
        };
    }

    /** The address families both routers negotiate without add-path, by gobgpd's names. */
    private static final String[] AFI_SAFIS = {"ipv4-unicast", "ipv6-unicast", "l2vpn-evpn"};

    /** The router under test: reports everything over BMP; with add-path, receives IPv4 unicast with path identifiers. */
    private static String monitoredConfig(int bgpPort, int bmpPort, boolean addPath) {
        GoBgpDaemon.Neighbor feeder = GoBgpDaemon.neighbor(FEEDER, 65001).passive().localAddress("127.0.0.1");
        return GoBgpDaemon.config(65000, "192.0.2.1").port(bgpPort).localAddress("127.0.0.1")
                .neighbor(addPath ? feeder.addPathsReceived("ipv4-unicast") : feeder.families(AFI_SAFIS))
                .bmpServer(bmpPort, "all").toml();
    }

    /** Its neighbour, which the routes come from; with add-path, sends up to 8 paths per IPv4 prefix. */
    private static String feederConfig(int bgpPort, boolean addPath) {
        GoBgpDaemon.Neighbor monitored = GoBgpDaemon.neighbor("127.0.0.1", 65000).localAddress(FEEDER)
                .remotePort(bgpPort).connectRetry(1);
        return GoBgpDaemon.config(65001, "192.0.2.2").localAddress(FEEDER)
                .neighbor(addPath ? monitored.addPathsSent("ipv4-unicast", 8) : monitored.families(AFI_SAFIS)).toml();
    }
}
