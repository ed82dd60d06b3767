package net.rampart.store.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.HistoryRejectedException;
import net.rampart.collector.history.SourcePosition;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.history.HistoryUnavailableException;
import net.rampart.collector.history.RouteEventCodec;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.OpaqueNlri;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RawAttribute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.EmbeddedDatabase;
import net.rampart.store.RefusedRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresRouteHistoryIT {
    @RegisterExtension
    static final EmbeddedDatabase database = new EmbeddedDatabase();

    private static final RouterId ROUTER = new RouterId("192.0.2.1");
    private PostgresRouteHistory history;
    private TimePartitions partitions;
    private RouteCheckpoint checkpoint;

    @BeforeEach
    void clean() throws SQLException {
        execute("TRUNCATE route_history, current_route, path_attributes");
        partitions = new TimePartitions(database.dataSource());
        HistoryBatches batches = new HistoryBatches();
        history = new PostgresRouteHistory(database.dataSource(), partitions, new RefusedRows(database.dataSource()),
                batches);
        checkpoint = new RouteCheckpoint(database.dataSource(), batches);
    }

    static PeerKey peer(String address) {
        try {
            return PeerKey.global(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PathAttributes attrs(long... path) {
        return PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(path))
                .nextHop(new byte[] {10, 0, 0, 1}).med(50).localPref(200)
                .communities(65000 << 16 | 100, 65000 << 16 | 200).extendedCommunities(0x0002FDE800000064L)
                .largeCommunities((int) 4200000000L, 1, 2).build();
    }

    static RouteEvent event(long time, PeerKey peer, Family family, RouteKey key, PathAttributes attrs) {
        return new RouteEvent(time, ROUTER, 0, peer, RibView.ADJ_RIB_IN_PRE, family, key, attrs);
    }

    /** History rows with the columns of their attribute set. */
    private static final String HISTORY = "(SELECT h.*, a.next_hop, a.as_path, a.origin_asn, a.communities, "
            + "a.large_communities, a.med, a.local_pref FROM route_history h "
            + "LEFT JOIN path_attributes a ON a.id = h.attrs_id) rows";

    @Test
    void historyKeepsEveryEventAndCurrentRouteTheLatestWithUpdateCounts() throws Exception {
        PeerKey p = peer("198.51.100.1");
        long t = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        Ipv4RouteKey v4 = Ipv4RouteKey.parse("203.0.113.0/24", 0);
        Ipv6RouteKey v6 = Ipv6RouteKey.parse("2001:db8::/32", 7);
        history.write(List.of(
                event(t, p, Family.IPV4_UNICAST, v4, attrs(65001, 4200000000L)),
                event(t + 1, p, Family.IPV6_UNICAST, v6, attrs(65001, 65002)),
                event(t + 2, p, Family.IPV4_UNICAST, v4, attrs(65001, 65003))));
        history.write(List.of(event(t + 3_000, p, Family.IPV4_UNICAST, v4, null)));

        assertThat(queryLong("SELECT count(*) FROM route_history")).isEqualTo(4);
        assertThat(queryString("SELECT as_path::text || ' ' || origin_asn || ' ' || communities::text || ' '"
                + " || large_communities::text || ' ' || host(next_hop) || ' ' || med || ' ' || local_pref"
                + " FROM " + HISTORY + " WHERE prefix = '203.0.113.0/24' AND NOT is_withdrawn ORDER BY time LIMIT 1"))
                .isEqualTo("{65001,4200000000} 4200000000 {65000:100,65000:200} {4200000000:1:2} 10.0.0.1 50 200");
        assertThat(queryString("SELECT prefix::text || ' ' || path_id FROM route_history WHERE afi = 2"))
                .isEqualTo("2001:db8::/32 7");
        assertThat(queryLong("SELECT count(*) FROM current_route")).as("merged by checkpoints only").isZero();
        checkpoint.run();
        assertThat(queryString("SELECT withdrawn || ' ' || update_count || ' ' || origin_asn || ' ' "
                + "|| (last_change - c.first_seen) FROM current_route c JOIN path_attributes a ON a.id = c.attrs_id "
                + "WHERE route_key = '203.0.113.0/24'"))
                .isEqualTo("true 3 65003 00:00:03");
        assertThat(queryString("SELECT p.address::text || ' ' || r.name FROM current_route c JOIN peer p "
                + "ON p.id = c.peer_id JOIN router r ON r.id = c.router_id WHERE c.afi = 2"))
                .isEqualTo("198.51.100.1/32 192.0.2.1");
    }

    @Test
    void evpnRoutesKeepTheirKeyFields() throws Exception {
        PeerKey p = peer("198.51.100.2");
        long t = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        byte[] mac = HexFormat.of().parseHex("0242ac110002");
        EvpnRouteKey macIp = EvpnRouteKey.macIp(0x0000FDE800000064L, HexFormat.of().parseHex("00112233445566778899"), 10,
                mac, new byte[] {10, 1, 1, 1}, new int[] {10010}, 0);
        EvpnRouteKey prefix = EvpnRouteKey.ipPrefix(0x0000FDE800000064L, null, 0, new byte[] {10, 2, 0, 0}, 16, null,
                new int[] {10020}, 0);
        history.write(List.of(event(t, p, Family.L2VPN_EVPN, macIp, attrs(65001)),
                event(t, p, Family.L2VPN_EVPN, prefix, attrs(65001))));
        assertThat(queryString("SELECT evpn_route_type || ' ' || rd || ' ' || esi || ' ' || mac || ' ' || host(ip) "
                + "|| ' ' || labels::text FROM route_history WHERE mac = '02:42:ac:11:00:02'"))
                .isEqualTo("2 65000:100 00:11:22:33:44:55:66:77:88:99 02:42:ac:11:00:02 10.1.1.1 {10010}");
        checkpoint.run();
        assertThat(queryString("SELECT prefix::text || ' ' || route_key FROM current_route WHERE evpn_route_type = 5"))
                .isEqualTo("10.2.0.0/16 5:65000:100:0:10.2.0.0/16");
    }

    @Test
    void vpnRoutesKeepTheirPrefixRdAndAnnouncedLabels() throws Exception {
        PeerKey p = peer("198.51.100.4");
        long t = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        Family vpn = new Family(1, 128);
        Ipv4RouteKey prefix = Ipv4RouteKey.parse("10.0.0.0/24", 0);
        history.write(List.of(event(t, p, vpn, new LabeledPrefix(0x0000FDE800000001L, prefix, new int[] {100}, 0),
                attrs(65001))));
        // The withdrawal carries the RFC 8277 compatibility value where the route had its label.
        history.write(List.of(event(t + 1, p, vpn,
                new LabeledPrefix(0x0000FDE800000001L, prefix, new int[] {0x80000}, 0), null)));
        assertThat(queryString("SELECT prefix::text || ' ' || rd || ' ' || labels::text || ' ' || route_key "
                + "FROM route_history WHERE safi = 128 AND NOT is_withdrawn"))
                .isEqualTo("10.0.0.0/24 65000:1 {100} 65000:1:10.0.0.0/24");
        assertThat(queryLong("SELECT count(*) FROM route_history WHERE safi = 128 AND is_withdrawn AND labels IS NULL"))
                .isEqualTo(1);
        checkpoint.run();
        assertThat(queryString("SELECT withdrawn || ' ' || prefix::text || ' ' || rd || ' ' || labels::text "
                + "FROM current_route WHERE safi = 128"))
                .isEqualTo("true 10.0.0.0/24 65000:1 {100}");
    }

    @Test
    void aBatchLargerThanOneBatchNumberCoversGoesThroughWhole() throws Exception {
        PeerKey p = peer("198.51.100.3");
        long t = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
        List<RouteEvent> batch = new ArrayList<>();
        PathAttributes a = attrs(65001, 65002, 65003);
        int n = HistoryBatches.MAX_ROWS + 4_000;
        for (int i = 0; i < n; i++) {
            batch.add(event(t + i, p, Family.IPV4_UNICAST, new Ipv4RouteKey(0x0A000000 + (i << 8), 24, 0), a));
        }
        history.write(batch);
        assertThat(queryLong("SELECT count(DISTINCT prefix) FROM route_history")).isEqualTo(n);
        assertThat(queryLong("SELECT count(DISTINCT seq) FROM route_history")).isEqualTo(n);
        assertThat(queryLong("SELECT count(DISTINCT seq >> 16) FROM route_history")).isEqualTo(2);
        assertThat(checkpoint.run()).hasValueSatisfying(m -> assertThat(m.routes()).isEqualTo(n));
        assertThat(queryLong("SELECT count(*) FROM current_route WHERE peer_id = "
                + "(SELECT id FROM peer WHERE address = '198.51.100.3')")).isEqualTo(n);
    }

    @Test
    void anAttributeSetIsStoredOnceForEveryRouteThatHasIt() throws Exception {
        PeerKey p = peer("198.51.100.9");
        long t = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
        List<RouteEvent> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            batch.add(event(t, p, Family.IPV4_UNICAST, new Ipv4RouteKey(0x0B000000 + (i << 8), 24, 0), fullSet()));
        }
        history.write(batch.subList(0, 500));
        // Equal sets that are other instances, written by another writer (another lane, or after a restart).
        PostgresRouteHistory other = new PostgresRouteHistory(database.dataSource(), partitions,
                new RefusedRows(database.dataSource()), new HistoryBatches());
        other.write(batch.subList(500, 1_000));
        history.write(List.of(event(t + 1, p, Family.IPV4_UNICAST, batch.get(0).key(), attrs(65002))));
        assertThat(queryLong("SELECT count(*) FROM path_attributes")).isEqualTo(2);
        assertThat(queryLong("SELECT count(DISTINCT attrs_id) FROM route_history")).isEqualTo(2);
        assertThat(queryString("SELECT as_path::text || ' ' || coalesce(origin_asn::text, 'none') || ' ' || origin "
                + "FROM path_attributes WHERE host(next_hop) = '10.0.0.9'")).isEqualTo("{65001,7,8} none 1");
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT encoded FROM path_attributes WHERE host(next_hop) = '10.0.0.9'")) {
            assertThat(rs.next()).isTrue();
            assertThat(RouteEventCodec.decodeAttributes(rs.getBytes(1))).as("every attribute, read back")
                    .isEqualTo(fullSet());
        }
    }

    @Test
    void aSetIsRememberedOnlyOnceCommittedAndOneStoredForRowsThatFailedServesTheRetry() throws Exception {
        PeerKey p = peer("198.51.100.11");
        long t = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        Family flowspec = new Family(1, 133);
        // The database refuses the set itself (a trigger standing in for any refusal): its transaction
        // rolls back, and the writer must not keep an id for the row that is gone.
        execute("CREATE FUNCTION refuse_65010() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.as_path = '{65010}' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END IF; "
                + "RETURN NEW; END $$");
        execute("CREATE TRIGGER refuse_65010 BEFORE INSERT ON path_attributes FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_65010()");
        try {
            assertThatThrownBy(() -> history.write(List.of(event(t, p, flowspec,
                    new OpaqueNlri(new byte[] {1}, 0, "first-rule"), attrs(65010)))))
                    .isInstanceOf(HistoryRejectedException.class);
        } finally {
            execute("DROP TRIGGER refuse_65010 ON path_attributes");
            execute("DROP FUNCTION refuse_65010()");
        }
        assertThat(queryLong("SELECT count(*) FROM path_attributes WHERE as_path = '{65010}'")).isZero();
        assertThat(queryLong("SELECT count(*) FROM route_history")).isZero();

        // The rows are refused (a NUL in the text column) after their set was committed ahead of them:
        // no row is written, and the set stays, as good as any other.
        assertThatThrownBy(() -> history.write(List.of(event(t, p, flowspec,
                new OpaqueNlri(new byte[] {1}, 0, "bad\u0000rule"), attrs(65010)))))
                .isInstanceOf(HistoryRejectedException.class);
        assertThat(queryLong("SELECT count(*) FROM route_history")).isZero();
        assertThat(queryLong("SELECT count(*) FROM path_attributes WHERE as_path = '{65010}'")).isEqualTo(1);

        history.write(List.of(event(t, p, flowspec, new OpaqueNlri(new byte[] {1}, 0, "good-rule"), attrs(65010))));
        assertThat(queryLong("SELECT count(*) FROM route_history h JOIN path_attributes a ON a.id = h.attrs_id "
                + "WHERE a.as_path = '{65010}'")).as("a row with the set, stored once").isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM path_attributes WHERE as_path = '{65010}'")).isEqualTo(1);
    }

    @Test
    void aBatchOfSeveralChunksKeepsEachRowsSetAndTheEventsOrder() throws Exception {
        PeerKey p = peer("198.51.100.12");
        long t = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
        // Three routes per set, the prefixes in the opposite order to the events: rows are copied by
        // prefix, their sets stored chunk by chunk ahead of them, and neither may mix them up.
        int n = 3 * PostgresRouteHistory.CHUNK_EVENTS + 123;
        List<RouteEvent> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(event(t + i, p, Family.IPV4_UNICAST, new Ipv4RouteKey(0x0C000000 + ((n - 1 - i) << 8), 24, 0),
                    attrs(65001, 100_000 + i / 3)));
        }
        history.write(batch);
        assertThat(queryLong("SELECT count(*) FROM route_history")).isEqualTo(n);
        assertThat(queryLong("SELECT count(*) FROM path_attributes")).isEqualTo((n + 2) / 3);
        assertThat(queryLong("SELECT count(*) FROM " + HISTORY + " WHERE as_path[2] <> 100000 + ("
                + n + " - 1 - (prefix - '12.0.0.0'::inet) / 256) / 3")).as("rows whose set is another route's")
                .isZero();
        assertThat(queryLong("SELECT count(*) FROM (SELECT time, lag(time) OVER (ORDER BY seq) AS before "
                + "FROM route_history) r WHERE before >= time")).as("rows whose seq is out of the events' order")
                .isZero();
    }

    /** A set with attributes the store has no columns for; a new instance each time. */
    static PathAttributes fullSet() {
        return PathAttributes.builder().origin(PathAttributes.ORIGIN_EGP)
                .asPath(AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 1, 65001, AsPath.AS_SET, 2, 7, 8}))
                .nextHop(new byte[] {10, 0, 0, 9}).aggregator(65001, new byte[] {1, 2, 3, 4}).atomicAggregate(true)
                .originatorId(new byte[] {9, 9, 9, 9}).clusterList(4, 5)
                .otherAttributes(new RawAttribute(35, 0xC0, new byte[] {0, 0, 0, 1})).build();
    }

    @Test
    void partitionsFollowTheDataAndRetentionDropsOldOnes() throws Exception {
        PeerKey p = peer("198.51.100.4");
        Instant now = Instant.parse("2026-11-22T00:00:00Z");
        Instant old = now.minus(Duration.ofDays(6 * 366));
        history.write(List.of(event(old.toEpochMilli(), p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.9.0.0/16", 0),
                attrs(1)), event(now.toEpochMilli(), p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.9.0.0/16", 0),
                attrs(2))));
        assertThat(queryLong("SELECT count(*) FROM route_history")).isEqualTo(2);
        partitions.setRetention("route_history", Duration.ofDays(5 * 366));
        List<String> dropped = partitions.applyRetention(now);
        assertThat(dropped).hasSize(1).allMatch(name -> name.startsWith("route_history_p20"));
        assertThat(queryLong("SELECT count(*) FROM route_history")).isEqualTo(1);
        // A dropped partition is created again when old data arrives later.
        history.write(List.of(event(old.toEpochMilli(), p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.8.0.0/16", 0),
                attrs(1))));
        assertThat(queryLong("SELECT count(*) FROM route_history")).isEqualTo(2);
    }

    @Test
    void aPartitionDroppedBehindTheWritersBackIsRecreatedOnRetry() throws Exception {
        PeerKey p = peer("198.51.100.6");
        Instant now = Instant.parse("2026-11-22T00:00:00Z");
        long old = now.minus(Duration.ofDays(6 * 366)).toEpochMilli();
        List<RouteEvent> batch = List.of(event(old, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("10.7.0.0/16", 0),
                attrs(1)));
        history.write(batch);
        TimePartitions elsewhere = new TimePartitions(database.dataSource());
        elsewhere.setRetention("route_history", Duration.ofDays(5 * 366));
        assertThat(elsewhere.applyRetention(now)).isNotEmpty();
        // This writer still believes the partition exists: the first try fails as retryable...
        assertThatThrownBy(() -> history.write(batch)).isInstanceOf(HistoryUnavailableException.class);
        // ...and the retry recreates it.
        history.write(batch);
        assertThat(queryLong("SELECT count(*) FROM route_history WHERE prefix = '10.7.0.0/16'")).isEqualTo(1);
    }

    @Test
    void churnRanksTheRoutesOfTheWindowByUpdatesWithTheirPeersAndWithdrawals() throws Exception {
        PeerKey a = peer("198.51.100.11");
        PeerKey b = peer("198.51.100.12");
        // The window ends now, on the wall clock: rows a few minutes to an hour and more ago.
        long now = System.currentTimeMillis();
        long minute = Duration.ofMinutes(1).toMillis();
        Ipv4RouteKey flapping = Ipv4RouteKey.parse("10.1.0.0/24", 0);
        Ipv6RouteKey twice = Ipv6RouteKey.parse("2001:db8::/32", 0);
        Ipv4RouteKey onceNow = Ipv4RouteKey.parse("10.9.0.0/24", 0);
        Family multicast = new Family(1, 2);
        List<RouteEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Before the window: the route that changed most in all is among the least in the last hour.
            events.add(event(now - 120 * minute + i, a, Family.IPV4_UNICAST, onceNow, attrs(65001 + i)));
        }
        events.add(event(now - 50 * minute, a, Family.IPV4_UNICAST, flapping, attrs(65001)));
        events.add(event(now - 40 * minute, a, Family.IPV4_UNICAST, flapping, null));
        events.add(event(now - 30 * minute, b, Family.IPV4_UNICAST, flapping, attrs(65002)));
        events.add(event(now - 20 * minute, a, Family.IPV6_UNICAST, twice, attrs(65001)));
        events.add(event(now - 10 * minute, a, Family.IPV6_UNICAST, twice, attrs(65003)));
        // The same key text in another family is another route.
        events.add(event(now - 5 * minute, b, multicast, flapping, attrs(65001)));
        events.add(event(now - 4 * minute, b, Family.IPV4_UNICAST, onceNow, attrs(65009)));
        history.write(events);

        RouteHistoryQueries queries = new RouteHistoryQueries(database.dataSource());
        assertThat(queries.churn(Duration.ofHours(1), 3)).containsExactly(
                new RouteHistoryQueries.Churn("10.1.0.0/24", "10.1.0.0/24", 1, 1, 3, 2, 1, 2,
                        Instant.ofEpochMilli(now - 30 * minute)),
                new RouteHistoryQueries.Churn("2001:db8::/32", "2001:db8::/32", 2, 1, 2, 2, 0, 1,
                        Instant.ofEpochMilli(now - 10 * minute)),
                // One update each: the tie goes by route key.
                new RouteHistoryQueries.Churn("10.1.0.0/24", "10.1.0.0/24", 1, 2, 1, 1, 0, 1,
                        Instant.ofEpochMilli(now - 5 * minute)));
        assertThat(queries.churn(Duration.ofHours(1), 10)).hasSize(4).last()
                .isEqualTo(new RouteHistoryQueries.Churn("10.9.0.0/24", "10.9.0.0/24", 1, 1, 1, 1, 0, 1,
                        Instant.ofEpochMilli(now - 4 * minute)));
        assertThat(queries.churn(Duration.ofHours(3), 1)).singleElement()
                .satisfies(top -> assertThat(top.routeKey() + " " + top.updates()).isEqualTo("10.9.0.0/24 6"));
    }

    @Test
    void theListedQueriesUseTheirIndexes() throws Exception {
        // The churn query asks for the last hour of the wall clock: a partition must cover it, as
        // it does in the service, whose writer creates one before its first row of the hour.
        history.write(List.of(event(System.currentTimeMillis(), peer("198.51.100.7"), Family.IPV4_UNICAST,
                Ipv4RouteKey.parse("10.8.0.0/16", 0), attrs(1))));
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            assertThat(plan(s, "SELECT * FROM path_attributes WHERE as_path @> ARRAY[65001::bigint]"))
                    .contains("path_attributes_as_path");
            assertThat(plan(s, "SELECT * FROM path_attributes WHERE communities @> ARRAY['65000:100']"))
                    .contains("path_attributes_communities");
            assertThat(plan(s, "SELECT * FROM current_route WHERE attrs_id = 1")).contains("current_route_attrs");
            assertThat(plan(s, "SELECT * FROM route_history WHERE seq > 1 AND seq <= 2")).containsPattern("route_history\\w*seq");
            assertThat(plan(s, "SELECT * FROM route_history WHERE mac = '02:42:ac:11:00:02'"))
                    .contains("mac");
            assertThat(plan(s, "SELECT prefix, count(*) FROM route_history WHERE time > now() - interval '1 hour'"
                    + " GROUP BY prefix")).contains("route_history").containsIgnoringCase("index");
            assertThat(plan(s, "SELECT * FROM current_route WHERE peer_id = 1")).contains("current_route_pkey");
        }
    }

    @Test
    void binaryRowsCarryTextBeyondAsciiAndEveryAddressKind() throws Exception {
        PeerKey p = peer("198.51.100.10");
        long t = Instant.parse("2026-11-20T10:00:00.123Z").toEpochMilli();
        String description = "r\u00e8gle \u2192 \ud83d\ude80";
        PathAttributes v6NextHop = PathAttributes.builder().asPath(AsPath.sequence(65001))
                .nextHop(HexFormat.of().parseHex("20010db8000000000000000000000001fe800000000000000000000000000001"))
                .build();
        history.write(List.of(
                event(t, p, new Family(1, 133), new OpaqueNlri(new byte[] {1}, 0, description), attrs(65001)),
                event(t, p, Family.IPV6_UNICAST, Ipv6RouteKey.parse("2001:db8:ffff::/48", -1), v6NextHop),
                event(t, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("0.0.0.0/0", 0), attrs(65001))));
        assertThat(queryString("SELECT route_key FROM route_history WHERE safi = 133")).isEqualTo(description);
        assertThat(queryString("SELECT prefix::text || ' ' || route_key || ' ' || path_id || ' ' || host(next_hop) "
                + "|| ' ' || to_char(time AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') FROM " + HISTORY + " WHERE afi = 2"))
                .isEqualTo("2001:db8:ffff::/48 2001:db8:ffff::/48 4294967295 2001:db8::1 10:00:00.123");
        assertThat(queryString("SELECT prefix::text || ' ' || route_key FROM route_history WHERE afi = 1 AND safi = 1"))
                .isEqualTo("0.0.0.0/0 0.0.0.0/0");
    }

    @Test
    void anEventTheDatabaseRefusesIsKeptAsideAndTheOthersAreWritten(@TempDir Path spool) throws Exception {
        PeerKey p = peer("198.51.100.8");
        long t = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        Family flowspec = new Family(1, 133);
        List<RouteEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // An opaque route's description is its route_key text; PostgreSQL refuses a NUL in text (22021).
            String description = i == 13 ? "rule\u0000thirteen" : "rule-" + i;
            batch.add(event(t + i, p, flowspec, new OpaqueNlri(new byte[] {(byte) i}, 0, description), attrs(65001)));
        }
        HistorySettings settings = HistorySettings.defaults(spool).withBatch(100, Duration.ofMillis(20));
        try (HistoryRecorder recorder = HistoryRecorder.start(history, settings, reason -> { })) {
            recorder.onRouteEvents(batch);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (recorder.writtenEvents() + recorder.rejectedEvents() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(recorder.rejectedEvents()).isEqualTo(1);
            assertThat(recorder.makingProgress()).as("a refusal is an answer, not an outage").isTrue();
        }
        assertThat(queryLong("SELECT count(*) FROM route_history WHERE safi = 133")).isEqualTo(19);
        checkpoint.run();
        assertThat(queryLong("SELECT count(*) FROM current_route WHERE safi = 133 AND route_key LIKE 'rule-%'"))
                .isEqualTo(19);
        assertThat(queryLong("SELECT count(*) FROM refused_row WHERE writer = 'history' AND sql_state = '22021'"
                + " AND position('route=rule\\u0000thirteen' in row_text) > 0"))
                .as("the refused event, its NUL escaped").isEqualTo(1);
    }

    @Test
    void anUnreachableDatabaseIsReportedAsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/rampart");
        nowhere.setConnectTimeout(2);
        PostgresRouteHistory unreachable = new PostgresRouteHistory(nowhere, new TimePartitions(nowhere),
                new RefusedRows(nowhere), new HistoryBatches());
        assertThatThrownBy(() -> unreachable.write(List.of(event(1, peer("198.51.100.5"), Family.IPV4_UNICAST,
                Ipv4RouteKey.parse("10.0.0.0/8", 0), attrs(1))))).isInstanceOf(HistoryUnavailableException.class);
    }

    @Test
    void theQueriesInTheCollectorDocWork() throws Exception {
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("collector.md");
        List<String> queries = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```sql\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(java.nio.file.Files.readString(doc));
        while (m.find()) {
            for (String statement : m.group(1).split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    queries.add(statement);
                }
            }
        }
        assertThat(queries).hasSize(8);

        long now = System.currentTimeMillis();
        PeerKey p = peer("192.0.2.2");
        EvpnRouteKey macIp = EvpnRouteKey.macIp(0x0000FDE800000064L, new byte[10], 0, HexFormat.of().parseHex("112233445566"),
                new byte[] {10, 1, 1, 1}, new int[] {100}, 0);
        history.write(List.of(event(now - 60_000, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("203.0.113.0/24", 0),
                        attrs(65002, 65003)),
                event(now - 30_000, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("203.0.113.0/24", 0), attrs(65002)),
                event(now, p, Family.L2VPN_EVPN, macIp, attrs(65002))));
        checkpoint.run();
        // One change after the checkpoint, for the query of what changed since.
        history.write(List.of(event(now, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("203.0.113.0/24", 0), null)));
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String sql : queries) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    assertThat(rs.next()).as("a row from\n" + sql).isTrue();
                }
            }
        }
    }

    private static String plan(Statement s, String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryString(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row for " + sql).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void theSourcesPositionsAreStoredWithTheRowsTheyFollowAndNotWithoutThem() throws Exception {
        execute("TRUNCATE source_position");
        PeerKey p = peer("198.51.100.9");
        long t = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        String source = "kafka:stores/openbmp.bmp_raw";
        SourcePositionTable positions = new SourcePositionTable(database.dataSource());

        history.write(List.of(event(t, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("203.0.113.0/24", 0), attrs(65001))),
                List.of(new SourcePosition(source, 0, 17, 0), new SourcePosition(source, 3, 5, 2)));
        history.write(List.of(event(t + 1, p, Family.IPV4_UNICAST, Ipv4RouteKey.parse("203.0.113.0/24", 0), null)),
                List.of(new SourcePosition(source, 0, 18, 1)));
        assertThat(positions.read(source)).isEqualTo(java.util.Map.of(0, new SourcePosition(source, 0, 18, 1),
                3, new SourcePosition(source, 3, 5, 2)));
        assertThat(positions.read("kafka:other/openbmp.bmp_raw")).isEmpty();

        // A batch the database refuses leaves the position where the rows stored last put it.
        assertThatThrownBy(() -> history.write(List.of(event(t + 2, p, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("203.0.113.0/24", 0), attrs(65001)), event(t + 3, p, new Family(1, 133),
                        new OpaqueNlri(new byte[] {1}, 0, "bad\u0000rule"), attrs(65001))),
                List.of(new SourcePosition(source, 0, 20, 0))))
                .isInstanceOf(HistoryRejectedException.class);
        assertThat(positions.read(source)).containsEntry(0, new SourcePosition(source, 0, 18, 1));
        assertThat(queryLong("SELECT count(*) FROM route_history")).isEqualTo(2);
    }
}
