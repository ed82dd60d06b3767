package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

class BmpMessageDecoderTest {

    private static final byte[] STATS = BmpBytes.body().peer(0, "192.0.2.7", 64500).u32(5)
            .u16(Statistic.PREFIXES_REJECTED).u16(4).u32(0xfffffffeL)
            .u16(Statistic.ROUTES_ADJ_RIB_IN).u16(8).u64(-1L)
            .u16(Statistic.ROUTES_LOC_RIB_PER_AFI_SAFI).u16(11).u16(2).u8(1).u64(42)
            .u16(40).u16(4).u32(9)
            .u16(Statistic.DUPLICATE_WITHDRAWS).u16(3).u8(1).u8(2).u8(3)
            .message(BmpMessage.STATISTICS_REPORT);

    private static final UnicastNlri ROUTE_A = new UnicastNlri(Ipv4Prefix.parse("198.51.100.0/24"));
    private static final UnicastNlri ROUTE_B = new UnicastNlri(Ipv4Prefix.parse("203.0.113.0/25"));
    private static final byte[] UPDATE = BgpMessageEncoder.encode(new UpdateMessage(List.of(),
            List.of(new PathAttribute.Origin(0), PathAttribute.AsPath.sequence(64500, 4_200_000_000L),
                    new PathAttribute.NextHop(0xc0000207)),
            List.of(ROUTE_A, ROUTE_B)), PeerCapabilities.FOUR_OCTET_AS);
    private static final byte[] BLUE = "blue".getBytes(StandardCharsets.UTF_8);

