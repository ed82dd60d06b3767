package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.PcapTcpStreams;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real router captures of the shared test data (Huawei, Cisco, 6WIND/FRR), replayed over
 * TCP into the running service, each from its own loopback address as its own router: the
 * unicast routes the API then holds are exactly those left standing by another collector's
 * decode of the same capture (pmacct's {@code *.pmacct-output.json}, folded in order:
 * announcements replace, withdrawals remove, a Peer Down removes the peer's routes).
 *
 * <p>Compared per route as peer, view, prefix, AS path and next hop (an IPv4-mapped next hop as
 * the IPv4 address, no next hop as pmacct's 0.0.0.0). Labeled-unicast and VPN
 * routes are left out (the API lists them under other families), as is the capture whose
 * pmacct decode is empty.
 *
 * <p>Then every router reconnects from the same address and sends its capture again while its
 * first sessions are open, and the first sessions close, as stale ones do after a link flap:
 * the routes stay exactly the same.
 */
class CaptureReplayIT {

    private static final int CAPTURE_BMP_PORT = 1790;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void replayedCapturesLeaveTheRoutesPmacctFound() throws Exception {
        List<Path> captures;
        try (Stream<Path> files = Files.list(TestData.folder("bmp"))) {
            captures = files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        assumeFalse(captures.isEmpty(), "no BMP captures in the shared test data: skipped");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        var environment = ServiceProcess.loopbackCollector(httpPort, bmpPort, work.resolve("data"));
        List<Socket> routers = new ArrayList<>();
        Map<String, List<byte[]>> streams = new LinkedHashMap<>();
        Map<String, List<String>> expectedByRouter = new LinkedHashMap<>();
        int compared = 0;
        try (var service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            for (int i = 0; i < captures.size(); i++) {
                Path capture = captures.get(i);
                List<String> expected = expected(capture);
                if (expected.isEmpty()) {
                    continue;
                }
                String router = "127.0.0." + (10 + i);
                expectedByRouter.put(router, expected);
                for (PcapTcpStreams.Stream stream : PcapTcpStreams.towardsPort(capture, CAPTURE_BMP_PORT)) {
                    // Kept open until the end: a closed session would withdraw the router's routes.
                    routers.add(replay(stream.payload(), router, bmpPort));
                    streams.computeIfAbsent(router, r -> new ArrayList<>()).add(stream.payload());
                }
                List<String> seen = new ArrayList<>();
                Daemon.await(Duration.ofSeconds(30), () -> {
                    seen.clear();
                    seen.addAll(routes(service, httpPort, router));
                    return seen.equals(expected);
                });
                assertThat(seen).as("unicast routes of %s in the API against pmacct's decode; service output:%n%s",
                        capture.getFileName(), service.output()).isEqualTo(expected);
                compared += expected.size();
            }
            assertThat(compared).as("routes compared").isPositive();

            // Every router reconnects and sends its table again while its first sessions are
            // still open, then the first sessions end (as stale ones time out): no route the
            // live sessions sent may go with them.
            List<Socket> reconnected = new ArrayList<>();
            long bytesBefore = receivedBytes(service, httpPort);
            long resent = streams.values().stream().flatMap(List::stream).mapToLong(CaptureReplayIT::wholeMessageBytes).sum();
            streams.forEach((router, payloads) -> payloads.forEach(payload ->
                    reconnected.add(uncheckedReplay(payload, router, bmpPort))));
            assertThat(Daemon.await(Duration.ofSeconds(30), () -> receivedBytes(service, httpPort) == bytesBefore + resent))
                    .as("the second sessions' messages all received").isTrue();
            int endedBefore = count(service.output(), "\"router_routes_withdrawn\"");
            for (Socket s : routers) {
                s.close();
            }
            assertThat(Daemon.await(Duration.ofSeconds(30),
                    () -> count(service.output(), "\"router_routes_withdrawn\"") == endedBefore + routers.size()))
                    .as("every first session ended; service output:%n%s", service.output()).isTrue();
            for (var entry : expectedByRouter.entrySet()) {
                assertThat(routes(service, httpPort, entry.getKey()))
                        .as("routes of %s after its first sessions ended", entry.getKey()).isEqualTo(entry.getValue());
            }
            routers.addAll(reconnected);
            for (Socket s : routers) {
                s.close();
            }
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        } finally {
            for (Socket s : routers) {
                s.close();
            }
        }
    }

    /** The bytes of the whole BMP messages at the start of a stream (a capture may end inside one). */
    private static long wholeMessageBytes(byte[] payload) {
        int at = 0;
        while (at + 6 <= payload.length) {
            int length = (payload[at + 1] & 0xFF) << 24 | (payload[at + 2] & 0xFF) << 16 | (payload[at + 3] & 0xFF) << 8
                    | (payload[at + 4] & 0xFF);
            if (length < 6 || at + length > payload.length) {
                break;
            }
            at += length;
        }
        return at;
    }

    /** rampart_bmp_received_bytes_total, or -1 while it cannot be read. */
    private long receivedBytes(ServiceProcess service, int port) {
        try {
            String metrics = client.send(service.request(port, "/metrics").build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("rampart_bmp_received_bytes_total")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception notYet) {
            // read again on the next try
        }
        return -1;
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    private static Socket uncheckedReplay(byte[] payload, String from, int port) {
        try {
            return replay(payload, from, port);
        } catch (Exception e) {
            throw new IllegalStateException("replay from " + from + " failed", e);
        }
    }

    private static Socket replay(byte[] payload, String from, int port) throws Exception {
        return ReplayedRouter.connect(payload, from, port);
    }

    /** The API's unicast routes of one router, as sorted "peer view prefix as-path next-hop" lines. */
    private List<String> routes(ServiceProcess service, int port, String router) {
        List<String> lines = new ArrayList<>();
        try {
            for (String family : List.of("ipv4", "ipv6")) {
                HttpResponse<String> r = client.send(service.request(port, "/api/v1/routes?router=" + router
                        + "&family=" + family + "&limit=1000").build(), HttpResponse.BodyHandlers.ofString());
                JsonNode page = json.readTree(r.body());
                for (JsonNode route : page.path("items")) {
                    String nextHop = route.path("next_hop").asText(null);
                    lines.add(line(route.path("peer").asText(), route.path("view").asText(), route.path("prefix").asText(),
                            AsPathText.of(route), nextHop == null ? "0.0.0.0" : address(nextHop)));
                }
            }
        } catch (Exception notYet) {
            lines.add("unavailable: " + notYet);
        }
        lines.sort(null);
        return lines;
    }

    /** pmacct's rows folded into the unicast routes left standing, in the same line form. */
    private List<String> expected(Path capture) throws Exception {
        Path decode = capture.resolveSibling(capture.getFileName().toString().replace(".pcap", ".pmacct-output.json"));
        Map<String, String> standing = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(decode)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                if (text.isBlank()) {
                    continue;
                }
                JsonNode row = json.readTree(text);
                String peer = address(row.path("peer_ip").asText()) + " " + row.path("rd").asText("");
                switch (row.path("bmp_msg_type").asText()) {
                    case "peer_down" -> standing.keySet().removeIf(key -> key.startsWith(peer + "|"));
                    case "route_monitor" -> {
                        String logType = row.path("log_type").asText();
                        if (row.path("safi").asInt() != 1 || !(logType.equals("update") || logType.equals("withdraw"))) {
                            continue;
                        }
                        String view = view(row);
                        String prefix = prefix(row.path("ip_prefix").asText());
                        String key = peer + "|" + view + "|" + prefix + "|" + row.path("path_id").asLong(0);
                        if (logType.equals("update")) {
                            standing.put(key, line(address(row.path("peer_ip").asText()), view, prefix,
                                    words(row.get("as_path")), nextHop(row)));
                        } else {
                            standing.remove(key);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>(standing.values());
        lines.sort(null);
        return lines;
    }

    private static String line(String peer, String view, String prefix, String asPath, String nextHop) {
        return peer + " " + view + " " + prefix + " [" + asPath + "] " + nextHop;
    }

    private static String view(JsonNode row) {
        if (row.path("is_loc").asInt(0) == 1) {
            return "loc-rib";
        }
        return (row.path("is_out").asInt(0) == 1 ? "adj-rib-out-" : "adj-rib-in-")
                + (row.path("is_post").asInt(0) == 1 ? "post" : "pre");
    }

    /** pmacct writes 0.0.0.0 when the UPDATE has no next hop at all, where the API writes none. */
    private static String nextHop(JsonNode row) throws Exception {
        String nextHop = row.path("bgp_nexthop").asText(null);
        return nextHop == null ? "0.0.0.0" : address(nextHop);
    }

    private static String prefix(String cidr) throws Exception {
        int slash = cidr.indexOf('/');
        return address(cidr.substring(0, slash)) + cidr.substring(slash);
    }

    /**
     * One text per address: a literal is parsed, never looked up, and an IPv4-mapped IPv6
     * address (an IPv4 next hop in an IPv6 UPDATE) becomes the IPv4 one, as pmacct prints it.
     */
    private static String address(String literal) throws Exception {
        return AddressText.of(InetAddress.getByName(literal));
    }

    /** pmacct prints lists as JSON arrays or as space-separated text, depending on its configuration. */
    private static String words(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            StringJoiner j = new StringJoiner(" ");
            v.forEach(e -> j.add(e.asText()));
            return j.toString();
        }
        return v.asText();
    }
}
