package net.rampart.server.collector;

import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.mrt.MrtImport;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.route.CurrentRouteReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the imported MRT sources back at start. A BMP router resends its tables when it
 * reconnects; an MRT import is never resent, so without this its routes would be gone from the
 * RIB after a restart although the database still holds them. The sources and their peers are
 * listed again from the {@code router} and {@code peer} rows, and the routes {@code current_route}
 * holds as announced go back into the RIB through {@link Rib#restore}, which does not pass them to
 * route history: they are in it already.
 */
public final class MrtReload {

    private static final Logger log = LoggerFactory.getLogger(MrtReload.class);
    /** Routes gathered before they go into the RIB, bounding what is held beside it. */
    private static final int BATCH = 10_000;

    /** What a reload put back. */
    public record Result(int sources, long routes, long skippedRoutes, long durationMillis) {
    }

    private final CurrentRouteReader reader;
    private final Rib rib;
    private final RouterInventory inventory;

    public MrtReload(CurrentRouteReader reader, Rib rib, RouterInventory inventory) {
        this.reader = reader;
        this.rib = rib;
        this.inventory = inventory;
    }

    /** Reloads every MRT source; call before the RIB takes routes from anywhere else. */
    public Result run() throws SQLException {
        long start = System.nanoTime();
        var sources = reader.routers(MrtImport.ROUTER_PREFIX);
        for (CurrentRouteReader.StoredRouter source : sources) {
            inventory.mrtSource(source.name(), source.firstSeen(), source.lastSeen());
        }
        for (CurrentRouteReader.StoredPeer peer : reader.peers(MrtImport.ROUTER_PREFIX)) {
            inventory.mrtPeer(peer.router(), peer.key(), peer.asn(), peer.active(), peer.firstSeen(), peer.lastSeen());
        }
        var batches = new Batches(rib);
        long skipped = reader.routes(MrtImport.ROUTER_PREFIX, batches::add);
        batches.flush();
        var result = new Result(sources.size(), batches.restored, skipped, (System.nanoTime() - start) / 1_000_000);
        log.atInfo().addKeyValue("event", "mrt_routes_reloaded").addKeyValue("sources", result.sources())
                .addKeyValue("routes", result.routes()).addKeyValue("skipped_routes", result.skippedRoutes())
                .addKeyValue("duration_ms", result.durationMillis())
                .log("imported MRT sources reloaded into the RIB from the database");
        return result;
    }

    /**
     * Gathers the routes of one peer, view and family (the reader sends them one table after
     * another) into one announcement per attribute set and second of last change, so that the
     * RIB takes them in few updates and each route keeps the time it last changed.
     */
    private static final class Batches {
        private record Group(PathAttributes attributes, long second) {
        }

        private final Rib rib;
        private final Map<Group, List<RouteKey>> groups = new HashMap<>();
        private RouterId router;
        private PeerKey peer;
        private RibView view;
        private Family family;
        private int pending;
        private long restored;

        Batches(Rib rib) {
            this.rib = rib;
        }

        void add(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key, PathAttributes attributes,
                 long lastChangeMillis) {
            if (!peer.equals(this.peer) || !router.equals(this.router) || view != this.view
                    || !family.equals(this.family) || pending >= BATCH) {
                flush();
                this.router = router;
                this.peer = peer;
                this.view = view;
                this.family = family;
            }
            groups.computeIfAbsent(new Group(attributes, Math.floorDiv(lastChangeMillis, 1000)), g -> new ArrayList<>())
                    .add(key);
            pending++;
        }

        void flush() {
            groups.forEach((group, keys) -> rib.restore(router, peer, view,
                    RouteUpdate.announce(group.second() * 1000, family, group.attributes(), keys)));
            restored += pending;
            groups.clear();
            pending = 0;
        }
    }
}
