package net.rampart.collector.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.OpaqueNlri;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.PeerType;
import net.rampart.collector.rib.RawAttribute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.collector.rib.RouterId;
import org.junit.jupiter.api.Test;

class RouteEventCodecTest {
    static List<RouteEvent> sampleEvents() throws Exception {
        PeerKey v4peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        PeerKey v6peer = new PeerKey(PeerType.RD_INSTANCE, 0x0000FDE800000001L, InetAddress.getByName("2001:db8::1"));
        PathAttributes full = PathAttributes.builder().origin(2)
                .asPath(AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 2, 65001, -1, AsPath.AS_SET, 1, 7}))
                .nextHop(new byte[32]).med(0).localPref(100).atomicAggregate(true)
                .aggregator(65001, new byte[] {1, 2, 3, 4}).communities(1, 2).extendedCommunities(-5L)
                .largeCommunities(1, 2, 3).originatorId(new byte[] {9, 9, 9, 9}).clusterList(4, 5)
                .otherAttributes(new RawAttribute(35, 0xC0, new byte[] {0, 0, 0, 1})).build();
        EvpnRouteKey mac = EvpnRouteKey.macIp(1, HexFormat.of().parseHex("00112233445566778899"), 5,
                HexFormat.of().parseHex("aabbccddeeff"), null, new int[] {1, 2}, 3);
        return List.of(
                new RouteEvent(1, new RouterId("r1"), 1_700_000_000_000_001L, v4peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.0.0.0/8", -1), full),
                new RouteEvent(2, new RouterId("r1"), 0, v6peer, RibView.LOC_RIB, Family.IPV6_UNICAST,
                        Ipv6RouteKey.parse("2001:db8::/32", 0), null),
                new RouteEvent(3, new RouterId("r2"), 7, v4peer, RibView.ADJ_RIB_OUT_POST, Family.L2VPN_EVPN, mac, full),
                new RouteEvent(4, new RouterId("r2"), 7, v4peer, RibView.ADJ_RIB_IN_POST, new Family(1, 128),
                        new OpaqueNlri(new byte[] {1, 2, 3}, 0, "65000:1:10.0.0.0/24"), PathAttributes.builder().build()),
                new RouteEvent(5, new RouterId("r2"), 7, v6peer, RibView.ADJ_RIB_IN_PRE, new Family(2, 128),
                        new LabeledPrefix(0x0000FDE800000002L, Ipv6RouteKey.parse("2001:db8:1::/48", 0),
                                new int[] {200, 300}, 9), full),
                new RouteEvent(6, new RouterId("r2"), 7, v4peer, RibView.ADJ_RIB_IN_PRE, new Family(1, 4),
                        new LabeledPrefix(null, Ipv4RouteKey.parse("10.1.0.0/16", 0), new int[] {16001}, 0), null));
    }

    @Test
    void roundTripsEveryKeyKindAndAttribute() throws Exception {
        List<RouteEvent> events = sampleEvents();
        List<RouteEvent> back = RouteEventCodec.decode(RouteEventCodec.encode(events));
        assertThat(back).isEqualTo(events);
        EvpnRouteKey mac = (EvpnRouteKey) back.get(2).key();
        assertThat(mac.labels()).containsExactly(1, 2);
        assertThat(mac.esiText()).isEqualTo("00:11:22:33:44:55:66:77:88:99");
        assertThat(back.get(0).attributes().otherAttributes()[0].value()).containsExactly(0, 0, 0, 1);
        assertThat(back.get(3).key().text()).isEqualTo("65000:1:10.0.0.0/24");
        // Labels take no part in a labeled key's equality, so the list comparison above cannot see them.
        LabeledPrefix vpn = (LabeledPrefix) back.get(4).key();
        assertThat(vpn.labels()).containsExactly(200, 300);
        assertThat(vpn.text()).isEqualTo("65000:2:2001:db8:1::/48");
        assertThat(vpn.pathId()).isEqualTo(9);
        LabeledPrefix labeled = (LabeledPrefix) back.get(5).key();
        assertThat(labeled.rd()).isNull();
        assertThat(labeled.labels()).containsExactly(16001);
    }

    @Test
    void decodedEventsOfOneSourceInARowShareIt() throws Exception {
        PeerKey peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        RouterId router = new RouterId("r1");
        PathAttributes a = PathAttributes.builder().origin(0).nextHop(new byte[] {10, 0, 0, 1}).build();
        List<RouteEvent> events = List.of(
                new RouteEvent(1, router, 5, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.0.0.0/8", 0), a),
                new RouteEvent(2, router, 5, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.1.0.0/16", 0), null),
                new RouteEvent(3, router, 6, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.2.0.0/16", 0), a),
                new RouteEvent(4, router, 6, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV6_UNICAST,
                        Ipv6RouteKey.parse("2001:db8::/32", 0), a));
        List<RouteEvent> back = RouteEventCodec.decode(RouteEventCodec.encode(events));
        assertThat(back).isEqualTo(events);
        assertThat(back.get(1).source()).isSameAs(back.get(0).source());
        assertThat(back.get(2).source()).as("another session").isNotSameAs(back.get(1).source());
        assertThat(back.get(3).source()).as("another family").isNotSameAs(back.get(2).source());
    }

    @Test
    void oneAttributeSetRoundTripsAndEqualSetsEncodeEqually() throws Exception {
        PathAttributes full = sampleEvents().get(0).attributes();
        byte[] encoded = RouteEventCodec.encodeAttributes(full);
        assertThat(RouteEventCodec.decodeAttributes(encoded)).isEqualTo(full);
        PathAttributes marked = full.withMarking(new RouteMarking(null, 2, 0));
        assertThat(RouteEventCodec.encodeAttributes(marked)).as("the marking is the report's, not the path's")
                .isEqualTo(encoded);
        assertThat(RouteEventCodec.encodeAttributes(PathAttributes.builder().build())).isNotEqualTo(encoded);
        assertThatThrownBy(() -> RouteEventCodec.decodeAttributes(Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RouteEventCodec.decodeAttributes(Arrays.copyOf(encoded, 7)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void roundTripsBmpRouteMarkings() throws Exception {
        PeerKey peer = PeerKey.global(InetAddress.getByName("198.51.100.1"));
        PathAttributes plain = PathAttributes.builder().origin(0).nextHop(new byte[] {10, 0, 0, 1}).build();
        PathAttributes blue = plain.withMarking(new RouteMarking("blue", -1, -1));
        PathAttributes backup = plain.withMarking(new RouteMarking("blue", 0x10, 7));
        PathAttributes statusOnly = plain.withMarking(new RouteMarking(null, 0xFFFF_FFFFL, -1));
        List<RouteEvent> events = List.of(
                new RouteEvent(1, new RouterId("r1"), 7, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.1.0.0/24", 0), blue),
                new RouteEvent(1, new RouterId("r1"), 7, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.1.1.0/24", 0), backup),
                new RouteEvent(1, new RouterId("r1"), 7, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.1.2.0/24", 0), plain),
                new RouteEvent(2, new RouterId("r1"), 7, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.1.3.0/24", 0), statusOnly),
                new RouteEvent(3, new RouterId("r1"), 7, peer, RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST,
                        Ipv4RouteKey.parse("10.1.0.0/24", 0), blue));
        List<RouteEvent> back = RouteEventCodec.decode(RouteEventCodec.encode(events));
        // Event equality covers the marking, since the attributes' equality does.
        assertThat(back).isEqualTo(events);
        assertThat(back).extracting(e -> e.attributes().marking()).containsExactly(
                new RouteMarking("blue", -1, -1), new RouteMarking("blue", 0x10, 7), null,
                new RouteMarking(null, 0xFFFF_FFFFL, -1), new RouteMarking("blue", -1, -1));
        // Events that shared a marked set share it after decoding too: the record holds each set once.
        assertThat(back.get(4).attributes()).isSameAs(back.get(0).attributes());
    }

    @Test
    void theEncodingIsTheOneSpoolFilesAlreadyHold() throws Exception {
        // Length and SHA-256 of sampleEvents() as the encoder built on DataOutputStream wrote
        // them (commit ff22da6): a spool left by that version is read by this one, byte for byte.
        byte[] encoded = RouteEventCodec.encode(sampleEvents());
        assertThat(encoded).hasSize(711);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded)))
                .isEqualTo("3dc7bd4366f8ee5862b0b231899fcdb2db153c0f3daf26b7db6ca071d33ccfc9");
    }

    @Test
    void versionThreeRecordsStillDecode() throws Exception {
        // A version 3 record is the current layout without the markings table at its end (here
        // empty: four bytes of count).
        List<RouteEvent> events = sampleEvents();
        byte[] encoded = RouteEventCodec.encode(events);
        byte[] version3 = Arrays.copyOf(encoded, encoded.length - 4);
        version3[0] = 3;
        assertThat(RouteEventCodec.decode(version3)).isEqualTo(events);
    }

    @Test
    void versionTwoRecordsStillDecode() throws Exception {
        // Records spooled before labeled keys existed have the version 3 layout without such keys.
        List<RouteEvent> events = sampleEvents().subList(0, 4);
        byte[] encoded = RouteEventCodec.encode(events);
        byte[] version2 = Arrays.copyOf(encoded, encoded.length - 4);
        version2[0] = 2;
        assertThat(RouteEventCodec.decode(version2)).isEqualTo(events);
    }

    @Property(tries = 200)
    void garbageIsRejectedWithIoException(@ForAll @Size(max = 200) byte[] garbage) {
        try {
            RouteEventCodec.decode(garbage);
        } catch (IOException expected) {
            return;
        }
        // Garbage that happens to decode must at least be a valid (tiny) batch.
        assertThat(garbage.length).isGreaterThan(0);
    }

    @Test
    void truncatedRecordIsRejected() throws Exception {
        byte[] encoded = RouteEventCodec.encode(sampleEvents());
        assertThatThrownBy(() -> RouteEventCodec.decode(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IOException.class);
    }
}
