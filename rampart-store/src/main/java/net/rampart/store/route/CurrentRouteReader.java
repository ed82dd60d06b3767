package net.rampart.store.route;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import net.rampart.collector.history.RouteEventCodec;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.PeerType;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;

/**
 * Reads back what route history holds of some routers: their {@code router} and {@code peer}
 * rows and their routes that {@code current_route} says are announced now, so that a source
 * nothing resends after a restart (an MRT import) can be put back into the RIB.
 *
 * <p>Routes come from {@code current_route} as of the last {@link RouteCheckpoint}: run one
 * first to read what history holds. A route's attribute set is read back whole from its stored
 * encoding. Sets migrated from before that encoding was stored have only the columns the store
 * has (next hop, AS path, origin, MED, LOCAL_PREF, standard, extended and large communities),
 * not the rest (aggregator, atomic aggregate, originator, cluster list, unmodelled attributes,
 * an IPv6 link-local next hop); their AS path is stored as its ASNs only: it is read back as one
 * AS_SEQUENCE, except that a path the store recorded without an origin AS (it ended in an
 * AS_SET) ends in a set of its last ASN, so that it still has none.
 */
public final class CurrentRouteReader {

    /** Rows fetched per round trip while streaming routes. */
    private static final int FETCH_SIZE = 10_000;
    private static final String ROUTES = """
            SELECT c.peer_id, r.name, p.peer_type, p.distinguisher, host(p.address), c.view, c.afi, c.safi,
                   c.route_key, c.path_id, c.prefix IS NOT NULL AND c.evpn_route_type IS NULL, c.last_change,
                   host(a.next_hop), a.as_path, a.origin_asn, a.origin, a.med, a.local_pref, a.communities,
                   a.extended_communities, a.large_communities, a.encoded
            FROM current_route c JOIN router r ON r.id = c.router_id JOIN peer p ON p.id = c.peer_id
            LEFT JOIN path_attributes a ON a.id = c.attrs_id
            WHERE starts_with(r.name, ?) AND NOT c.withdrawn
            ORDER BY c.peer_id, c.view, c.afi, c.safi""";

    /** A router row: its name in the RIB and when it was first and last seen. */
    public record StoredRouter(String name, Instant firstSeen, Instant lastSeen) {
    }

    /** A peer row, with the ASN and state the session events last wrote. */
    public record StoredPeer(String router, PeerKey key, long asn, boolean active, Instant firstSeen,
                             Instant lastSeen) {
    }

    /** Receives the routes, grouped by peer, view and family (each group's routes one after another). */
    @FunctionalInterface
    public interface RouteSink {
        void route(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key, PathAttributes attributes,
                   long lastChangeMillis);
    }

    private record PeerRef(RouterId router, PeerKey key) {
    }

    private final DataSource dataSource;

