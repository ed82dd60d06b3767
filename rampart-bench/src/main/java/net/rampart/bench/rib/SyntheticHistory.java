package net.rampart.bench.rib;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;

/**
 * A route history of a given number of rows, as route events in time order: every router sends
 * its full table ({@link FullTableGenerator}) and a share of EVPN MAC/IP routes at the start,
 * then churn runs until the end — re-announcements with changed attributes, withdrawals and
 * re-announcements of withdrawn routes, half of them on a small set of unstable prefixes, and
 * MACs moving from one router to another. Deterministic for a given seed, apart from the times
 * the caller chooses.
 */
final class SyntheticHistory {
    /** Prefixes that flap: half of the churn falls on them, so that churn has a clear top. */
    private static final int UNSTABLE_PREFIXES = 1000;
    /** Attribute sets per router that churn re-uses, as routes move between a network's usual paths. */
    private static final int SETS_REUSED = 50_000;

    /** One router: its BMP identity, its one peer and the attribute sets its table used. */
    private record Router(RouterId id, long session, PeerKey peer, byte[] nextHop, List<PathAttributes> sets,
                          BitSet withdrawn, long rd, byte[] esi) {
    }

    /** Where the events go, a batch at a time. */
    interface Sink {
        void accept(List<RouteEvent> batch) throws Exception;
    }

    private final FullTableGenerator generator = new FullTableGenerator(42, 64_500);
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<RouteKey> table;
    private final List<Router> routers = new ArrayList<>();
    private final int[] macHome;
    private final long rows;
    private int lastMovedMac = -1;

    /**
     * @param routers routers, each with one peer sending the full table
     * @param ipv4    IPv4 prefixes of the full table
     * @param ipv6    IPv6 prefixes of the full table
     * @param macs    EVPN MAC/IP routes, spread over the routers
     * @param rows    history rows in all; churn makes up what the tables and MACs leave
     */
    SyntheticHistory(int routers, int ipv4, int ipv6, int macs, long rows) throws UnknownHostException {
        if (routers < 2 && macs > 0) {
            throw new IllegalArgumentException("MACs move between routers: need at least 2 routers");
        }
        this.table = new ArrayList<>(generator.ipv4Prefixes(ipv4));
        table.addAll(generator.ipv6Prefixes(ipv6));
        for (int r = 0; r < routers; r++) {
            byte[] esi = new byte[10];
            esi[9] = (byte) (r + 1);
            this.routers.add(new Router(new RouterId("192.0.2." + (r + 1)), r + 1,
                    PeerKey.global(InetAddress.getByName("198.51.100." + (r + 1))), new byte[] {10, 0, 0, (byte) (r + 1)},
                    new ArrayList<>(), new BitSet(table.size()), 65_000L << 16 | (r + 1), esi));
        }
        this.macHome = new int[macs];
        this.rows = rows;
        if (initialRows() > rows) {
            throw new IllegalArgumentException("the full tables and MACs alone are " + initialRows()
                    + " rows, more than the " + rows + " asked for");
        }
    }

    /** Rows of the full tables and the first MAC announcements, before any churn. */
    long initialRows() {
        return (long) table.size() * routers.size() + macHome.length;
    }

    /**
     * Emits every event in time order: the tables between {@code startMillis} and a minute
     * later, churn spread evenly from there to {@code endMillis}.
     */
    void emit(long startMillis, long endMillis, int batchSize, Sink sink) throws Exception {
        Batcher out = new Batcher(batchSize, sink);
        long tableSpan = Math.min(60_000, Math.max(1, (endMillis - startMillis) / 10));
        List<RouteKey> v4 = table.stream().filter(k -> k instanceof Ipv4RouteKey).toList();
        List<RouteKey> v6 = table.stream().filter(k -> !(k instanceof Ipv4RouteKey)).toList();
        for (Router r : routers) {
            List<RouteUpdate> updates = new ArrayList<>();
            updates.addAll(generator.updates(Family.IPV4_UNICAST, v4, true, r.nextHop(), startMillis));
            updates.addAll(generator.updates(Family.IPV6_UNICAST, v6, true, new byte[16], startMillis));
            long sent = 0;
            for (RouteUpdate u : updates) {
                if (r.sets().size() < SETS_REUSED) {
                    r.sets().add(u.attributes());
                }
                for (RouteKey k : u.announced()) {
                    long t = startMillis + tableSpan * sent++ / table.size();
                    out.add(event(t, r, u.family(), k, u.attributes()));
                }
            }
        }
        for (int m = 0; m < macHome.length; m++) {
            macHome[m] = m % routers.size();
            Router r = routers.get(macHome[m]);
            out.add(event(startMillis + tableSpan, r, Family.L2VPN_EVPN, mac(m, r), r.sets().get(m % r.sets().size())));
        }
        long churn = rows - initialRows();
        long churnStart = startMillis + tableSpan;
        long churnEmitted = out.emitted;
        while (out.emitted < rows) {
            // Time by rows emitted, not by steps: a MAC move is two rows, and counting steps ended
            // the churn about half an hour before the end, leaving the last hour half full.
            long t = churnStart + (endMillis - churnStart) * (out.emitted - churnEmitted) / Math.max(1, churn);
            int roll = random.nextInt(100);
            if (roll < 2 && macHome.length > 0 && rows - out.emitted >= 2) {
                moveMac(t, out);
            } else {
                flap(t, out);
            }
        }
        out.flush();
    }

