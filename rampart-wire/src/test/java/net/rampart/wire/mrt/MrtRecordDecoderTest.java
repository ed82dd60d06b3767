package net.rampart.wire.mrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

/** TABLE_DUMP_V2, BGP4MP_ET and ADDPATH records, built byte by byte from RFC 6396 and RFC 8050. */
class MrtRecordDecoderTest {

    private static final HexFormat HEX = HexFormat.of();
    /** ORIGIN IGP, AS_PATH (4-octet) 65001 4200000000. */
    private static final String ATTRS_AS4 = "400101004002" + "0a" + "0202" + "0000fde9" + "fa56ea00";
    /** MP_REACH_NLRI abbreviated: next hop length 16 + 2001:db8::1. */
    private static final String MP_NEXT_HOP = "800e11" + "10" + "20010db8000000000000000000000001";
    /** An UPDATE announcing 198.51.100.0/24 with path id 7 (NEXT_HOP 203.0.113.9, AS_PATH 65001, 2 octets). */
    private static final String UPDATE_ADDPATH = "ffffffffffffffffffffffffffffffff" + "0031" + "02" + "0000" + "0012"
            + "40010100" + "400204" + "0201fde9" + "400304cb007109" + "00000007" + "18c63364";

    private static byte[] record(long time, int type, int subtype, String body) {
        byte[] b = HEX.parseHex(body);
        return java.nio.ByteBuffer.allocate(12 + b.length).putInt((int) time).putShort((short) type)
                .putShort((short) subtype).putInt(b.length).put(b).array();
    }