    @Test
    void perPeerHeaderFieldsAndFlags() {
        byte[] m = BmpBytes.body().peer(PerPeerHeader.RD_INSTANCE, 0x80 | 0x40 | 0x10, (2L << 48) | (4_226_809_946L << 16) | 12,
                "2001:db8::1", 4_200_000_000L, "198.51.100.1", 1_705_334_000L, 445_228).u32(0)
                .message(BmpMessage.STATISTICS_REPORT);
        PerPeerHeader p = ((BmpMessage.StatisticsReport) BmpMessageDecoder.decode(m)).peer();
        assertThat(p.peerType()).isEqualTo(PerPeerHeader.RD_INSTANCE);
        assertThat(p.isIpv6()).isTrue();
        assertThat(p.isPostPolicy()).isTrue();
        assertThat(p.isAdjRibOut()).isTrue();
        assertThat(p.isLegacyAsPath()).isFalse();
        assertThat(p.ribView()).isEqualTo(PerPeerHeader.RibView.ADJ_RIB_OUT_POST_POLICY);
        assertThat(p.address().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(p.peerAs()).isEqualTo(4_200_000_000L);
        assertThat(p.bgpId().getHostAddress()).isEqualTo("198.51.100.1");
        assertThat(p.distinguisherText()).isEqualTo("4226809946:12");
        assertThat(p.timestamp().toString()).isEqualTo("2024-01-15T15:53:20.445228Z");
    }

    @Test
    void locRibInstanceUsesTheFilteredFlagNotTheAddressFamilyFlag() {
        byte[] m = BmpBytes.body().peer(PerPeerHeader.LOC_RIB_INSTANCE, 0x80, 64_499L << 32 | 11, "0.0.0.0", 65537,
                "192.0.2.61", 1, 0).u32(0).message(BmpMessage.STATISTICS_REPORT);
        PerPeerHeader p = ((BmpMessage.StatisticsReport) BmpMessageDecoder.decode(m)).peer();
        assertThat(p.isLocRibFiltered()).isTrue();
        assertThat(p.isIpv6()).isFalse();
        assertThat(p.ribView()).isEqualTo(PerPeerHeader.RibView.LOC_RIB);
        assertThat(p.distinguisherText()).isEqualTo("64499:11");
    }

    @Test
    void statisticsOfEveryEncoding() {
        List<Statistic> stats = ((BmpMessage.StatisticsReport) BmpMessageDecoder.decode(STATS)).statistics();
        assertThat(stats).hasSize(5);
        assertThat(stats.get(0).value()).isEqualTo(0xfffffffeL);
        assertThat(Long.toUnsignedString(stats.get(1).value())).isEqualTo("18446744073709551615");
        assertThat(stats.get(2).isPerAfiSafi()).isTrue();
        assertThat(stats.get(2).afi()).isEqualTo(2);
        assertThat(stats.get(2).safi()).isEqualTo(1);
        assertThat(stats.get(2).value()).isEqualTo(42);
        assertThat(stats.get(0).raw()).isNull();
        assertThat(stats.get(3).type()).isEqualTo(40);
        assertThat(stats.get(3).name()).isEqualTo("type 40");
        assertThat(Statistic.isRegistered(40)).isFalse();
        assertThat(stats.get(3).hasValue()).as("unregistered type read by its length").isTrue();
        assertThat(stats.get(3).value()).isEqualTo(9);
        assertThat(stats.get(4).hasValue()).isFalse();
        assertThat(stats.get(4).raw()).containsExactly(1, 2, 3);
    }

    @Test
    void statsCountBeyondTheMessageIsRejectedBeforeAllocating() {
        byte[] m = BmpBytes.body().peer(0, "192.0.2.7", 64500).u32(0xffffffffL).message(BmpMessage.STATISTICS_REPORT);
        assertThatThrownBy(() -> BmpMessageDecoder.decode(m)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("stats count");
    }

    @Test
    void peerDownReasons() {
        byte[] notification = BgpMessageEncoder.encode(new NotificationMessage(6, 4, new byte[] {1}), PeerCapabilities.LEGACY);
        for (int reason : new int[] {1, 3}) {
            BmpMessage.PeerDown d = peerDown(BmpBytes.body().peer(0, "192.0.2.7", 1).u8(reason).bytes(notification));
            assertThat(d.reason()).isEqualTo(reason);
            assertThat(d.notification()).isEqualTo(new NotificationMessage(6, 4, new byte[] {1}));
        }
        BmpMessage.PeerDown fsm = peerDown(BmpBytes.body().peer(0, "192.0.2.7", 1).u8(2).u16(18));
        assertThat(fsm.fsmEvent()).isEqualTo(18);
        assertThat(fsm.notification()).isNull();
        assertThat(peerDown(BmpBytes.body().peer(0, "192.0.2.7", 1).u8(4)).reason()).isEqualTo(4);
        assertThat(peerDown(BmpBytes.body().peer(0, "192.0.2.7", 1).u8(5)).reason()).isEqualTo(5);
        BmpMessage.PeerDown locRib = peerDown(BmpBytes.body().peer(3, 0, 0, "0.0.0.0", 1, "192.0.2.1", 0, 0).u8(6)
                .tlv(InformationTlv.VRF_TABLE_NAME, "blue"));
        assertThat(locRib.information()).containsExactly(new InformationTlv(3, "blue".getBytes()));
        BmpMessage.PeerDown future = peerDown(BmpBytes.body().peer(0, "192.0.2.7", 1).u8(99).u8(7).u8(8));
        assertThat(future.data()).containsExactly(7, 8);
    }

    private static BmpMessage.PeerDown peerDown(BmpBytes body) {
        return (BmpMessage.PeerDown) BmpMessageDecoder.decode(body.message(BmpMessage.PEER_DOWN));
    }

    @Test
    void peerDownWithAnUpdateWhereTheNotificationBelongsIsRejected() {
        byte[] keepalive = BgpMessageEncoder.encode(net.rampart.wire.bgp.KeepaliveMessage.INSTANCE, PeerCapabilities.LEGACY);
        byte[] m = BmpBytes.body().peer(0, "192.0.2.7", 1).u8(1).bytes(keepalive).message(BmpMessage.PEER_DOWN);
        assertThatThrownBy(() -> BmpMessageDecoder.decode(m)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("NOTIFICATION");
    }

    @Test
    void initiationTerminationAndMirroring() {
        BmpMessage.Initiation init = (BmpMessage.Initiation) BmpMessageDecoder.decode(BmpBytes.body()
                .tlv(InformationTlv.SYS_DESCR, "FRRouting 10").tlv(InformationTlv.SYS_NAME, "edge-1").tlv(0, "")
                .message(BmpMessage.INITIATION));
        assertThat(init.sysName()).isEqualTo("edge-1");
        assertThat(init.sysDescr()).isEqualTo("FRRouting 10");
        assertThat(init.information()).hasSize(3);

        BmpMessage.Termination term = (BmpMessage.Termination) BmpMessageDecoder.decode(BmpBytes.body()
                .tlv(0, "bye").u16(InformationTlv.TERMINATION_REASON).u16(2).u16(BmpMessage.Termination.REDUNDANT_CONNECTION)
                .message(BmpMessage.TERMINATION));
        assertThat(term.reason()).isEqualTo(BmpMessage.Termination.REDUNDANT_CONNECTION);

        BmpMessage.RouteMirroring mirror = (BmpMessage.RouteMirroring) BmpMessageDecoder.decode(BmpBytes.body()
                .peer(0, "192.0.2.7", 1).u16(BmpMessage.RouteMirroring.INFORMATION).u16(2)
                .u16(BmpMessage.RouteMirroring.MESSAGES_LOST).u16(BmpMessage.RouteMirroring.BGP_MESSAGE).u16(3).u8(1).u8(2).u8(3)
                .message(BmpMessage.ROUTE_MIRRORING));
        assertThat(mirror.items()).extracting(InformationTlv::type).containsExactly(1, 0);
        assertThat(mirror.items().get(0).number()).isEqualTo(BmpMessage.RouteMirroring.MESSAGES_LOST);
    }

    @Test
    void peerUpAndRouteMirroringKeepTlvsOfUnknownTypes() {
        byte[] open = BgpMessageEncoder.encode(OpenMessage.of(64500, 90, 0x0a000001, List.of()), PeerCapabilities.LEGACY);
        BmpMessage.PeerUp up = (BmpMessage.PeerUp) BmpMessageDecoder.decode(BmpBytes.body().peer(0, "192.0.2.7", 64500)
                .localAddress("192.0.2.1").u16(179).u16(50000).bytes(open).bytes(open)
                .tlv(InformationTlv.VRF_TABLE_NAME, "global").tlv(0x7f02, "vendor").message(BmpMessage.PEER_UP));
        assertThat(up.information()).containsExactly(new InformationTlv(InformationTlv.VRF_TABLE_NAME, "global".getBytes()),
                new InformationTlv(0x7f02, "vendor".getBytes()));
        assertThat(up.vrfTableName()).isEqualTo("global");

        BmpMessage.RouteMirroring mirror = (BmpMessage.RouteMirroring) BmpMessageDecoder.decode(BmpBytes.body()
                .peer(0, "192.0.2.7", 1).u16(0x7f03).u16(1).u8(9)
                .u16(BmpMessage.RouteMirroring.INFORMATION).u16(2).u16(BmpMessage.RouteMirroring.MESSAGES_LOST)
                .message(BmpMessage.ROUTE_MIRRORING));
        assertThat(mirror.items()).containsExactly(new InformationTlv(0x7f03, new byte[] {9}),
                new InformationTlv(BmpMessage.RouteMirroring.INFORMATION, new byte[] {0, 1}));
    }

    /** A Route Monitoring of {@link #UPDATE} followed by what {@code trailer} adds. */
    private static BmpMessage.RouteMonitoring routeMonitoring(UnaryOperator<BmpBytes> trailer) {
        byte[] m = trailer.apply(BmpBytes.body().peer(0, "192.0.2.7", 64500).bytes(UPDATE)).message(BmpMessage.ROUTE_MONITORING);
        return (BmpMessage.RouteMonitoring) BmpMessageDecoder.decode(m);
    }

    @Test
    void tlvsAfterTheUpdateAreKeptAndTheUnknownOnesCounted() {
        BmpMessage.RouteMonitoring rm = routeMonitoring(b -> b.rmTlv(RouteMonitoringTlv.VRF_TABLE_NAME, 0, BLUE)
                .rmTlv(0x7f01, 1, new byte[] {1, 2, 3}));
        assertThat(rm.update().announced()).containsExactly(ROUTE_A, ROUTE_B);
        assertThat(rm.update().errors()).isEmpty();
        assertThat(rm.tlvs()).containsExactly(new RouteMonitoringTlv(RouteMonitoringTlv.VRF_TABLE_NAME, 0, BLUE),
                new RouteMonitoringTlv(0x7f01, 1, new byte[] {1, 2, 3}));
        assertThat(rm.vrfTableName()).isEqualTo("blue");
        assertThat(rm.unknownTlvCount()).isEqualTo(1);
        assertThat(rm.hasMalformedTrailer()).isFalse();
    }

    @Test
    void pathStatusTlvIsReadAndOneOfTheWrongSizeCountsAsUnknown() {
        // Status 4 (non-selected) for the second NLRI, reason 3 (lower LOCAL_PREF); then a value no path status has.
        BmpMessage.RouteMonitoring rm = routeMonitoring(b -> b
                .rmTlv(RouteMonitoringTlv.PATH_STATUS, 1, new byte[] {0, 0, 0, 4, 0, 3})
                .rmTlv(RouteMonitoringTlv.PATH_STATUS, 0, new byte[] {0, 0, 2}));
        RouteMonitoringTlv status = rm.tlvs().get(0);
        assertThat(status.isKnown()).isTrue();
        assertThat(status.index()).isEqualTo(1);
        assertThat(status.pathStatus()).isEqualTo(4);
        assertThat(status.reasonCode()).isEqualTo(3);
        assertThat(rm.unknownTlvCount()).isEqualTo(1);
        assertThatThrownBy(() -> rm.tlvs().get(1).pathStatus()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void trailerThatIsNotWellFormedTlvsCostsNeitherTheUpdateNorTheTlvsBeforeIt() {
        byte[] overrun = {0, 3, 0, (byte) 200, 0, 0, 'x'};
        BmpMessage.RouteMonitoring rm = routeMonitoring(b -> b.rmTlv(RouteMonitoringTlv.VRF_TABLE_NAME, 0, BLUE).bytes(overrun));
        assertThat(rm.update().announced()).containsExactly(ROUTE_A, ROUTE_B);
        assertThat(rm.vrfTableName()).isEqualTo("blue");
        assertThat(rm.hasMalformedTrailer()).isTrue();
        assertThat(rm.unparsedTrailer()).containsExactly(overrun);

        BmpMessage.RouteMonitoring stub = routeMonitoring(b -> b.u8(1).u8(2));
        assertThat(stub.update().announced()).containsExactly(ROUTE_A, ROUTE_B);
        assertThat(stub.tlvs()).isEmpty();
        assertThat(stub.unparsedTrailer()).as("fewer bytes than a TLV header").containsExactly(1, 2);
    }

    @Test
    void bgpMessageLongerThanTheRouteMonitoringIsRejected() {
        byte[] m = BmpBytes.body().peer(0, "192.0.2.7", 64500).bytes(Arrays.copyOf(UPDATE, UPDATE.length - 1))
                .message(BmpMessage.ROUTE_MONITORING);
        assertThatThrownBy(() -> BmpMessageDecoder.decode(m)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("route monitoring BGP message");
    }

    @Test
    void unknownMessageTypeIsKeptRaw() {
        BmpMessage m = BmpMessageDecoder.decode(BmpBytes.body().u8(1).u8(2).message(251));
        assertThat(m).isInstanceOfSatisfying(BmpMessage.Unknown.class, u -> {
            assertThat(u.type()).isEqualTo(251);
            assertThat(u.body()).containsExactly(1, 2);
        });
    }

    @Test
    void zeroLengthBodiesAndFields() {
        assertThat(((BmpMessage.Initiation) BmpMessageDecoder.decode(BmpBytes.body().message(BmpMessage.INITIATION)))
                .information()).isEmpty();
        assertThatThrownBy(() -> BmpMessageDecoder.decode(BmpBytes.body().message(BmpMessage.ROUTE_MONITORING)))
                .isInstanceOf(DecodeException.class).hasMessageContaining("per-peer header");
        byte[] emptyTlv = BmpBytes.body().u16(InformationTlv.SYS_NAME).u16(0).message(BmpMessage.INITIATION);
        assertThat(((BmpMessage.Initiation) BmpMessageDecoder.decode(emptyTlv)).sysName()).isEmpty();
    }

    @Test
    void overlongTlvIsRejected() {
        byte[] m = BmpBytes.body().u16(InformationTlv.SYS_NAME).u16(0xffff).u8('x').message(BmpMessage.INITIATION);
        assertThatThrownBy(() -> BmpMessageDecoder.decode(m)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("information TLV value");
    }

    @Test
    void lengthFieldMustMatchTheMessage() {
        byte[] m = STATS.clone();
        m[4]++;
        assertThatThrownBy(() -> BmpMessageDecoder.decode(m)).isInstanceOf(DecodeException.class).hasMessageContaining("length");
    }

    @Test
    void everyTruncationOfValidMessagesFailsCleanly() {
        for (byte[] valid : List.of(STATS, BmpBytes.body().peer(0, "192.0.2.7", 1).u8(2).u16(18).message(BmpMessage.PEER_DOWN))) {
            for (int length = 0; length < valid.length; length++) {
                byte[] cut = java.util.Arrays.copyOf(valid, length);
                if (length >= 5) {
                    // keep the common header consistent so the body parsers see the truncation
                    java.nio.ByteBuffer.wrap(cut).putInt(1, length);
                }
                Throwable t = catchThrowable(() -> BmpMessageDecoder.decode(cut));
                if (t != null) {
                    assertThat(t).as("truncated to %d", length).isInstanceOf(DecodeException.class);
                }
            }
        }
    }

    @Property(tries = 2000)
    void arbitraryBytesOnlyEverThrowDecodeException(@ForAll @Size(max = 200) byte[] body, @ForAll byte type) {
        byte[] m = BmpBytes.body().bytes(body).message(type & 0xff);
        Throwable t = catchThrowable(() -> new BmpSession().decode(m));
        if (t != null) {
            assertThat(t).isInstanceOf(DecodeException.class);
        }
    }
}
