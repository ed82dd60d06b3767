package net.rampart.bench.bmp;

import java.util.ArrayList;
import java.util.List;
import net.rampart.bench.rib.FullTableGenerator;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;

/**
 * What one router sends a BMP collector for one eBGP peer with a full table (RFC 7854):
 * Initiation, Peer Up with both OPENs, a Route Monitoring message per UPDATE of the table
 * ({@link FullTableGenerator}: packed or one prefix per UPDATE), and End-of-RIB for IPv4 and
 * IPv6. The bytes do not name the router, so one feed serves every simulated router.
 */
public final class BmpFeed {

    private static final int PEER_ADDRESS = 0xC0000202; // 192.0.2.2
    /** The feed's one peer, the first AS of every path. */
    static final long PEER_AS = 64_500;
    private static final long LOCAL_AS = 65_000;
    private static final byte[] IPV6_NEXT_HOP = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    private static final OpenMessage LOCAL_OPEN = open(LOCAL_AS, 0xC0000201);
    private static final OpenMessage PEER_OPEN = open(PEER_AS, PEER_ADDRESS);
    private static final PeerCapabilities CAPABILITIES = PeerCapabilities.forMessagesFrom(PEER_OPEN, LOCAL_OPEN);
    private static final BmpMessages.Peer PEER = new BmpMessages.Peer(PEER_ADDRESS, PEER_AS, PEER_ADDRESS);

    final byte[] bytes;
    final long routes;
    final int routeMonitoring;

    private BmpFeed(byte[] bytes, long routes, int routeMonitoring) {
        this.bytes = bytes;
        this.routes = routes;
        this.routeMonitoring = routeMonitoring;
    }

    public static BmpFeed fullTable(int ipv4, int ipv6, boolean packed) {
        return of(fullTableUpdates(ipv4, ipv6, packed));
    }

    /**
     * The generated table a {@link #fullTable} feed carries, as the collector models its
     * UPDATEs: for tools that need to know what the feed announces (its prefixes, their origins).
     */
    public static List<RouteUpdate> fullTableUpdates(int ipv4, int ipv6, boolean packed) {
        FullTableGenerator generator = new FullTableGenerator(42, PEER_AS);
        List<RouteKey> v4 = generator.ipv4Prefixes(ipv4);
        List<RouteKey> v6 = generator.ipv6Prefixes(ipv6);
        List<RouteUpdate> updates = new ArrayList<>(generator.updates(Family.IPV4_UNICAST, v4, packed,
                new byte[] {(byte) 192, 0, 2, 2}, 0));
        updates.addAll(generator.updates(Family.IPV6_UNICAST, v6, packed, IPV6_NEXT_HOP.clone(), 0));
        return updates;
    }

    /** A session that sends {@code updates}, then End-of-RIB for IPv4 and IPv6. */
    public static BmpFeed of(List<RouteUpdate> updates) {
        long routes = 0;
        for (RouteUpdate u : updates) {
            routes += u.announced().size();
        }
        // About 100 bytes of headers and attributes per message and a few per prefix: one copy at most.
        ByteSink out = new ByteSink((int) Math.min(Integer.MAX_VALUE - 16, updates.size() * 100L + routes * 6 + 4096));
        out.bytes(sessionStart());
        for (RouteUpdate u : updates) {
            routeMonitoring(out, BgpMessageEncoder.encode(update(u), CAPABILITIES));
        }
        for (UpdateMessage endOfRib : List.of(new UpdateMessage(List.of(), List.of(), List.of()),
                new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, List.of())),
                        List.of()))) {
            routeMonitoring(out, BgpMessageEncoder.encode(endOfRib, CAPABILITIES));
        }
        return new BmpFeed(out.toByteArray(), routes, updates.size());
    }

    /** What a router sends before its first route: Initiation, and Peer Up of the feed's one peer. */
    public static byte[] sessionStart() {
        ByteSink out = new ByteSink(512);
        initiation(out);
        peerUp(out, LOCAL_OPEN, PEER_OPEN);
        return out.toByteArray();
    }

    /**
     * One Route Monitoring message from the peer of {@link #sessionStart()} carrying {@code update}
     * (IPv4 or IPv6 unicast, its AS path one AS_SEQUENCE, as the generator makes them).
     */
    public static byte[] routeMonitoring(RouteUpdate update) {
        byte[] encoded = BgpMessageEncoder.encode(update(update), CAPABILITIES);
        ByteSink out = new ByteSink(encoded.length + 64);
        routeMonitoring(out, encoded);
        return out.toByteArray();
    }

    private static OpenMessage open(long asn, int bgpId) {
        return BmpMessages.open(asn, bgpId);
    }

    /** The collector's model of an UPDATE back in wire form: the generator's attributes, prefixes as NLRI. */
    private static UpdateMessage update(RouteUpdate u) {
        PathAttributes a = u.attributes();
        List<PathAttribute> attributes = new ArrayList<>(6);
        attributes.add(new PathAttribute.Origin(a.origin()));
        int[] encoded = a.asPath().encoded(); // one AS_SEQUENCE: [type, count, asn...]
        long[] path = new long[encoded[1]];
        for (int i = 0; i < path.length; i++) {
            path[i] = Integer.toUnsignedLong(encoded[2 + i]);
        }
        attributes.add(PathAttribute.AsPath.sequence(path));
        if (a.med() >= 0) {
            attributes.add(new PathAttribute.MultiExitDisc(a.med()));
        }
        if (a.communities().length > 0) {
            attributes.add(new PathAttribute.Communities(a.communities()));
        }
        int[] large = a.largeCommunities();
        if (large.length > 0) {
            List<LargeCommunity> values = new ArrayList<>();
            for (int i = 0; i < large.length; i += 3) {
                values.add(new LargeCommunity(Integer.toUnsignedLong(large[i]), Integer.toUnsignedLong(large[i + 1]),
                        Integer.toUnsignedLong(large[i + 2])));
            }
            attributes.add(new PathAttribute.LargeCommunities(values));
        }
        if (u.family().equals(Family.IPV4_UNICAST)) {
            byte[] nh = a.nextHop();
            attributes.add(new PathAttribute.NextHop((nh[0] & 0xFF) << 24 | (nh[1] & 0xFF) << 16 | (nh[2] & 0xFF) << 8
                    | nh[3] & 0xFF));
            List<UnicastNlri> nlri = new ArrayList<>(u.announced().size());
            for (RouteKey k : u.announced()) {
                nlri.add(new UnicastNlri(((Ipv4RouteKey) k).prefix()));
            }
            return new UpdateMessage(List.of(), attributes, nlri);
        }
        List<Nlri> nlri = new ArrayList<>(u.announced().size());
        for (RouteKey k : u.announced()) {
            nlri.add(new UnicastNlri(((Ipv6RouteKey) k).prefix()));
        }
        attributes.add(new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, a.nextHop(), nlri));
        return new UpdateMessage(List.of(), attributes, List.of());
    }

    private static void initiation(ByteSink out) {
        BmpMessages.initiation(out, "rampart-bench");
    }

    /** The feed's peer 192.0.2.2, without a timestamp. */
    private static void peerUp(ByteSink out, OpenMessage local, OpenMessage peer) {
        BmpMessages.peerUp(out, PEER, 0, 0xC0000201, local, peer); // local address 192.0.2.1
    }

    private static void routeMonitoring(ByteSink out, byte[] update) {
        BmpMessages.routeMonitoring(out, PEER, 0, update);
    }
}
