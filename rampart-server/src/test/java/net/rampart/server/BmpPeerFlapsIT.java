package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpBytes;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.InformationTlv;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's fault "a BGP peer flapping 20 times in a minute", as the collector sees it: a router
 * reports over one BMP session that its BGP peer went down and came up again 20 times within a
 * minute (Peer Down, Peer Up and the peer's table each time), as a router whose upstream flaps
 * does. GoBGP itself cannot flap a session that fast (after a reset by its peer it waits 5 s
 * idle before it takes or makes a connection again; see FlappingSessionsIT), so the router is the
 * test's own BMP speaker. Afterwards the RIB holds the peer's table once, the peer is up once,
 * route history and peer events hold every change exactly once, and the heap is back at its level.
 */
class BmpPeerFlapsIT {

    private static final int FLAPS = 20;
    private static final Duration FLAP_INTERVAL = Duration.ofMillis(2_900);
    private static final int ROUTES = 500;
    private static final String ROUTER = "127.0.0.12";
    private static final String PEER = "192.0.2.50";
    private static final long PEER_AS = 65050;
    /** Live heap the flapping may leave behind: well under one table's worth of route objects. */
    private static final long HEAP_TOLERANCE_BYTES = 768 * 1024;

    @TempDir
    Path dir;

    @Test
    void aPeerFlappingTwentyTimesInAMinuteEndsWithItsTableOnceAndEveryChangeInHistory() throws Exception {
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.loopbackCollector(httpPort, bmpPort,
                Files.createDirectories(dir.resolve("data"))))) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(2))).as(service.output()).isTrue();
            ServiceProcess.Api api = service.api(httpPort);
            Socket router = ReplayedRouter.connect(ROUTER, bmpPort);
            OutputStream out = router.getOutputStream();
            ReplayedRouter.send(out, List.of(BmpBytes.body().tlv(InformationTlv.SYS_NAME, "flapping-edge")
                    .message(BmpMessage.INITIATION)));
            ReplayedRouter.send(out, peerUpAndTable());
            awaitRoutes(api, ROUTES, "the first table");
            // One flap before the baseline, so that what a first flap creates once is not counted as growth.
            ReplayedRouter.send(out, List.of(peerDown()));
            ReplayedRouter.send(out, peerUpAndTable());
            awaitRoutes(api, ROUTES, "the warm-up flap");
            long heapBefore = service.liveHeapBytes(httpPort);

            long start = System.nanoTime();
            for (int flap = 0; flap < FLAPS; flap++) {
                long due = start + FLAP_INTERVAL.toNanos() * flap;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                ReplayedRouter.send(out, List.of(peerDown()));
                ReplayedRouter.send(out, peerUpAndTable());
            }
            Duration flapping = Duration.ofNanos(System.nanoTime() - start);
            assertThat(flapping).as("20 flaps within a minute").isLessThanOrEqualTo(Duration.ofSeconds(60));

            awaitRoutes(api, ROUTES, "the end of the flapping");
            JsonNode peers = api.get("/api/v1/peers?router=" + ROUTER + "&limit=1000").path("items");
            assertThat(peers).hasSize(1);
            assertThat(peers.get(0).path("address").asText()).isEqualTo(PEER);
            assertThat(peers.get(0).path("up").asBoolean()).isTrue();
            assertThat(api.get("/api/v1/routers?limit=1000").path("items")).hasSize(1);

            // History: the first table, then per flap (the warm-up's too) a withdrawal of each route
            // by the Peer Down and its announcement again; peer events: every up and down once.
            int flaps = FLAPS + 1;
            long changes = (long) ROUTES * (1 + 2L * flaps);
            assertThat(Daemon.await(Duration.ofSeconds(60), () -> {
                try {
                    return api.metric("rampart_history_written_events_total") == changes;
                } catch (Exception e) {
                    return false;
                }
            })).as("every route change written").isTrue();
            try (Connection db = service.database()) {
                assertThat(ServiceProcess.queryLong(db, "SELECT count(*) FROM route_history WHERE is_withdrawn")).isEqualTo(
                        (long) ROUTES * flaps);
                assertThat(ServiceProcess.queryLong(db, "SELECT count(*) FROM route_history WHERE NOT is_withdrawn")).isEqualTo(
                        (long) ROUTES * (flaps + 1));
                assertThat(Daemon.await(Duration.ofSeconds(30), () ->
                        ServiceProcess.queryLong(db, "SELECT count(*) FROM peer_event WHERE event = 'down'") == flaps
                                && ServiceProcess.queryLong(db, "SELECT count(*) FROM peer_event WHERE event = 'up'") == flaps + 1))
                        .as("peer events: %d downs and %d ups", flaps, flaps + 1).isTrue();
            }
            long heapAfter = service.liveHeapBytes(httpPort);
            System.out.printf("%d flaps in %s; live heap %d bytes before, %d after (%+d)%n", FLAPS, flapping,
                    heapBefore, heapAfter, heapAfter - heapBefore);
            assertThat(heapAfter).as("live heap after the flapping, before it was %d", heapBefore)
                    .isLessThanOrEqualTo(heapBefore + HEAP_TOLERANCE_BYTES);
            router.close();
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private static void awaitRoutes(ServiceProcess.Api api, int routes, String when) throws InterruptedException {
        assertThat(Daemon.await(Duration.ofSeconds(60), () -> {
            try {
                return api.get("/api/v1/routes?router=" + ROUTER + "&limit=1").path("matched").asLong() == routes;
            } catch (Exception e) {
                return false;
            }
        })).as("the router's %d routes in the RIB after %s", routes, when).isTrue();
    }

    /** A global peer's per-peer header, stamped now (the collector takes the router's time). */
    private static BmpBytes peer() {
        long micros = System.currentTimeMillis() * 1000 + System.nanoTime() / 1000 % 1000;
        return BmpBytes.body().peer(0, 0, 0, PEER, PEER_AS, PEER, micros / 1_000_000, micros % 1_000_000);
    }

    /** Peer Down, reason 4: the remote system closed the session without a NOTIFICATION. */
    private static byte[] peerDown() {
        return peer().u8(4).message(BmpMessage.PEER_DOWN);
    }

    /** The peer's Peer Up, then its table: {@link #ROUTES} /24s in UPDATEs of 100. */
    private static List<byte[]> peerUpAndTable() {
        List<byte[]> messages = new ArrayList<>();
        byte[] sent = open(65001);
        byte[] received = open(PEER_AS);
        messages.add(peer().localAddress(ROUTER).u16(179).u16(40_000).bytes(sent).bytes(received)
                .message(BmpMessage.PEER_UP));
        for (int first = 0; first < ROUTES; first += 100) {
            List<UnicastNlri> nlri = new ArrayList<>();
            for (int i = first; i < first + 100; i++) {
                // 10.50.0.0/24 to 10.50.255.0/24, then on in 10.51.
                nlri.add(new UnicastNlri(Ipv4Prefix.of(10 << 24 | (50 + i / 256) << 16 | (i % 256) << 8, 24)));
            }
            UpdateMessage update = new UpdateMessage(List.of(), List.of(
                    new PathAttribute.Origin(PathAttribute.Origin.IGP),
                    PathAttribute.AsPath.sequence(PEER_AS, 64_700 + first / 100),
                    new PathAttribute.NextHop(0xc0000232)), nlri);
            messages.add(peer().bytes(BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS))
                    .message(BmpMessage.ROUTE_MONITORING));
        }
        return messages;
    }

    private static byte[] open(long asn) {
        return BgpMessageEncoder.encode(OpenMessage.of(asn, 90, (int) asn, List.of(
                new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST), new Capability.FourOctetAs(asn))),
                PeerCapabilities.LEGACY);
    }

}
