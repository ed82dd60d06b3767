package net.rampart.collector.bmp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real GoBGP whose BMP connection is cut and re-established while the collector still holds
 * the old one open, and a real GoBGP with two BMP sessions at once: the end of one session
 * never takes away routes the other delivered, and the RIB stays equal to GoBGP's own Loc-RIB.
 * Both of GoBGP's connections reach the collector from 127.0.0.1 through relays, so the
 * collector sees one router with two sessions, as it does when a real router reconnects.
 */
class GoBgpSessionsIT {

    private static final RouterId ROUTER = new RouterId("127.0.0.1");
    private static final int ROUTES = 20;

    @TempDir
    Path directory;

    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouterInventory inventory = new RouterInventory();
    private final CollectorStatistics statistics = new CollectorStatistics();
    private BmpListener listener;

    @BeforeEach
    void startListener() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "gobgpd is not installed (Debian package gobgpd); skipped");
        listener = LoopbackListener.start(rib, inventory, statistics, BmpListener.ESTABLISH_WITHIN);
    }

    @AfterEach
    void stopListener() {
        if (listener != null) {
            listener.stop(Duration.ofSeconds(5));
        }
    }

    private static String config(int... bmpPorts) {
        GoBgpDaemon.Config config = GoBgpDaemon.config(65001, "192.0.2.254");
        for (int port : bmpPorts) {
            config.bmpServer(port, "local-rib");
        }
        return config.toml();
    }

    @Test
    void aReconnectWhileTheOldConnectionIsStillOpenKeepsEveryRoute() throws Exception {
        try (var relay = new StaleConnectionRelay(listener.port());
             var gobgp = GoBgpDaemon.start(directory, config(relay.port()))) {
            for (int i = 0; i < ROUTES; i++) {
                gobgp.cli("global", "rib", "add", "10.0." + i + ".0/24", "-a", "ipv4", "nexthop", "192.0.2.1");
            }
            awaitTrue(() -> locRib().equals(senderRoutes(gobgp)), gobgp, "the first session's table");

            // The link flaps: GoBGP's side of the connection is gone, the collector's is not.
            relay.cutRouterSide();
            // Changes make GoBGP write, find its connection gone (the first write after the cut
            // may still be taken by the kernel), reconnect and resend its whole table.
            int added = 0;
            while (relay.connections() == 0 && added < 10) {
                gobgp.cli("global", "rib", "add", "10.1." + added++ + ".0/24", "-a", "ipv4", "nexthop", "192.0.2.1");
                Daemon.await(Duration.ofSeconds(5), () -> relay.connections() == 1);
            }
            int afterReconnect = ROUTES + added;
            awaitTrue(() -> relay.connections() == 1 && locRib().size() == afterReconnect, gobgp, "the reconnect");

            // The old connection times out at last: nothing the new session sent may go with it.
            relay.closeStale();
            awaitTrue(() -> closedSessions() == 1, gobgp, "the stale session's end");
            assertThat(locRib()).isEqualTo(senderRoutes(gobgp)).hasSize(afterReconnect);
            assertThat(inventory.routers()).singleElement().satisfies(r -> assertThat(r.connected()).isTrue());
            assertThat(inventory.peers()).singleElement().satisfies(p -> assertThat(p.up()).isTrue());

            // The live session goes on working: a withdrawal arrives, and its end withdraws everything.
            gobgp.cli("global", "rib", "del", "10.0.0.0/24", "-a", "ipv4");
            awaitTrue(() -> locRib().equals(senderRoutes(gobgp)) && locRib().size() == afterReconnect - 1, gobgp,
                    "a withdrawal");
            gobgp.close();
            awaitTrue(() -> rib.routeCount() == 0 && closedSessions() == 2, gobgp, "the live session's end");
            assertThat(inventory.routers()).singleElement().satisfies(r -> assertThat(r.connected()).isFalse());
            assertThat(inventory.peers()).singleElement().satisfies(p -> assertThat(p.up()).isFalse());
        }
    }

    @Test
    void twoSessionsAtOnceShareOneTableAndEitherMayEnd() throws Exception {
        try (var first = new StaleConnectionRelay(listener.port());
             var second = new StaleConnectionRelay(listener.port());
             var gobgp = GoBgpDaemon.start(directory, config(first.port(), second.port()))) {
            for (int i = 0; i < ROUTES; i++) {
                gobgp.cli("global", "rib", "add", "10.0." + i + ".0/24", "-a", "ipv4", "nexthop", "192.0.2.1");
            }
            awaitTrue(() -> first.connections() == 1 && second.connections() == 1
                    && locRib().equals(senderRoutes(gobgp)), gobgp, "both sessions' tables");
            assertThat(rib.routeCount()).isEqualTo(ROUTES);
            assertThat(inventory.routers()).hasSize(1);

            // The first session ends for good (its relay takes no reconnect): the second carries on.
            first.close();
            awaitTrue(() -> closedSessions() == 1, gobgp, "the first session's end");
            assertThat(locRib()).isEqualTo(senderRoutes(gobgp)).hasSize(ROUTES);
            assertThat(inventory.routers()).singleElement().satisfies(r -> assertThat(r.connected()).isTrue());
            assertThat(inventory.peers()).singleElement().satisfies(p -> assertThat(p.up()).isTrue());

            gobgp.cli("global", "rib", "add", "10.2.0.0/24", "-a", "ipv4", "nexthop", "192.0.2.1");
            awaitTrue(() -> locRib().equals(senderRoutes(gobgp)) && locRib().size() == ROUTES + 1, gobgp,
                    "an announcement on the second session");
        }
    }

    private long closedSessions() {
        return statistics.routers().stream().filter(RouterCounters::isClosed).count();
    }

    private Set<String> locRib() {
        Set<String> found = new TreeSet<>();
        for (PeerKey peer : rib.peers(ROUTER)) {
            rib.read(ROUTER, peer, RibView.LOC_RIB, Family.IPV4_UNICAST,
                    (key, attributes, changed) -> found.add(((Ipv4RouteKey) key).text()));
        }
        return found;
    }

    private static Set<String> senderRoutes(GoBgpDaemon gobgp) {
        try {
            List<String> names = new ArrayList<>();
            gobgp.localRib("ipv4").fieldNames().forEachRemaining(names::add);
            return new TreeSet<>(names);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitTrue(BooleanSupplier condition, GoBgpDaemon gobgp, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what + "; RIB has " + locRib() + "; peers "
                        + inventory.peers() + "; routers " + inventory.routers() + "; gobgpd log:\n" + gobgp.log());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
