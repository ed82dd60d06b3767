package net.rampart.collector.bmp;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.RouterLikeBmp;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.PmBmpd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What routers send beyond the plain RFC 7854 shape ({@link RouterLikeBmp}), over TCP into the
 * collector, each case from its own loopback address: every route the router means is in the
 * RIB, and every route it should not have sent is counted and explained. pmacct's pmbmpd reads
 * the same streams for comparison.
 */
class RouterLikeBmpIT {

    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouterInventory inventory = new RouterInventory();
    private final CollectorStatistics statistics = new CollectorStatistics();
    @TempDir
    Path work;

    /** Short, so that the test of a silent connection is quick; the service waits a minute. */
    private static final Duration ESTABLISH_WITHIN = Duration.ofSeconds(2);

    private final List<Socket> routers = new ArrayList<>();
    private BmpListener listener;

    @BeforeEach
    void startListener() throws Exception {
        listener = LoopbackListener.start(rib, inventory, statistics, ESTABLISH_WITHIN);
    }

    @AfterEach
    void stopListener() throws Exception {
        for (Socket router : routers) {
            router.close();
        }
        listener.stop(Duration.ofSeconds(5));
    }

    /**
     * Sends the messages from {@code router} and waits until the collector has handled them all;
     * the session stays open (its end would withdraw the routes).
     */
    private RouterCounters send(String router, List<byte[]> messages) throws Exception {
        Socket socket = new Socket();
        routers.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(router), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(RouterLikeBmp.stream(messages));
        out.flush();
        assertThat(Daemon.await(Duration.ofSeconds(20), () -> counters(router) != null
                && counters(router).messagesProcessed() + counters(router).parseErrors() == messages.size()))
                .as("messages handled").isTrue();
        return counters(router);
    }

    private RouterCounters counters(String router) {
        return statistics.routers().stream().filter(c -> c.router().equals(router)).findFirst().orElse(null);
    }

    private Set<String> routes(String router, RibView view, Family family) {
        Set<String> found = new TreeSet<>();
        RouterId id = new RouterId(router);
        for (PeerKey peer : rib.peers(id)) {
            rib.read(id, peer, view, family, (key, attributes, changed) -> found.add(key.text()));
        }
        return found;
    }

    private PeerRecord peer(String router, String address) {
        return inventory.peers().stream().filter(p -> p.router().equals(router) && p.address().equals(address))
                .findFirst().orElseThrow();
    }

    @Test
    void tlvsAfterTheUpdateKeepTheRouteAndUnknownOnesAreCounted() throws Exception {
        String router = "127.0.0.21";
        RouterCounters counters = send(router, RouterLikeBmp.tlvsAfterTheUpdate());
        assertThat(routes(router, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST)).containsExactly(RouterLikeBmp.TLV_CASE_PREFIX);
        // The VRF/table name TLV (index 0: every NLRI) stays on the route; the unknown TLV adds nothing.
        assertThat(rib.lookup(new RouterId(router), PeerKey.global(InetAddress.getByName(RouterLikeBmp.PEER_ADDRESS)),
                RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, Ipv4RouteKey.parse(RouterLikeBmp.TLV_CASE_PREFIX, 0)).marking())
                .isEqualTo(new RouteMarking(RouterLikeBmp.TLV_CASE_VRF, -1, -1));
        assertThat(counters.parseErrors()).isZero();
        assertThat(counters.unknownTlvs()).isEqualTo(1);
        assertThat(counters.malformedTrailers()).isZero();
    }

    @Test
    void addPathOfAnEarlierPeerUpOfTheSamePeerStillDecodes() throws Exception {
        String router = "127.0.0.22";
        RouterCounters counters = send(router, RouterLikeBmp.perFamilyPeerUps());
        assertThat(counters.parseErrors()).isZero();
        Set<String> ipv4 = new TreeSet<>();
        RouterId id = new RouterId(router);
        for (PeerKey peer : rib.peers(id)) {
            rib.read(id, peer, RibView.LOC_RIB, Family.IPV4_UNICAST,
                    (key, attributes, changed) -> ipv4.add(key.text() + " path " + key.pathId()));
        }
        assertThat(ipv4).containsExactly(RouterLikeBmp.ADD_PATH_PREFIX + " path 1", RouterLikeBmp.ADD_PATH_PREFIX + " path 2");
        assertThat(routes(router, RibView.LOC_RIB, Family.IPV6_UNICAST)).containsExactly(RouterLikeBmp.IPV6_PREFIX);
    }

    @Test
    void aVpnNextHopWithoutItsRdIsCountedAndExplained() throws Exception {
        String router = "127.0.0.23";
        RouterCounters counters = send(router, RouterLikeBmp.vpnv4WithSixteenByteNextHop());
        assertThat(counters.parseErrors()).isZero();
        assertThat(routes(router, RibView.ADJ_RIB_IN_PRE, new Family(1, 128))).isEmpty();
        assertThat(peer(router, RouterLikeBmp.PEER_ADDRESS).routesTreatedAsWithdraw())
                .isEqualTo(Map.of("malformed_attribute/14", 1L));
    }

