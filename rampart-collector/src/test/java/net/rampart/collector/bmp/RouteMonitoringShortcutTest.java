package net.rampart.collector.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.rampart.collector.bgp.UpdateRoutes;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpBytes;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.bmp.PerPeerHeader;
import net.rampart.wire.bmp.RouteMonitoringTlv;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import org.junit.jupiter.api.Test;

/**
 * A Route Monitoring read by the shortcut gives the RIB what the full way gives it, and the
 * shortcut takes only the messages it can read exactly so.
 */
class RouteMonitoringShortcutTest {

    private static final String PEER_A = "203.0.113.9";
    private static final String PEER_B = "203.0.113.10";
    private static final int LEGACY_AS_PATH = 0x20;
    private static final Clock ARRIVAL = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);

    private final BmpSession decoder = new BmpSession();
    private final RouteMonitoringShortcut shortcut = new RouteMonitoringShortcut();

    @Test
    void aRepeatedAttributeSetOfTheSamePeerGivesWhatTheFullWayGives() {
        fullWay(peerUp(PEER_A, 0, Set.of()));
        fullWay(ipv4(PEER_A, 0, 1, set(1), "198.51.100.0/24"));

        byte[] next = ipv4(PEER_A, 0, 2, set(1), "198.51.101.0/24");
        RouteUpdate read = read(next);

        assertThat(read).isNotNull().isEqualTo(fullWayUpdate(next));
        assertThat(read.timeMillis()).isEqualTo(1_700_000_002_000L);
        byte[] three = ipv4(PEER_A, 0, 3, set(1), "198.51.102.0/24", "198.51.103.128/25", "0.0.0.0/0");
        assertThat(read(three)).isNotNull().isEqualTo(fullWayUpdate(three));
    }

    @Test
    void ipv6RoutesInMpReachNlriAndAddPathIdsAreReadAsTheFullWayReadsThem() {
        fullWay(peerUp(PEER_A, 0, Set.of(AfiSafi.IPV6_UNICAST)));
        fullWay(ipv6(PEER_A, 1, set(2), 7, "2001:db8::/32"));

        byte[] next = ipv6(PEER_A, 2, set(2), 8, "2001:db8:1::/48", "2001:db8:2:3::/64", "2001:db8:ff::1/128");
        RouteUpdate read = read(next);

        assertThat(read).isNotNull().isEqualTo(fullWayUpdate(next));
        assertThat(read.announced()).hasSize(3);
    }

    @Test
    void withdrawalsAloneAreReadAsTheFullWayReadsThem() {
        fullWay(peerUp(PEER_A, 0, Set.of(AfiSafi.IPV6_UNICAST)));
        fullWay(ipv4(PEER_A, 0, 1, set(1), "198.51.100.0/24"));

        byte[] ipv4 = monitoring(PEER_A, 0, 2, new UpdateMessage(List.of(new UnicastNlri(Ipv4Prefix.parse("198.51.100.0/24")),
                new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/8"))), List.of(), List.of()), PeerCapabilities.FOUR_OCTET_AS);
        byte[] ipv6 = monitoring(PEER_A, 0, 3, new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(
                AfiSafi.IPV6_UNICAST, List.<Nlri>of(new UnicastNlri(5, Ipv6Prefix.parse("2001:db8::/32"))))), List.of()),
                PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV6_UNICAST)));
        assertThat(read(ipv4)).isNotNull().isEqualTo(fullWayUpdate(ipv4));
        assertThat(read(ipv6)).isNotNull().isEqualTo(fullWayUpdate(ipv6));
        assertThat(read(ipv6).withdrawn()).hasSize(1);

        // End-of-RIB, IPv4 and IPv6: the full way's
        assertThat(read(monitoring(PEER_A, 0, 4, UpdateMessage.endOfRib(), PeerCapabilities.FOUR_OCTET_AS))).isNull();
        assertThat(read(monitoring(PEER_A, 0, 4, new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(
                AfiSafi.IPV6_UNICAST, List.of())), List.of()), PeerCapabilities.FOUR_OCTET_AS))).isNull();
        // a withdrawal beside an announcement, and one of another peer
        assertThat(read(withWithdrawal(set(1)))).isNull();
        assertThat(read(monitoring(PEER_B, 0, 2, new UpdateMessage(List.of(new UnicastNlri(
                Ipv4Prefix.parse("10.0.0.0/8"))), List.of(), List.of()), PeerCapabilities.FOUR_OCTET_AS))).isNull();
    }

    @Test
    void aMessageWithoutTimestampTakesTheArrivalTime() {
        fullWay(peerUp(PEER_A, 0, Set.of()));
        fullWay(ipv4(PEER_A, 0, 0, set(1), "198.51.100.0/24"));

        RouteUpdate read = read(ipv4(PEER_A, 0, 0, set(1), "198.51.101.0/24"));

        assertThat(read.timeMillis()).isEqualTo(ARRIVAL.millis());
    }

    @Test
    void messagesTheShortcutCannotReadExactlyGoTheFullWay() {
        fullWay(peerUp(PEER_A, 0, Set.of()));
        fullWay(peerUp(PEER_B, LEGACY_AS_PATH, Set.of()));
        fullWay(ipv4(PEER_A, 0, 1, set(1), "198.51.100.0/24"));

        // another peer than the last Route Monitoring's
        assertThat(read(ipv4(PEER_B, LEGACY_AS_PATH, 1, set(1), "198.51.101.0/24"))).isNull();
        // another attribute set
        assertThat(read(ipv4(PEER_A, 0, 1, set(2), "198.51.101.0/24"))).isNull();
        // withdrawals
        assertThat(read(withWithdrawal(set(1)))).isNull();
        // TLVs after the UPDATE
        byte[] update = BgpMessageEncoder.encode(ipv4Update(set(1), "198.51.101.0/24"), PeerCapabilities.FOUR_OCTET_AS);
        assertThat(read(BmpBytes.body().peer(0, PEER_A, 65001).bytes(update)
                .rmTlv(RouteMonitoringTlv.VRF_TABLE_NAME, 0, new byte[] {'r', 'e', 'd'})
                .message(BmpMessage.ROUTE_MONITORING))).isNull();
        // a prefix longer than 32 bits: the full way reports it
        byte[] malformed = ipv4(PEER_A, 0, 1, set(1), "198.51.101.0/24");
        malformed[malformed.length - 4] = 33;
        assertThat(read(malformed)).isNull();
        // IPv4 NLRI beside MP_REACH_NLRI: two blocks
        assertThat(read(monitoring(PEER_A, 0, 1, new UpdateMessage(List.of(), List.of(
                set(1).get(0), set(1).get(1), set(1).get(2), mpReach("2001:db8::/32", -1)),
                List.of(new UnicastNlri(Ipv4Prefix.parse("198.51.101.0/24")))), PeerCapabilities.FOUR_OCTET_AS)))
                .isNull();

        assertThat(read(ipv4(PEER_A, 0, 1, set(1), "198.51.101.0/24"))).isNotNull();
        shortcut.forgetPeer();
        assertThat(read(ipv4(PEER_A, 0, 1, set(1), "198.51.101.0/24"))).isNull();
    }

    @Test
    void theSameAttributeBytesUnderAnotherAsNumberSizeAreAnotherSet() {
        fullWay(peerUp(PEER_A, 0, Set.of()));
        fullWay(peerUp(PEER_B, LEGACY_AS_PATH, Set.of()));
        byte[] fromA = ipv4(PEER_A, 0, 1, pathOfEitherSize(), "198.51.100.0/24");
        fullWay(fromA);
        fullWay(ipv4(PEER_B, LEGACY_AS_PATH, 1, set(2), "198.51.101.0/24"));

        // The bytes PEER_A sent, from PEER_B, whose A flag says 2-octet AS numbers: another path.
        byte[] fromB = asLegacyPeerB(fromA);
        assertThat(read(fromB)).isNull();
        assertThat(fullWayUpdate(fromB).attributes()).isNotEqualTo(fullWayUpdate(fromA).attributes());
        fullWay(fromB);
        byte[] again = asLegacyPeerB(ipv4(PEER_A, 0, 2, pathOfEitherSize(), "198.51.102.0/24"));
        assertThat(read(again)).isNotNull().isEqualTo(fullWayUpdate(again));
    }

    /** The same message from PEER_B with the A flag set. */
    private static byte[] asLegacyPeerB(byte[] fromA) {
        byte[] m = fromA.clone();
        m[7] = LEGACY_AS_PATH;
        System.arraycopy(BmpBytes.literal(PEER_B), 0, m, 6 + 1 + 1 + 8 + 12, 4);
        return m;
    }

    @Test
    void aPeerWithoutPeerUpGoesTheFullWay() {
        fullWay(ipv4(PEER_A, 0, 1, set(1), "198.51.100.0/24"));

        assertThat(read(ipv4(PEER_A, 0, 1, set(1), "198.51.101.0/24"))).isNull();
    }

    /**
     * The whole collector: a session whose messages may take the shortcut, and one where an
     * Initiation before every message keeps all of them on the full way, give the same route events.
     */
    @Test
    void aRouterSessionRecordsTheSameRouteEventsWithAndWithoutTheShortcut() throws Exception {
        List<byte[]> stream = new ArrayList<>();
        stream.add(peerUp(PEER_A, 0, Set.of(AfiSafi.IPV4_UNICAST)));
        stream.add(peerUp(PEER_B, LEGACY_AS_PATH, Set.of()));
        for (int i = 0; i < 40; i++) {
            List<PathAttribute> set = set(i / 5);
            stream.add(ipv4AddPath(PEER_A, i, set, i % 3, "10." + i + ".0.0/16"));
            if (i % 7 == 3) {
                stream.add(asLegacyPeerB(ipv4(PEER_A, 0, i, pathOfEitherSize(), "10." + i + ".128.0/17", "10." + i + ".64.0/18")));
                stream.add(asLegacyPeerB(ipv4(PEER_A, 0, i, pathOfEitherSize(), "10." + i + ".32.0/19")));
            }
            if (i % 9 == 8) {
                stream.add(monitoring(PEER_A, 0, i, new UpdateMessage(
                        List.of(new UnicastNlri(i % 3, Ipv4Prefix.parse("10." + (i - 2) + ".0.0/16"))), set,
                        List.of(new UnicastNlri(1, Ipv4Prefix.parse("198.51.104.0/24")))),
                        PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV4_UNICAST))));
            }
        }
        stream.add(monitoring(PEER_A, 0, 45, new UpdateMessage(List.of(new UnicastNlri(2, Ipv4Prefix.parse("10.2.0.0/16")),
                new UnicastNlri(0, Ipv4Prefix.parse("10.3.0.0/16"))), List.of(), List.of()),
                PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV4_UNICAST))));
        stream.add(asLegacyPeerB(monitoring(PEER_A, 0, 46, new UpdateMessage(List.of(
                new UnicastNlri(Ipv4Prefix.parse("10.3.32.0/19"))), List.of(), List.of()), PeerCapabilities.FOUR_OCTET_AS)));
        stream.add(peerDown(PEER_A));
        stream.add(ipv4(PEER_A, 0, 50, set(1), "10.50.0.0/16"));
        stream.add(ipv4(PEER_A, 0, 51, set(1), "10.51.0.0/16"));

        List<Event> withShortcut = events(stream, false);
        List<byte[]> fullWayOnly = new ArrayList<>();
        for (byte[] m : stream) {
            fullWayOnly.add(BmpBytes.body().tlv(2, "router").message(BmpMessage.INITIATION));
            fullWayOnly.add(m);
        }

        assertThat(withShortcut).hasSizeGreaterThan(50).isEqualTo(events(fullWayOnly, false));
        // Read where they lie in one receive buffer, overwritten after each: nothing kept points into it.
        assertThat(events(stream, true)).isEqualTo(withShortcut);
        assertThat(events(fullWayOnly, true)).isEqualTo(withShortcut);
    }

    /** A route event but for the session, which differs between the two router sessions. */
    private record Event(long time, PeerKey peer, RibView view, Family family, RouteKey key, PathAttributes attributes) {
    }

    /** @param inBuffer each message given at an offset in one buffer, which is overwritten once it is read */
    private static List<Event> events(List<byte[]> stream, boolean inBuffer) throws Exception {
        List<Event> events = new ArrayList<>();
        Rib rib = new Rib(new RouteEventListener() {
            @Override
            public void onRouteEvents(List<RouteEvent> batch) {
                for (RouteEvent e : batch) {
                    events.add(new Event(e.timeMillis(), e.peer(), e.view(), e.family(), e.key(), e.attributes()));
                }
            }
        });
        MonitoredRouter router = new MonitoredRouter(InetAddress.getByName("192.0.2.60"), rib, new RouterInventory(),
                new CollectorStatistics().register("192.0.2.60"), ARRIVAL);
        byte[] buffer = new byte[4096];
        for (byte[] m : stream) {
            if (!inBuffer) {
                router.onMessage(m);
                continue;
            }
            Arrays.fill(buffer, (byte) 0xFF);
            System.arraycopy(m, 0, buffer, 13, m.length);
            router.onMessage(buffer, 13, m.length);
            Arrays.fill(buffer, (byte) 0);
        }
        return events;
    }

    @Test
    void aMessageIsReadWhereItLiesInTheReceiveBuffer() {
        fullWay(peerUp(PEER_A, 0, Set.of()));
        fullWay(ipv4(PEER_A, 0, 1, set(1), "198.51.100.0/24"));
        byte[] next = ipv4(PEER_A, 0, 2, set(1), "198.51.101.0/24");
        byte[] buffer = new byte[next.length + 40];
        Arrays.fill(buffer, (byte) 0xFF);
        System.arraycopy(next, 0, buffer, 17, next.length);

        assertThat(shortcut.update(buffer, 17, next.length, ARRIVAL)).isNotNull().isEqualTo(fullWayUpdate(next));
        assertThat(shortcut.update(buffer, 17, next.length - 1, ARRIVAL)).isNull();
    }

    private RouteUpdate read(byte[] message) {
        return shortcut.update(message, 0, message.length, ARRIVAL);
    }

    /** Decodes and learns as {@link MonitoredRouter} does on its full way, once the shortcut has not read the message. */
    private void fullWay(byte[] message) {
        assertThat(read(message)).as("a message the shortcut reads takes no full way").isNull();
        BmpMessage decoded = decoder.decode(message);
        if (!(decoded instanceof BmpMessage.RouteMonitoring monitoring)) {
            shortcut.forgetPeer();
            return;
        }
        PerPeerHeader header = monitoring.peer();
        shortcut.follow(message, 0, header, decoder.negotiated(header));
        List<RouteUpdate> blocks = UpdateRoutes.of(monitoring.update(), 0).updates();
        if (blocks.size() == 1 && blocks.getFirst().withdrawn().isEmpty() && monitoring.update().errors().isEmpty()) {
            shortcut.learn(message, 0, message.length, blocks.getFirst().family(), blocks.getFirst().attributes());
        }
    }

    /** What the full way makes of a Route Monitoring (which changes no per-peer state of the session). */
    private RouteUpdate fullWayUpdate(byte[] message) {
        BmpMessage.RouteMonitoring monitoring = (BmpMessage.RouteMonitoring) decoder.decode(message);
        PerPeerHeader header = monitoring.peer();
        long time = MonitoredRouter.stampedMillis(header.timestampSeconds(), header.timestampMicroseconds());
        return UpdateRoutes.of(monitoring.update(), time == 0 ? ARRIVAL.millis() : time).updates().getFirst();
    }

    /** Attribute set number {@code n}: origin, path, next hop, communities and MED that differ with it. */
    private static List<PathAttribute> set(int n) {
        return List.of(new PathAttribute.Origin(n % 3), PathAttribute.AsPath.sequence(65001, 4_200_000_000L + n, 64512),
                new PathAttribute.NextHop(0xcb007101), new PathAttribute.MultiExitDisc(n * 10L),
                new PathAttribute.Communities(new int[] {65001 << 16 | n, 65001 << 16 | 666}));
    }

    /**
     * Attributes whose AS_PATH reads with 4-octet numbers as 4259970048 33684481 and with
     * 2-octet ones as two segments, 65001 64512 and 64513: the same bytes, valid either way.
     */
    private static List<PathAttribute> pathOfEitherSize() {
        return List.of(new PathAttribute.Origin(0), PathAttribute.AsPath.sequence(65001L << 16 | 64512, 0x0201L << 16 | 64513),
                new PathAttribute.NextHop(0xcb007101));
    }

    private static PathAttribute mpReach(String prefix, long pathId) {
        Ipv6Prefix p = Ipv6Prefix.parse(prefix);
        return new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, BmpBytes.literal("2001:db8::1"),
                List.<Nlri>of(pathId < 0 ? new UnicastNlri(p) : new UnicastNlri(pathId, p)));
    }

    private static UpdateMessage ipv4Update(List<PathAttribute> attributes, String... prefixes) {
        List<UnicastNlri> nlri = new ArrayList<>();
        for (String p : prefixes) {
            nlri.add(new UnicastNlri(Ipv4Prefix.parse(p)));
        }
        return new UpdateMessage(List.of(), attributes, nlri);
    }

    private static byte[] ipv4(String peer, int flags, long seconds, List<PathAttribute> attributes, String... prefixes) {
        PeerCapabilities caps = (flags & LEGACY_AS_PATH) != 0 ? PeerCapabilities.LEGACY : PeerCapabilities.FOUR_OCTET_AS;
        return monitoring(peer, flags, seconds, ipv4Update(attributes, prefixes), caps);
    }

    private static byte[] ipv4AddPath(String peer, long seconds, List<PathAttribute> attributes, long pathId, String prefix) {
        UpdateMessage update = new UpdateMessage(List.of(), attributes,
                List.of(new UnicastNlri(pathId, Ipv4Prefix.parse(prefix))));
        return monitoring(peer, 0, seconds, update, PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV4_UNICAST)));
    }

    private static byte[] ipv6(String peer, long seconds, List<PathAttribute> attributes, long pathId, String... prefixes) {
        List<Nlri> nlri = new ArrayList<>();
        for (String p : prefixes) {
            nlri.add(new UnicastNlri(pathId, Ipv6Prefix.parse(p)));
        }
        List<PathAttribute> all = new ArrayList<>(attributes);
        all.remove(2); // NEXT_HOP: the next hop is in MP_REACH_NLRI
        all.add(new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, BmpBytes.literal("2001:db8::1"), nlri));
        return monitoring(peer, 0, seconds, new UpdateMessage(List.of(), all, List.of()),
                PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV6_UNICAST)));
    }

    /** An UPDATE that withdraws one route and announces another with {@code attributes}. */
    private static byte[] withWithdrawal(List<PathAttribute> attributes) {
        UpdateMessage update = new UpdateMessage(List.of(new UnicastNlri(Ipv4Prefix.parse("10.0.0.0/16"))), attributes,
                List.of(new UnicastNlri(Ipv4Prefix.parse("198.51.104.0/24"))));
        return monitoring(PEER_A, 0, 9, update, PeerCapabilities.FOUR_OCTET_AS);
    }

    private static byte[] monitoring(String peer, int flags, long seconds, UpdateMessage update, PeerCapabilities caps) {
        return BmpBytes.body().peer(PerPeerHeader.GLOBAL_INSTANCE, flags, 0, peer, 65001, "192.0.2.1",
                        seconds == 0 ? 0 : 1_700_000_000L + seconds, 0)
                .bytes(BgpMessageEncoder.encode(update, caps)).message(BmpMessage.ROUTE_MONITORING);
    }

    /** A Peer Up whose two OPENs offer 4-octet AS numbers and ADD-PATH in both directions for {@code addPath}. */
    private static byte[] peerUp(String peer, int flags, Set<AfiSafi> addPath) {
        return BmpBytes.body().peer(PerPeerHeader.GLOBAL_INSTANCE, flags, 0, peer, 65001, "192.0.2.1", 1_700_000_000L, 0)
                .localAddress("203.0.113.1").u16(179).u16(40000)
                .bytes(open(65000, addPath)).bytes(open(65001, addPath)).message(BmpMessage.PEER_UP);
    }

    private static byte[] peerDown(String peer) {
        return BmpBytes.body().peer(PerPeerHeader.GLOBAL_INSTANCE, 0, 0, peer, 65001, "192.0.2.1", 1_700_000_000L, 0)
                .u8(BmpMessage.PeerDown.LOCAL_NO_NOTIFICATION).u16(0).message(BmpMessage.PEER_DOWN);
    }

    private static byte[] open(long as, Set<AfiSafi> addPath) {
        List<Capability> caps = new ArrayList<>(List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST), new Capability.FourOctetAs(as)));
        if (!addPath.isEmpty()) {
            caps.add(new Capability.AddPath(addPath.stream()
                    .map(f -> new Capability.AddPathFamily(f, Capability.AddPathMode.BOTH)).toList()));
        }
        return BgpMessageEncoder.encode(OpenMessage.of(as, 90, 0xc0000201, caps), PeerCapabilities.LEGACY);
    }
}