    private static List<MrtRecord> read(byte[]... records) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] r : records) {
            all.writeBytes(r);
        }
        List<MrtRecord> out = new ArrayList<>();
        new MrtReader(new ByteArrayInputStream(all.toByteArray())).forEachRemaining(out::add);
        return out;
    }

    @Test
    void tableDumpV2PeerIndexAndRibs() throws Exception {
        String peerIndex = "c0000201" + "0004" + "6d61696e" + "0002"
                + "02" + "c0000202" + "c6336401" + "fa56ea00"                       // IPv4 peer, 4-octet AS
                + "01" + "c0000203" + "20010db8000000000000000000000002" + "fde9";    // IPv6 peer, 2-octet AS
        String ribV4 = "00000001" + "18" + "c63364" + "0001" + "0000" + "5f000000" + String.format("%04x", ATTRS_AS4.length() / 2)
                + ATTRS_AS4;
        String ribV6 = "00000002" + "20" + "20010db8" + "0001" + "0001" + "5f000001"
                + String.format("%04x", (ATTRS_AS4 + MP_NEXT_HOP).length() / 2) + ATTRS_AS4 + MP_NEXT_HOP;
        String ribV4AddPath = "00000003" + "18" + "c63364" + "0002"
                + "0000" + "5f000000" + "00000001" + String.format("%04x", ATTRS_AS4.length() / 2) + ATTRS_AS4
                + "0001" + "5f000000" + "00000002" + String.format("%04x", ATTRS_AS4.length() / 2) + ATTRS_AS4;
        String ribGeneric = "00000004" + "0001" + "01" + "18c63364" + "0001" + "0000" + "5f000000" + String.format("%04x", ATTRS_AS4.length() / 2) + ATTRS_AS4;
        List<MrtRecord> records = read(record(1, 13, 1, peerIndex), record(2, 13, 2, ribV4), record(3, 13, 4, ribV6),
                record(4, 13, 8, ribV4AddPath), record(5, 13, 6, ribGeneric));

        MrtRecord.PeerIndexTable table = (MrtRecord.PeerIndexTable) records.get(0);
        assertThat(table.viewName()).isEqualTo("main");
        assertThat(table.peers()).hasSize(2);
        assertThat(table.peers().get(0).as()).isEqualTo(4_200_000_000L);
        assertThat(table.peers().get(0).as4()).isTrue();
        assertThat(table.peers().get(1).address()).isEqualTo(InetAddress.getByName("2001:db8::2"));
        assertThat(table.peers().get(1).as()).isEqualTo(65001);

        MrtRecord.RibAfi v4 = (MrtRecord.RibAfi) records.get(1);
        assertThat(v4.prefix()).isEqualTo(InetAddress.getByName("198.51.100.0"));
        assertThat(v4.prefixLength()).isEqualTo(24);
        UpdateMessage attrs = MrtRouteDecoder.attributes(AfiSafi.IPV4_UNICAST, v4.entries().get(0));
        assertThat(attrs.errors()).isEmpty();
        assertThat(attrs.attribute(PathAttribute.AsPath.class).orElseThrow().originAs()).isEqualTo(4_200_000_000L);

        MrtRecord.RibAfi v6 = (MrtRecord.RibAfi) records.get(2);
        assertThat(v6.afi()).isEqualTo(2);
        assertThat(v6.prefix()).isEqualTo(InetAddress.getByName("2001:db8::"));
        UpdateMessage v6attrs = MrtRouteDecoder.attributes(AfiSafi.IPV6_UNICAST, v6.entries().get(0));
        assertThat(v6attrs.errors()).isEmpty();
        assertThat(InetAddress.getByAddress(v6attrs.mpReach().orElseThrow().nextHop()))
                .isEqualTo(InetAddress.getByName("2001:db8::1"));

        MrtRecord.RibAfi addPath = (MrtRecord.RibAfi) records.get(3);
        assertThat(addPath.addPath()).isTrue();
        assertThat(addPath.entries()).extracting(MrtRecord.RibEntry::pathId).containsExactly(1L, 2L);

        MrtRecord.RibGeneric generic = (MrtRecord.RibGeneric) records.get(4);
        assertThat(generic.afi()).isEqualTo(1);
        assertThat(generic.safi()).isEqualTo(1);
        assertThat(generic.nlri()).containsExactly(HEX.parseHex("18c63364"));
    }

    @Test
    void bgp4mpExtendedTimestampAddPathMessage() {
        String body = "0001e240" + "fa56ea00" + "0000fde8" + "0003" + "0001" + "cb007109" + "cb007101" + UPDATE_ADDPATH;
        // MESSAGE_ADDPATH (8) uses 2-octet AS numbers; the AS4 form of the header is subtype 9.
        MrtRecord.Bgp4mpMessage m = (MrtRecord.Bgp4mpMessage) read(record(1_700_000_000L, 17, 9, body)).get(0);
        assertThat(m.header().microseconds()).isEqualTo(123_456);
        assertThat(m.peerAs()).isEqualTo(4_200_000_000L);
        assertThat(m.localAs()).isEqualTo(65000);
        assertThat(m.interfaceIndex()).isEqualTo(3);
        assertThat(m.addPath()).isTrue();
        assertThat(m.as4()).isTrue();
        UpdateMessage update = (UpdateMessage) MrtRouteDecoder.message(withAs2Path(m));
        assertThat(update.announced()).containsExactly(new UnicastNlri(7, Ipv4Prefix.parse("198.51.100.0/24")));
    }

    /** The same message as subtype MESSAGE_ADDPATH, whose AS_PATH is 2-octet like the one in {@link #UPDATE_ADDPATH}. */
    private static MrtRecord.Bgp4mpMessage withAs2Path(MrtRecord.Bgp4mpMessage m) {
        MrtRecord.Header h = new MrtRecord.Header(m.header().timestampSeconds(), 0, 16, 8, 0);
        return new MrtRecord.Bgp4mpMessage(h, 65001, 65000, 3, 1, m.peerAddress(), m.localAddress(), m.bgpMessage());
    }

    @Test
    void stateChangeAs4() throws Exception {
        String body = "fa56ea00" + "0000fde8" + "0000" + "0002" + "20010db8000000000000000000000009"
                + "20010db8000000000000000000000001" + "0001" + "0006";
        MrtRecord.Bgp4mpStateChange s = (MrtRecord.Bgp4mpStateChange) read(record(1, 16, 5, body)).get(0);
        assertThat(s.peerAs()).isEqualTo(4_200_000_000L);
        assertThat(s.peerAddress()).isEqualTo(InetAddress.getByName("2001:db8::9"));
        assertThat(s.oldState()).isEqualTo(1);
        assertThat(s.newState()).isEqualTo(6);
    }

    @Test
    void unknownTypesAreKeptRaw() {
        MrtRecord r = read(record(1, 32, 0, "0102")).get(0);
        assertThat(r).isInstanceOfSatisfying(MrtRecord.Unknown.class, u -> assertThat(u.body()).containsExactly(1, 2));
    }

    @Test
    void truncatedHeaderAndBodyAreReported() {
        byte[] r = record(1, 13, 1, "c00002010000" + "0000");
        for (int cut = 1; cut < r.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(r, cut);
            assertThatThrownBy(() -> read(part)).as("cut at %d", cut).isInstanceOf(DecodeException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void declaredLengthAboveTheLimitIsRejectedWithoutAllocatingIt() {
        byte[] header = java.nio.ByteBuffer.allocate(12).putInt(1).putShort((short) 16).putShort((short) 4)
                .putInt(0x7fffffff).array();
        MrtReader reader = new MrtReader(new ByteArrayInputStream(header), 1 << 20);
        assertThatThrownBy(reader::hasNext).isInstanceOf(DecodeException.class).hasMessageContaining("exceeds");
    }

    @Test
    void countsBeyondTheRecordAreRejected() {
        String lyingPeerCount = "c0000201" + "0000" + "ffff";
        assertThatThrownBy(() -> read(record(1, 13, 1, lyingPeerCount))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("peer count");
        String lyingEntryCount = "00000001" + "18" + "c63364" + "ffff";
        assertThatThrownBy(() -> read(record(1, 13, 2, lyingEntryCount))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("entry count");
    }

    @Test
    void prefixLongerThanTheFamilyIsRejected() {
        assertThatThrownBy(() -> read(record(1, 13, 2, "00000001" + "21" + "c6336400" + "0000")))
                .isInstanceOf(DecodeException.class).hasMessageContaining("exceeds 32");
    }

    @Property(tries = 2000)
    void arbitraryBodiesOnlyEverThrowDecodeException(@ForAll @Size(max = 120) byte[] body, @ForAll byte subtype,
                                                     @ForAll boolean v2) {
        byte[] r = record(1, v2 ? 13 : 16, subtype & 0x0f, HEX.formatHex(body));
        Throwable t = catchThrowable(() -> read(r).forEach(rec -> {
            if (rec instanceof MrtRecord.Bgp4mpMessage m) {
                MrtRouteDecoder.message(m);
            }
        }));
        if (t != null) {
            assertThat(t).isInstanceOf(DecodeException.class);
        }
    }
}