    @Test
    void aTwoOctetAsPathUnderAFourOctetHeaderIsCountedAndExplained() throws Exception {
        String router = "127.0.0.24";
        RouterCounters counters = send(router, RouterLikeBmp.twoOctetAsPathOnFourOctetSession());
        assertThat(counters.parseErrors()).isZero();
        assertThat(routes(router, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST)).isEmpty();
        assertThat(peer(router, RouterLikeBmp.PEER_ADDRESS).routesTreatedAsWithdraw())
                .isEqualTo(Map.of("malformed_attribute/2", 1L));
    }

    @Test
    void aConnectionThatNeverSaysInitiationOrPeerUpIsClosedAndNeverListed() throws Exception {
        String garbage = "127.0.0.25";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(garbage), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()), 5000);
            // Well-framed messages that do not decode (a Peer Up of 20 bytes), many of them: each is
            // counted, the connection stays, and none makes the sender a router.
            byte[] bad = {3, 0, 0, 0, 20, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            for (int i = 0; i < 200; i++) {
                socket.getOutputStream().write(bad);
            }
            socket.getOutputStream().flush();
            assertThat(Daemon.await(Duration.ofSeconds(10), () -> counters(garbage) != null
                    && counters(garbage).parseErrors() == 200)).as("every bad message counted").isTrue();
            assertThat(inventory.routers()).extracting(r -> r.id()).doesNotContain(garbage);
            // The listener closes it once its time to say Initiation is up: the read sees the end.
            socket.setSoTimeout((int) ESTABLISH_WITHIN.multipliedBy(5).toMillis());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(Daemon.await(Duration.ofSeconds(5), () -> counters(garbage).isClosed())).isTrue();
        assertThat(inventory.routers()).extracting(r -> r.id()).doesNotContain(garbage);
        assertThat(inventory.peers()).noneMatch(p -> p.router().equals(garbage));
    }

    /**
     * pmacct's pmbmpd reads the same cases: the same routes where both keep them; where we
     * refuse a route (counted and explained above), pmacct keeps it with the broken attribute
     * read as empty.
     */
    @Test
    void pmacctReadsTheSameRoutesAndKeepsTheOnesWeRefuse() throws Exception {
        assumeTrue(PmBmpd.installed(), "pmbmpd is not installed (Debian package pmacct); skipped");
        try (PmBmpd pmacct = PmBmpd.start(work)) {
            send("127.0.0.31", RouterLikeBmp.tlvsAfterTheUpdate());
            assertThat(pmacctRoutes(pmacct, "127.0.0.41", RouterLikeBmp.tlvsAfterTheUpdate()))
                    .extracting(r -> r.path("ip_prefix").asText())
                    .containsExactlyElementsOf(routes("127.0.0.31", RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST));

            send("127.0.0.32", RouterLikeBmp.perFamilyPeerUps());
            Set<String> ours = new TreeSet<>();
            RouterId id = new RouterId("127.0.0.32");
            for (PeerKey peer : rib.peers(id)) {
                for (Family family : List.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST)) {
                    rib.read(id, peer, RibView.LOC_RIB, family,
                            (key, attributes, changed) -> ours.add(key.text() + " path " + key.pathId()));
                }
            }
            assertThat(pmacctRoutes(pmacct, "127.0.0.42", RouterLikeBmp.perFamilyPeerUps()))
                    .extracting(r -> r.path("ip_prefix").asText() + " path " + r.path("as_path_id").asInt(0))
                    .containsExactlyInAnyOrderElementsOf(ours);

            assertThat(pmacctRoutes(pmacct, "127.0.0.43", RouterLikeBmp.vpnv4WithSixteenByteNextHop()))
                    .singleElement().satisfies(r -> {
                        assertThat(r.path("ip_prefix").asText()).isEqualTo(RouterLikeBmp.VPN_PREFIX);
                        assertThat(r.path("bgp_nexthop").asText()).isEmpty();
                    });
            assertThat(pmacctRoutes(pmacct, "127.0.0.44", RouterLikeBmp.twoOctetAsPathOnFourOctetSession()))
                    .singleElement().satisfies(r -> {
                        assertThat(r.path("ip_prefix").asText()).isEqualTo(RouterLikeBmp.TWO_OCTET_CASE_PREFIX);
                        assertThat(r.path("as_path").asText()).isEmpty();
                    });
        }
    }

    /** pmacct's route_monitor rows for one router, once it has logged one per Route Monitoring sent. */
    private List<JsonNode> pmacctRoutes(PmBmpd pmacct, String router, List<byte[]> messages) throws Exception {
        Socket socket = new Socket();
        routers.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(router), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), pmacct.port()), 5000);
        socket.getOutputStream().write(RouterLikeBmp.stream(messages));
        long monitoring = messages.stream().filter(m -> m[5] == BmpMessage.ROUTE_MONITORING).count();
        List<JsonNode> rows = new ArrayList<>();
        boolean logged = Daemon.await(Duration.ofSeconds(20), () -> {
            rows.clear();
            try {
                pmacct.rows().stream().filter(r -> r.path("bmp_router").asText().equals(router)
                        && r.path("bmp_msg_type").asText().equals("route_monitor")).forEach(rows::add);
            } catch (Exception notYet) {
                return false;
            }
            return rows.size() == monitoring;
        });
        assertThat(logged).as("pmbmpd logged every Route Monitoring of %s: %s; its log:%n%s", router, rows,
                pmacct.log()).isTrue();
        return rows;
    }
}