    /** A MAC leaves its router (a withdrawal there) and appears behind the next one. */
    private void moveMac(long t, Batcher out) throws Exception {
        int m = random.nextInt(macHome.length);
        Router from = routers.get(macHome[m]);
        macHome[m] = (macHome[m] + 1) % routers.size();
        Router to = routers.get(macHome[m]);
        out.add(event(t, from, Family.L2VPN_EVPN, mac(m, from), null));
        out.add(event(t, to, Family.L2VPN_EVPN, mac(m, to), to.sets().get(random.nextInt(to.sets().size()))));
        lastMovedMac = m;
    }

    /** One change of a prefix at one router: a new path, a withdrawal, or back after a withdrawal. */
    private void flap(long t, Batcher out) throws Exception {
        Router r = routers.get(random.nextInt(routers.size()));
        int i = random.nextBoolean() ? random.nextInt(Math.min(UNSTABLE_PREFIXES, table.size()))
                : random.nextInt(table.size());
        RouteKey key = table.get(i);
        Family family = key instanceof Ipv4RouteKey ? Family.IPV4_UNICAST : Family.IPV6_UNICAST;
        if (!r.withdrawn().get(i) && random.nextInt(100) < 15) {
            r.withdrawn().set(i);
            out.add(event(t, r, family, key, null));
            return;
        }
        r.withdrawn().clear(i);
        PathAttributes a = random.nextInt(10) == 0 ? generator.attributes(family == Family.IPV4_UNICAST
                ? r.nextHop() : new byte[16]) : r.sets().get(random.nextInt(r.sets().size()));
        out.add(event(t, r, family, key, a));
    }

    private static RouteEvent event(long t, Router r, Family family, RouteKey key, PathAttributes attributes) {
        return new RouteEvent(t, r.id(), r.session(), r.peer(), RibView.ADJ_RIB_IN_PRE, family, key, attributes);
    }

    /** MAC m's route as router r advertises it: r's RD and ESI, the MAC's own IP. */
    private static EvpnRouteKey mac(int m, Router r) {
        byte[] ip = {10, (byte) (100 + (m >>> 16 & 0x3F)), (byte) (m >>> 8), (byte) m};
        return EvpnRouteKey.macIp(r.rd(), r.esi(), 0, macAddress(m), ip, new int[] {10_000 + (int) r.session()}, 0);
    }

    private static byte[] macAddress(int m) {
        return new byte[] {0x02, 0x42, (byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m};
    }

    /** The most unstable prefix, in CIDR form: the longest history of any prefix. */
    String unstablePrefix() {
        return table.get(0).text();
    }

    /** An ASN of the first router's paths that is neither the neighbour nor everywhere. */
    long transitAsn() {
        return routers.get(0).sets().get(0).asPath().asns()[1];
    }

    /** The MAC that moved last (or the first MAC if none moved), as PostgreSQL writes a macaddr. */
    String movedMac() {
        return HexFormat.ofDelimiter(":").formatHex(macAddress(Math.max(0, lastMovedMac)));
    }

    /** The name of router r (0-based), as the router table holds it. */
    String routerName(int r) {
        return routers.get(r).id().name();
    }

    /** The peer address of router r (0-based). */
    String peerAddress(int r) {
        return routers.get(r).peer().address().getHostAddress();
    }

    /** Collects events into batches of a fixed size for the sink, counting what it emitted. */
    private static final class Batcher {
        private final int size;
        private final Sink sink;
        private List<RouteEvent> batch;
        long emitted;

        Batcher(int size, Sink sink) {
            this.size = size;
            this.sink = sink;
            this.batch = new ArrayList<>(size);
        }

        void add(RouteEvent e) throws Exception {
            batch.add(e);
            emitted++;
            if (batch.size() == size) {
                flush();
            }
        }

        void flush() throws Exception {
            if (!batch.isEmpty()) {
                sink.accept(batch);
                batch = new ArrayList<>(size);
            }
        }
    }
}
