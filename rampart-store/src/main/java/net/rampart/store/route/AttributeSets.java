package net.rampart.store.route;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.collector.history.RouteEventCodec;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RouteEvent;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Ids of path attribute sets in {@code path_attributes}, where each distinct set is stored once,
 * keyed by the SHA-256 of its full encoding ({@link RouteEventCodec#encodeAttributes}). Ids are
 * cached once the transaction that wrote them has committed, so a cached id never names a
 * rolled-back row. Not thread-safe: one writer thread uses one instance.
 */
final class AttributeSets {
    /** Sets whose ids are remembered; past this the cache starts over (a RIB holds far fewer). */
    static final int CACHE_LIMIT = 1 << 20;
    private static final String STAGE = """
            CREATE TEMP TABLE IF NOT EXISTS attrs_stage (
                digest bytea, encoded bytea, first_seen timestamptz, next_hop inet, as_path bigint[], origin_asn bigint,
                origin smallint, med bigint, local_pref bigint, communities text[], extended_communities bigint[],
                large_communities text[]
            ) ON COMMIT DELETE ROWS""";
    private static final String COPY = "COPY attrs_stage FROM STDIN (FORMAT binary)";
    private static final String COLUMNS = "digest, encoded, first_seen, next_hop, as_path, origin_asn, origin, med, "
            + "local_pref, communities, extended_communities, large_communities";
    /** In digest order, so that writers adding the same new sets lock them in the same order. */
    private static final String INSERT = "INSERT INTO path_attributes (" + COLUMNS + ") SELECT " + COLUMNS
            + " FROM attrs_stage ORDER BY digest ON CONFLICT (digest) DO NOTHING RETURNING digest, id";
    /**
     * The ids of sets that were stored already (the insert returns only those it added): one
     * index probe per staged set, since the staging table has no statistics, and as a join the
     * planner chose to scan all of path_attributes, which grew each batch's lookup with the table
     * (12 ms at 5 000 sets, 120 ms at 300 000).
     */
    private static final String IDS = "SELECT s.digest, (SELECT p.id FROM path_attributes p WHERE p.digest = s.digest)"
            + " FROM attrs_stage s";

    private record NewSet(PathAttributes attributes, byte[] encoded, byte[] digest, long firstSeenMillis) {
    }

    private final Map<PathAttributes, Long> cache = new HashMap<>();
    private final Map<PathAttributes, Long> uncommitted = new HashMap<>();
    private final BinaryCopyRows row = new BinaryCopyRows();
    private final MessageDigest sha256;
    /**
     * Phases of the {@link #ids} calls since {@link #resetPhases}, for the writer's debug log:
     * nanoseconds and sets added.
     */
    private long stageNanos;
    private long insertNanos;
    private long selectNanos;
    private int newSets;

    AttributeSets() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The id of each event's attribute set (0 for a withdrawal), adding the sets not stored yet
     * inside the caller's transaction. Call {@link #committed} once it has committed.
     */
    long[] ids(Connection c, List<RouteEvent> events) throws SQLException {
        uncommitted.clear();
        long[] ids = new long[events.size()];
        Map<PathAttributes, NewSet> missing = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            RouteEvent e = events.get(i);
            PathAttributes a = e.attributes();
            if (a == null) {
                continue;
            }
            Long id = cache.get(a);
            if (id != null) {
                ids[i] = id;
            } else if (!missing.containsKey(a)) {
                byte[] encoded = RouteEventCodec.encodeAttributes(a);
                missing.put(a, new NewSet(a, encoded, sha256.digest(encoded), e.timeMillis()));
            }
        }
        if (missing.isEmpty()) {
            return ids;
        }
        newSets += missing.size();
        Map<ByteBuffer, Long> stored = store(c, new ArrayList<>(missing.values()));
        for (NewSet set : missing.values()) {
            Long id = stored.get(ByteBuffer.wrap(set.digest()));
            if (id == null) {
                throw new IllegalStateException("path_attributes has no row for a set just added");
            }
            uncommitted.put(set.attributes(), id);
        }
        for (int i = 0; i < ids.length; i++) {
            PathAttributes a = events.get(i).attributes();
            if (a != null && ids[i] == 0) {
                ids[i] = uncommitted.get(a);
            }
        }
        return ids;
    }

    /** The transaction of the last {@link #ids} committed: its new sets' ids may be cached. */
    void committed() {
        if (cache.size() + uncommitted.size() > CACHE_LIMIT) {
            cache.clear();
        }
        cache.putAll(uncommitted);
        uncommitted.clear();
    }

    void resetPhases() {
        stageNanos = 0;
        insertNanos = 0;
        selectNanos = 0;
        newSets = 0;
    }

    long stageNanos() {
        return stageNanos;
    }

    long insertNanos() {
        return insertNanos;
    }

    long selectNanos() {
        return selectNanos;
    }

    /** Sets the {@link #ids} calls since {@link #resetPhases} did not find cached. */
    int newSets() {
        return newSets;
    }

    private Map<ByteBuffer, Long> store(Connection c, List<NewSet> sets) throws SQLException {
        sets.sort((x, y) -> Arrays.compareUnsigned(x.digest(), y.digest()));
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute(STAGE);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
            try {
                row.begin(copy);
                for (NewSet set : sets) {
                    encode(set);
                }
                row.finish();
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            long t1 = System.nanoTime();
            Map<ByteBuffer, Long> ids = new HashMap<>(sets.size() * 2);
            readIds(s, INSERT, ids);
            long t2 = System.nanoTime();
            if (ids.size() < sets.size()) {
                readIds(s, IDS, ids);
            }
            stageNanos += t1 - t0;
            insertNanos += t2 - t1;
            selectNanos += System.nanoTime() - t2;
            return ids;
        }
    }

    /** Adds the (digest, id) rows {@code query} returns to {@code ids}; a null id is a set not stored. */
    private static void readIds(Statement s, String query, Map<ByteBuffer, Long> ids) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                long id = rs.getLong(2);
                if (!rs.wasNull()) {
                    ids.put(ByteBuffer.wrap(rs.getBytes(1)), id);
                }
            }
        }
    }

    private void encode(NewSet set) throws SQLException {
        PathAttributes a = set.attributes();
        row.row(12);
        row.bytea(set.digest());
        row.bytea(set.encoded());
        row.timestampMillis(set.firstSeenMillis());
        nextHop(a.nextHop());
        row.int8Array(a.asPath().asns());
        row.int8OrNull(a.asPath().originAsn());
        row.int2OrNull(a.origin());
        row.int8OrNull(a.med());
        row.int8OrNull(a.localPref());
        row.communities(a.communities());
        row.int8Array(a.extendedCommunities());
        row.largeCommunities(a.largeCommunities());
    }

    /**
     * The next hop column: VPN families' next hops carry an 8-byte RD first, and IPv6 may add a
     * link-local address (kept in the encoding only).
     */
    private void nextHop(byte[] nh) throws SQLException {
        if (nh == null) {
            row.nullValue();
            return;
        }
        int offset = nh.length == 12 || nh.length == 24 || nh.length == 48 ? 8 : 0;
        int length = nh.length - offset;
        if (length == 4) {
            row.ip(nh, offset, 4, 32, false);
        } else if (length >= 16) {
            row.ip(nh, offset, 16, 128, false);
        } else {
            row.nullValue();
        }
    }
}