    public CurrentRouteReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The routers whose name starts with {@code namePrefix}. */
    public List<StoredRouter> routers(String namePrefix) throws SQLException {
        List<StoredRouter> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT name, first_seen, last_seen FROM router WHERE starts_with(name, ?) ORDER BY name")) {
            s.setString(1, namePrefix);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredRouter(rs.getString(1), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return out;
    }

    /** The peers of the routers whose name starts with {@code namePrefix}. */
    public List<StoredPeer> peers(String namePrefix) throws SQLException {
        List<StoredPeer> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT r.name, p.peer_type, p.distinguisher, host(p.address), coalesce(p.asn, 0), p.active,
                       p.first_seen, p.last_seen
                FROM peer p JOIN router r ON r.id = p.router_id
                WHERE starts_with(r.name, ?) ORDER BY r.name, p.address""")) {
            s.setString(1, namePrefix);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredPeer(rs.getString(1), new PeerKey(PeerType.ofCode(rs.getShort(2)),
                            rs.getLong(3), address(rs.getString(4))), rs.getLong(5), rs.getBoolean(6),
                            rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * Streams the announced routes of the routers whose name starts with {@code namePrefix} to
     * {@code sink}, without holding them all in memory. Only IP prefix routes can be read back
     * (the store keeps other NLRI as text it cannot rebuild a key from); returns how many others
     * there were (and prefixes whose key text does not parse back), which the sink did not get.
     */
    public long routes(String namePrefix, RouteSink sink) throws SQLException {
        Map<Integer, PeerRef> peers = new HashMap<>();
        long skipped = 0;
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL streams a result in fetch-size steps only inside a transaction.
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(ROUTES)) {
                s.setFetchSize(FETCH_SIZE);
                s.setString(1, namePrefix);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (!rs.getBoolean(11)) {
                            skipped++;
                            continue;
                        }
                        int peerId = rs.getInt(1);
                        PeerRef peer = peers.get(peerId);
                        if (peer == null) {
                            peer = new PeerRef(new RouterId(rs.getString(2)), new PeerKey(
                                    PeerType.ofCode(rs.getShort(3)), rs.getLong(4), address(rs.getString(5))));
                            peers.put(peerId, peer);
                        }
                        int afi = rs.getShort(7);
                        RouteKey key = prefix(afi, rs.getString(9), (int) rs.getLong(10));
                        if (key == null) {
                            skipped++;
                            continue;
                        }
                        sink.route(peer.router(), peer.key(), RibView.values()[rs.getShort(6)],
                                new Family(afi, rs.getShort(8)), key, attributes(rs),
                                rs.getTimestamp(12).getTime());
                    }
                }
            }
            c.commit(); // read only; on failure the pool rolls the transaction back
        }
        return skipped;
    }

    /**
     * The prefix a route key text names, or null when it does not parse back (an IPv4-mapped
     * IPv6 prefix, which the one prefix parser refuses because so many tools read it as IPv4).
     */
    private static RouteKey prefix(int afi, String text, int pathId) {
        try {
            return afi == Family.AFI_IPV6 ? Ipv6RouteKey.parse(text, pathId) : Ipv4RouteKey.parse(text, pathId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The attributes: decoded from their encoding (column 22 of {@link #ROUTES}) when stored,
     * else from columns 13 to 21.
     */
    private static PathAttributes attributes(ResultSet rs) throws SQLException {
        byte[] encoded = rs.getBytes(22);
        if (encoded != null) {
            try {
                return RouteEventCodec.decodeAttributes(encoded);
            } catch (IOException e) {
                throw new SQLException("path_attributes holds an encoding this service cannot read", e);
            }
        }
        String nextHop = rs.getString(13);
        return PathAttributes.builder()
                .nextHop(nextHop == null ? null : nextHop(nextHop))
                .asPath(asPath(longs(rs.getArray(14)), rs.getObject(15) != null))
                .origin(intOrAbsent(rs, 16))
                .med(longOrAbsent(rs, 17))
                .localPref(longOrAbsent(rs, 18))
                .communities(communities(rs.getArray(19)))
                .extendedCommunities(longs(rs.getArray(20)))
                .largeCommunities(largeCommunities(rs.getArray(21)))
                .build();
    }

    /**
     * The AS path from its stored ASNs. Without an origin AS the path ended in a set; its last
     * ASN is made a set of one, so that the route still has no origin AS for RPKI validation.
     */
    static AsPath asPath(long[] asns, boolean hasOriginAsn) {
        if (asns.length == 0 || hasOriginAsn) {
            return AsPath.sequence(asns);
        }
        int leading = asns.length - 1;
        int[] encoded = new int[leading == 0 ? 3 : leading + 5];
        int i = 0;
        if (leading > 0) {
            encoded[i++] = AsPath.AS_SEQUENCE;
            encoded[i++] = leading;
            for (int k = 0; k < leading; k++) {
                encoded[i++] = (int) asns[k];
            }
        }
        encoded[i++] = AsPath.AS_SET;
        encoded[i++] = 1;
        encoded[i] = (int) asns[leading];
        return AsPath.ofEncoded(encoded);
    }

    private static int intOrAbsent(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? -1 : value;
    }

    private static long longOrAbsent(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? -1 : value;
    }

    private static long[] longs(Array array) throws SQLException {
        if (array == null) {
            return new long[0];
        }
        Long[] values = (Long[]) array.getArray();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** {@code asn:value} texts as {@code asn << 16 | value}. */
    private static int[] communities(Array array) throws SQLException {
        if (array == null) {
            return new int[0];
        }
        String[] values = (String[]) array.getArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int colon = values[i].indexOf(':');
            out[i] = Integer.parseInt(values[i].substring(0, colon)) << 16
                    | Integer.parseInt(values[i].substring(colon + 1));
        }
        return out;
    }

    /** {@code global:data1:data2} texts as consecutive triples of unsigned 32-bit values. */
    private static int[] largeCommunities(Array array) throws SQLException {
        if (array == null) {
            return new int[0];
        }
        String[] values = (String[]) array.getArray();
        int[] out = new int[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            String[] parts = values[i].split(":");
            for (int k = 0; k < 3; k++) {
                out[i * 3 + k] = (int) Long.parseLong(parts[k]);
            }
        }
        return out;
    }

    /**
     * A next hop's bytes: 16 for an IPv6 literal, also an IPv4-mapped one, which Java would
     * otherwise turn into 4.
     */
    private static byte[] nextHop(String literal) {
        byte[] bytes = address(literal).getAddress();
        if (bytes.length == 4 && literal.indexOf(':') >= 0) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    /** An address the database wrote as text ({@code host()}): parsed as a literal, never looked up. */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address literal from the database: " + literal, e);
        }
    }
}
