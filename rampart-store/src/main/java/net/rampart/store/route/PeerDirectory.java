package net.rampart.store.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouterId;

/**
 * Database ids of routers and peers, created on first sight and cached. Ids are resolved in
 * their own committed statements so a cached id never refers to a rolled-back row.
 */
final class PeerDirectory {
    private record PeerRef(RouterId router, PeerKey peer) {
    }

    private final ConcurrentHashMap<RouterId, Integer> routers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PeerRef, Integer> peers = new ConcurrentHashMap<>();

    /** Must be called with auto-commit on. */
    int routerId(Connection c, RouterId router) throws SQLException {
        Integer id = routers.get(router);
        if (id != null) {
            return id;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO router (name) VALUES (?) "
                + "ON CONFLICT (name) DO UPDATE SET last_seen = now() RETURNING id")) {
            s.setString(1, router.name());
            id = single(s);
        }
        routers.put(router, id);
        return id;
    }

    /** Must be called with auto-commit on. */
    int peerId(Connection c, RouterId router, PeerKey peer) throws SQLException {
        PeerRef ref = new PeerRef(router, peer);
        Integer id = peers.get(ref);
        if (id != null) {
            return id;
        }
        int routerId = routerId(c, router);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO peer (router_id, peer_type, distinguisher, address) "
                + "VALUES (?, ?, ?, ?::inet) ON CONFLICT (router_id, peer_type, distinguisher, address) "
                + "DO UPDATE SET last_seen = now() RETURNING id")) {
            s.setInt(1, routerId);
            s.setShort(2, (short) peer.type().code());
            s.setLong(3, peer.distinguisher());
            s.setString(4, peer.address().getHostAddress());
            id = single(s);
        }
        peers.put(ref, id);
        return id;
    }

    private static int single(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
