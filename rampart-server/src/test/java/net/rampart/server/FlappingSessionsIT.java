package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's flapping fault on real processes: a GoBGP router with a BGP peer (a second GoBGP
 * announcing {@value #ROUTES} routes) reports to the service over BMP, and the service's FlowSpec
 * speaker peers with the same router with one mitigation active. For a minute, every three
 * seconds (20 ticks), the router drops and re-adds its BMP station, resets its upstream session
 * when that is up, and every fourth tick resets the speaker's session when that is up (gobgpd
 * waits 5 to 10 s before it connects again, so not every tick finds a session to reset; the
 * resets are counted against the router's own "Peer Down" log lines). Afterwards the service's RIB for the router equals the
 * router's own Adj-RIB-In, the router and its peers appear once each and are up, the router holds
 * the one desired FlowSpec rule exactly once, and the service's heap after a full GC is back near
 * where it was before the flapping.
 */
class FlappingSessionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUTES = 300;
    private static final int FLAPS = 20;
    private static final Duration FLAP_INTERVAL = Duration.ofSeconds(3);
    private static final String ROUTER = "127.0.0.1";
    /** The upstream GoBGP; it speaks from another loopback address so the router can tell it from the speaker. */
    private static final String UPSTREAM = "127.0.0.2";
    private static final String SPEAKER = "127.0.0.1";
    private static final String RULE =
            "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000";
    /**
     * How far the live heap (after a full GC) may end above where it was before the flapping.
     * Each BMP reconnect makes the service decode the whole table again and each peer flap
     * withdraws and re-learns it; anything kept per session stays 20 times over. Before the fix
     * that came with this test, every closed BMP connection stayed reachable for 60 s through its
     * pending establish check (its 64 KiB read buffer, decoder and session): +1.1 to 1.25 MB here
     * after 20 reconnects. With it, +0.27 to 0.32 MB (new pool caches, history and metrics of the new
     * sessions). 768 KiB fails the former and leaves the latter a margin of half a megabyte.
     */
    private static final long HEAP_TOLERANCE_BYTES = 768L << 10;

    @TempDir
    Path dir;

    @Test
    void twentyPeerFlapsAndTwentyBmpReconnectsEndConsistentAndGiveTheHeapBack() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd is not installed");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int routerBgpPort = ServiceProcess.freePort();
        Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24, 2001:db8::/32]
                """);
        Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 30m}
                """);
        Map<String, String> environment = Map.ofEntries(
                Map.entry("RAMPART_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("RAMPART_BMP_PORT", Integer.toString(bmpPort)),
                Map.entry("RAMPART_BMP_ALLOW", "127.0.0.1/32"),
                Map.entry("RAMPART_RTR_PORT", "0"),
                Map.entry("RAMPART_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("RAMPART_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("RAMPART_POP", "ams1"),
                Map.entry("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString()),
                Map.entry("RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString()),
                Map.entry("RAMPART_BGP_ASN", "65000"),
                Map.entry("RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                Map.entry("RAMPART_BGP_PEERS", ROUTER + ":" + routerBgpPort + "/65001"));
        // The router: listens for both its peers, reports their Adj-RIB-In (pre-policy) over BMP.
        String routerConfig = GoBgpDaemon.config(65001, "192.0.2.1").port(routerBgpPort).localAddress(ROUTER)
                .neighbor(GoBgpDaemon.neighbor(SPEAKER, 65000).passive().idleHoldAfterReset(1)
                        .families("ipv4-flowspec", "ipv6-flowspec"))
                .neighbor(GoBgpDaemon.neighbor(UPSTREAM, 65002).passive().localAddress(ROUTER).idleHoldAfterReset(1)
                        .families("ipv4-unicast"))
                .bmpServer(bmpPort, "pre-policy").toml();
        String upstreamConfig = GoBgpDaemon.config(65002, "192.0.2.2").localAddress(UPSTREAM)
                .neighbor(GoBgpDaemon.neighbor(ROUTER, 65001).localAddress(UPSTREAM).remotePort(routerBgpPort)
                        .connectRetry(1).idleHoldAfterReset(1).families("ipv4-unicast"))
                .toml();

        try (ServiceProcess service = ServiceProcess.start(environment); HttpClient client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            ServiceProcess.Api api = service.api(httpPort);
            try (GoBgpDaemon router = GoBgpDaemon.start(Files.createDirectories(dir.resolve("router")), "router",
                    routerConfig);
                 GoBgpDaemon upstream = GoBgpDaemon.start(Files.createDirectories(dir.resolve("upstream")), "upstream",
                         upstreamConfig)) {
                for (int i = 0; i < ROUTES; i++) {
                    upstream.cli("global", "rib", "add", "10." + (i / 256) + "." + (i % 256) + ".0/24",
                            "nexthop", "192.0.2.2", "aspath", "65002," + (64600 + i % 7));
                }
                HttpResponse<String> posted = client.send(service.request(httpPort, "/api/v1/events")
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                                {"event_id":"flap-1","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                                 "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                                """)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

                awaitConsistent(api, router, upstream, service, "the first table and rule");
                // One round of every fault before the baseline, so that what a first reconnect
                // creates once (classes, JIT code, pools) is not counted as growth.
                router.cli("neighbor", UPSTREAM, "reset");
                router.cli("bmp", "del", ROUTER + ":" + bmpPort);
                router.cli("bmp", "add", ROUTER + ":" + bmpPort, "pre");
                router.cli("neighbor", SPEAKER, "reset");
                awaitConsistent(api, router, upstream, service, "the warm-up round");
                long heapBefore = service.liveHeapBytes(httpPort);
                long flopsBefore = flops(router, UPSTREAM);
                long speakerFlopsBefore = flops(router, SPEAKER);
                int bmpSessionsBefore = service.events("bmp_session_established").size();

                long start = System.nanoTime();
                int upstreamResets = 0;
                int speakerResets = 0;
                for (int flap = 0; flap < FLAPS; flap++) {
                    long due = start + FLAP_INTERVAL.toNanos() * flap;
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                    // gobgpd waits 5 to 10 s before it connects again, longer than a tick: a reset
                    // of a session still down would be no flap, so only an established one is reset.
                    if (router.established(UPSTREAM)) {
                        router.cli("neighbor", UPSTREAM, "reset");
                        upstreamResets++;
                    }
                    router.cli("bmp", "del", ROUTER + ":" + bmpPort);
                    router.cli("bmp", "add", ROUTER + ":" + bmpPort, "pre");
                    if (flap % 4 == 1 && router.established(SPEAKER)) {
                        router.cli("neighbor", SPEAKER, "reset");
                        speakerResets++;
                    }
                }
                Duration flapping = Duration.ofNanos(System.nanoTime() - start);
                assertThat(flapping).as("20 flaps within a minute").isLessThanOrEqualTo(Duration.ofSeconds(62));

                awaitConsistent(api, router, upstream, service, "the end of the flapping");
                long upstreamFlaps = flops(router, UPSTREAM) - flopsBefore;
                long speakerFlaps = flops(router, SPEAKER) - speakerFlopsBefore;
                int bmpReconnects = service.events("bmp_session_established").size() - bmpSessionsBefore;
                long heapAfter = service.liveHeapBytes(httpPort);
                System.out.printf("flapping took %s; upstream session reset %d times, went down %d times;"
                                + " speaker session reset %d times, went down %d times; BMP sessions established"
                                + " %d times; live heap %d bytes before, %d after (%+d)%n", flapping, upstreamResets,
                        upstreamFlaps, speakerResets, speakerFlaps, bmpReconnects, heapBefore, heapAfter,
                        heapAfter - heapBefore);
                // The flaps that really happened are those the router logged.
                assertThat(upstreamFlaps).as("upstream sessions the router lost").isEqualTo(upstreamResets)
                        .isGreaterThanOrEqualTo(2);
                assertThat(speakerFlaps).as("speaker sessions the router lost").isEqualTo(speakerResets)
                        .isGreaterThanOrEqualTo(2);
                assertThat(bmpReconnects).as("BMP sessions the service saw established").isGreaterThanOrEqualTo(FLAPS);
                assertThat(heapAfter).as("live heap after the flapping, before it was %d", heapBefore)
                        .isLessThanOrEqualTo(heapBefore + HEAP_TOLERANCE_BYTES);
            }
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    /**
     * Waits (90 s at most) until the service's view of the router agrees with the router's, then
     * asserts each part of it so a failure names what differs.
     */
    private static void awaitConsistent(ServiceProcess.Api api, GoBgpDaemon router, GoBgpDaemon upstream,
                                        ServiceProcess service, String when) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (router.established(UPSTREAM) && router.established(SPEAKER)
                        && upstreamAdjIn(router).size() == ROUTES
                        && serviceRoutes(api).equals(upstreamAdjIn(router))
                        && routerConnectedOnce(api) && peersUpOnce(api)
                        && flowSpecPaths(router).equals(List.of(RULE))) {
                    break;
                }
            } catch (AssertionError | RuntimeException notYet) {
                // an answer other than 200 while the service is busy: poll again
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        String context = when + "; router log:\n" + tail(router.log()) + "\nupstream log:\n" + tail(upstream.log())
                + "\nservice:\n" + tail(service.output());
        assertThat(router.established(UPSTREAM)).as("router–upstream session up after " + context).isTrue();
        assertThat(router.established(SPEAKER)).as("router–speaker session up after " + context).isTrue();
        Set<String> expected = upstreamAdjIn(router);
        assertThat(expected).as("the router's Adj-RIB-In after " + context).hasSize(ROUTES);
        assertThat(serviceRoutes(api)).as("the service's routes for the upstream peer after " + context)
                .isEqualTo(expected);
        assertThat(api.get("/api/v1/routes?router=" + ROUTER + "&family=ipv4&limit=1").path("matched").asInt())
                .as("IPv4 routes of the router in every peer and view after " + context).isEqualTo(ROUTES);
        JsonNode routers = api.get("/api/v1/routers?limit=1000");
        assertThat(routers.path("items")).as("routers after " + context).hasSize(1);
        assertThat(routers.path("items").get(0).path("connected").asBoolean()).as("router connected").isTrue();
        JsonNode peers = api.get("/api/v1/peers?limit=1000").path("items");
        List<String> addresses = new ArrayList<>();
        peers.forEach(p -> addresses.add(p.path("router").asText() + " " + p.path("address").asText()));
        assertThat(addresses).as("peers after " + context + ": " + peers)
                .containsExactlyInAnyOrder(ROUTER + " " + UPSTREAM, ROUTER + " " + SPEAKER);
        peers.forEach(p -> assertThat(p.path("up").asBoolean()).as("peer up: " + p).isTrue());
        peers.forEach(p -> {
            if (p.path("address").asText().equals(UPSTREAM)) {
                assertThat(p.path("asn").asLong()).isEqualTo(65002);
                assertThat(p.path("bgp_id").asText()).isEqualTo("192.0.2.2");
            }
        });
        assertThat(flowSpecPaths(router)).as("the router's FlowSpec paths after " + context).containsExactly(RULE);
        assertThat(router.flowSpecRules("ipv6-flowspec")).as("IPv6 FlowSpec after " + context).isEmpty();
    }

    private static boolean routerConnectedOnce(ServiceProcess.Api api) throws Exception {
        JsonNode items = api.get("/api/v1/routers?limit=1000").path("items");
        return items.size() == 1 && items.get(0).path("connected").asBoolean();
    }

    private static boolean peersUpOnce(ServiceProcess.Api api) throws Exception {
        JsonNode items = api.get("/api/v1/peers?limit=1000").path("items");
        Set<String> seen = new HashSet<>();
        for (JsonNode peer : items) {
            if (!peer.path("up").asBoolean() || !seen.add(peer.path("address").asText())) {
                return false;
            }
        }
        return seen.equals(Set.of(UPSTREAM, SPEAKER));
    }

    /** The service's IPv4 routes from the upstream peer, as "prefix next-hop as-path". */
    private static Set<String> serviceRoutes(ServiceProcess.Api api) throws Exception {
        Set<String> routes = new TreeSet<>();
        String cursor = "";
        do {
            JsonNode page = api.get("/api/v1/routes?router=" + ROUTER + "&peer=" + UPSTREAM
                    + "&view=adj-rib-in-pre&family=ipv4&limit=1000" + cursor);
            for (JsonNode route : page.path("items")) {
                StringBuilder path = new StringBuilder();
                route.path("as_path").forEach(a -> path.append(path.isEmpty() ? "" : ",").append(a.asText()));
                routes.add(route.path("prefix").asText() + " " + route.path("next_hop").asText() + " " + path);
            }
            String next = page.path("next_cursor").asText("");
            cursor = next.isEmpty() || page.path("next_cursor").isNull() ? "" : "&cursor=" + next;
        } while (!cursor.isEmpty());
        return routes;
    }

    /** The router's Adj-RIB-In from the upstream, as {@code gobgp neighbor ADDRESS adj-in} prints it. */
    private static Set<String> upstreamAdjIn(GoBgpDaemon router) throws Exception {
        Set<String> routes = new TreeSet<>();
        String json = router.cli("neighbor", UPSTREAM, "adj-in", "-a", "ipv4", "-j");
        if (json.isBlank()) {
            return routes;
        }
        for (JsonNode paths : JSON.readTree(json)) {
            for (JsonNode path : paths) {
                String nextHop = "";
                StringBuilder asPath = new StringBuilder();
                for (JsonNode attr : path.path("attrs")) {
                    switch (attr.path("type").asInt()) {
                        case 2 -> attr.path("as_paths").forEach(seg -> seg.path("asns").forEach(
                                a -> asPath.append(asPath.isEmpty() ? "" : ",").append(a.asText())));
                        case 3 -> nextHop = attr.path("nexthop").asText();
                        default -> {
                        }
                    }
                }
                routes.add(path.path("nlri").path("prefix").asText() + " " + nextHop + " " + asPath);
            }
        }
        return routes;
    }

    /** Every path of the router's IPv4 FlowSpec Loc-RIB, duplicates kept. */
    private static List<String> flowSpecPaths(GoBgpDaemon router) throws Exception {
        List<String> paths = new ArrayList<>();
        for (String line : router.cli("global", "rib", "-a", "ipv4-flowspec").split("\n")) {
            if (line.startsWith("*")) {
                paths.add(line);
            }
        }
        Set<String> rules = router.flowSpecRules("ipv4-flowspec");
        return paths.size() == rules.size() ? List.copyOf(rules) : paths;
    }

    /**
     * How many times the router's session with {@code neighbor} went down, by the router's own log
     * ("Peer Down", which gobgpd writes when an Established session ends; its API's flop count is
     * left out of {@code gobgp neighbor -j}).
     */
    private static long flops(GoBgpDaemon router, String neighbor) {
        return router.log().lines().filter(line -> line.contains("\"msg\":\"Peer Down\"")
                && line.contains("\"Key\":\"" + neighbor + "\"")).count();
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }
}
