package net.rampart.wire.openbmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EthernetSegmentId;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.bmp.BmpBytes;
import net.rampart.wire.bmp.BmpCaptures;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.InformationTlv;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The parsed OpenBMP v1.7 messages: every row has the schema's column count (read from the
 * columns file of the shared test data), known routes of real router captures give the rows
 * checked by hand against the schema and against pmacct's decode of the same captures, and the
 * hashes are recomputed here from OpenBMP's formulas.
 */
class OpenBmpParsedEncoderTest {

    private static final String ADMIN = "rampart-test";
    private static final long RECEIVED = 1_700_000_000_123_456L;
    private static final String RECEIVED_TEXT = "2023-11-14 22:13:20.123456";

    // --- schema ------------------------------------------------------------------------------

    /** Topic (as {@code parsed.x}) to its column names, from the columns file. */
    private static Map<String, List<String>> columns() throws IOException {
        Path file = TestData.folder("openbmp").resolve("message-bus-v1.7-columns.tsv");
        Map<String, List<String>> columns = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            String topic = f[1].substring("openbmp.".length());
            List<String> names = columns.computeIfAbsent(topic, t -> new ArrayList<>());
            assertThat(Integer.parseInt(f[2])).isEqualTo(names.size() + 1);
            names.add(f[3]);
        }
        return columns;
    }

    /** One row's fields by column name, after checking the row has exactly the schema's columns. */
    private static Map<String, String> fields(Map<String, List<String>> columns, String topic, String row) {
        List<String> names = columns.get(topic);
        String[] values = row.split("\t", -1);
        assertThat(values).as("columns of %s row %s", topic, row).hasSize(names.size());
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            byName.putIfAbsent(names.get(i).replace("\\*", ""), values[i]);
        }
        return byName;
    }

    /** Checks the text header against the rows and the topic. */
    private static void checkHeader(OpenBmpParsedMessage m, String collectorHash) {
        String text = m.text();
        int body = text.indexOf("\n\n") + 2;
        String[] header = text.substring(0, body - 2).split("\n");
        assertThat(header).containsExactly("V: 1.7", "C_HASH_ID: " + collectorHash,
                "T: " + m.topic().substring("parsed.".length()),
                "L: " + (m.value().length - text.substring(0, body).getBytes(StandardCharsets.UTF_8).length),
                "R: " + m.rows().length);
        assertThat(text).endsWith("\n");
        assertThat(m.key()).matches("[0-9a-f]{32}");
    }

    // --- real captures -------------------------------------------------------------------------

    private record Encoded(InetAddress router, String routerHash, List<OpenBmpParsedMessage> messages) {
    }

    private static List<Encoded> encodeCapture(String name) throws IOException {
        Path capture = TestData.folder("bmp").resolve(name);
        List<Encoded> out = new ArrayList<>();
        for (BmpCaptures.Session s : BmpCaptures.sessions(capture)) {
            OpenBmpParsedEncoder encoder = new OpenBmpParsedEncoder(ADMIN, s.stream().source());
            List<OpenBmpParsedMessage> messages = new ArrayList<>();
            for (byte[] m : s.messages()) {
                messages.addAll(encoder.encode(m, RECEIVED));
            }
            out.add(new Encoded(s.stream().source(), encoder.routerHash(), messages));
        }
        return out;
    }

    @Test
    void everyRowOfEveryCaptureHasTheSchemasColumnsAndConsistentHeaderAndKeys() throws IOException {
        Map<String, List<String>> columns = columns();
        String collectorHash = md5(ADMIN);
        Map<String, Integer> rowsByTopic = new TreeMap<>();
        for (Path capture : BmpCaptures.captures()) {
            for (Encoded e : encodeCapture(capture.getFileName().toString())) {
                Map<String, Long> lastSequence = new HashMap<>();
                for (OpenBmpParsedMessage m : e.messages()) {
                    checkHeader(m, collectorHash);
                    for (String row : m.rows()) {
                        Map<String, String> f = fields(columns, m.topic(), row);
                        rowsByTopic.merge(m.topic(), 1, Integer::sum);
                        long seq = Long.parseLong(f.get("Sequence"));
                        assertThat(seq).as("sequence of %s", m.topic())
                                .isEqualTo(lastSequence.getOrDefault(m.topic(), -1L) + 1);
                        lastSequence.put(m.topic(), seq);
                        if (!m.topic().equals(OpenBmpParsedMessage.ROUTER)) {
                            assertThat(f.get("Router Hash")).isEqualTo(e.routerHash());
                            assertThat(m.key()).as("key is the peer hash").isEqualTo(
                                    m.topic().equals(OpenBmpParsedMessage.PEER) ? f.get("Hash") : f.get("Peer Hash"));
                        } else {
                            assertThat(m.key()).isEqualTo(e.routerHash());
                        }
                        assertThat(f.get("Timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
                    }
                }
            }
        }
        assertThat(rowsByTopic).containsKeys(OpenBmpParsedMessage.ROUTER, OpenBmpParsedMessage.PEER,
                OpenBmpParsedMessage.BASE_ATTRIBUTE, OpenBmpParsedMessage.UNICAST_PREFIX, OpenBmpParsedMessage.L3VPN,
                OpenBmpParsedMessage.BMP_STAT);
    }

    /** Rows of a topic across the capture's sessions, with the session that made them. */
    private static List<Map<String, String>> rows(List<Encoded> sessions, Map<String, List<String>> columns,
            String topic) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Encoded e : sessions) {
            for (OpenBmpParsedMessage m : e.messages()) {
                if (m.topic().equals(topic)) {
                    for (String row : m.rows()) {
                        rows.add(fields(columns, topic, row));
                    }
                }
            }
        }
        return rows;
    }

    /** The first row whose columns have the given values, given as name, value, name, value, ... */
    private static Map<String, String> only(List<Map<String, String>> rows, String... criteria) {
        List<Map<String, String>> matches = rows.stream().filter(r -> {
            for (int i = 0; i < criteria.length; i += 2) {
                if (!criteria[i + 1].equals(r.get(criteria[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertThat(matches).as("rows with %s", List.of(criteria)).isNotEmpty();
        return matches.get(0);
    }

    /**
     * Cisco IOS-XR RD-instance peers (capture 201): the IPv4 route 203.0.113.70/32 and the IPv6
     * route 2001:db8::70/128, whose values pmacct decodes from the same capture as: next hop
     * 192.0.31.162 and 2001:db8:32::172, AS path 65538 and 65540 65536 65537 65000, origin i,
     * communities as below, peer RDs 0:64499:74 and 0:64499:84, Adj-RIB-In pre-policy.
     * Communities are in the UPDATE's order, as OpenBMP writes them; pmacct lists them sorted.
     */
    @Test
    void unicastRoutesOfARealCiscoCaptureMatchTheSchemaAndOpenBmpsHashes() throws IOException {
        Map<String, List<String>> columns = columns();
        List<Encoded> sessions = encodeCapture("201-BMP-CISCO-rd_instance.pcap");
        String collectorHash = md5(ADMIN);
        // The capture's BMP stream comes from 192.0.2.55 (pmacct names the router by its own address).
        String routerIp = sessions.get(0).router().getHostAddress();
        assertThat(routerIp).isEqualTo("192.0.2.55");
        String routerHash = md5(routerIp + collectorHash);
        List<Map<String, String>> unicast = rows(sessions, columns, OpenBmpParsedMessage.UNICAST_PREFIX);

        Map<String, String> v4 = only(unicast, "Prefix", "203.0.113.70", "Peer IP", "192.0.31.162", "Action", "add");
        String peerV4 = md5("192.0.31.162" + "64499:74" + routerHash);
        String attrV4 = md5(bytes(" 65538", "192.0.31.162", "", "igp"), le32(0), le32(0),
                bytes("64496:20 64496:1001 64497:3 64499:70 64499:100 64496:1033", "", peerV4));
        assertThat(v4).containsEntry("Hash", md5(bytes("203.0.113.70"), new byte[] {32}, bytes(peerV4)))
                .containsEntry("Router Hash", routerHash).containsEntry("Router IP", routerIp)
                .containsEntry("Base Attr Hash", attrV4).containsEntry("Peer Hash", peerV4)
                .containsEntry("Peer IP", "192.0.31.162").containsEntry("Length", "32").containsEntry("isIPv4", "1")
                .containsEntry("Origin", "igp").containsEntry("AS Path", " 65538").containsEntry("AS Path Count", "1")
                .containsEntry("Origin AS", "65538").containsEntry("Next Hop", "192.0.31.162")
                .containsEntry("MED", "0").containsEntry("Local Pref", "0").containsEntry("Aggregator", "")
                .containsEntry("Community List", "64496:20 64496:1001 64497:3 64499:70 64499:100 64496:1033")
                .containsEntry("Ext Community List", "").containsEntry("isNextHopIPv4", "1")
                .containsEntry("Path ID", "0").containsEntry("Labels", "").containsEntry("isPrePolicy", "1")
                .containsEntry("isAdjIn", "1").containsEntry("Large Community List", "")
                .containsEntry("Timestamp", "2023-05-26 13:34:18.197282");
        assertThat(v4).containsEntry("Peer ASN", "65538");

        Map<String, String> v6 = only(unicast, "Prefix", "2001:db8::70", "Peer IP", "2001:db8:32::172", "Action", "add");
        String peerV6 = md5("2001:db8:32::172" + "64499:84" + routerHash);
        assertThat(v6).containsEntry("Hash", md5(bytes("2001:db8::70"), new byte[] {(byte) 128}, bytes(peerV6)))
                .containsEntry("Peer Hash", peerV6).containsEntry("Peer IP", "2001:db8:32::172")
                .containsEntry("Length", "128").containsEntry("isIPv4", "0")
                .containsEntry("AS Path", " 65540 65536 65537 65000").containsEntry("AS Path Count", "4")
                .containsEntry("Origin AS", "65000").containsEntry("Next Hop", "2001:db8:32::172")
                .containsEntry("isNextHopIPv4", "0")
                .containsEntry("Community List", "64496:20 64496:1001 64496:1033 64497:3 64499:70 64499:100")
                .containsEntry("Timestamp", "2023-05-26 13:34:18.196526");

        // The base attribute row the IPv4 route points at, and the RD-instance peer's row.
        Map<String, String> attr = only(rows(sessions, columns, OpenBmpParsedMessage.BASE_ATTRIBUTE), "Hash", attrV4,
                "Action", "add");
        assertThat(attr).containsEntry("Peer Hash", peerV4).containsEntry("AS Path", " 65538")
                .containsEntry("Next Hop", "192.0.31.162").containsEntry("Origin AS", "65538");
        Map<String, String> peer = only(rows(sessions, columns, OpenBmpParsedMessage.PEER), "Hash", peerV4,
                "Remote IP", "192.0.31.162", "Action", "up");
        // pmacct's decode of this Peer Up: AS 65538, BGP ID 192.0.2.62, local 192.0.31.155 port 34476, remote port 179
        assertThat(peer).containsEntry("Remote ASN", "65538").containsEntry("Remote BGP-ID", "192.0.2.62")
                .containsEntry("Local IP", "192.0.31.155").containsEntry("Local Port", "34476")
                .containsEntry("Remote Port", "179").containsEntry("isPrePolicy", "1")
                .containsEntry("Peer RD", "64499:74").containsEntry("isL3VPN", "1")
                .containsEntry("isIPv4", "1").containsEntry("isLocRib", "0").containsEntry("Router IP", routerIp);
        Map<String, String> router = rows(sessions, columns, OpenBmpParsedMessage.ROUTER).get(0);
        assertThat(router).containsEntry("Action", "init").containsEntry("Name", "ipf-zbl1843-r-daisy-55")
                .containsEntry("Hash", routerHash).containsEntry("IP Address", routerIp)
                .containsEntry("Description", " 7.4.1").containsEntry("Timestamp", RECEIVED_TEXT);
    }

    /**
     * Cisco VPNv4, Adj-RIB-In post-policy (capture 204): 192.0.2.11/32 in RD 2:4226809929:11 from
     * peer 203.0.113.28, label 24045, next hop 203.0.113.73, AS path 64496 4226809929 65000,
     * RT:64497:1, as pmacct decodes it.
     */
    @Test
    void l3vpnRouteOfARealCaptureMatchesTheSchemaAndOpenBmpsHash() throws IOException {
        Map<String, List<String>> columns = columns();
        List<Encoded> sessions = encodeCapture("204-BMP-CISCO-peer_down.pcap");
        List<Map<String, String>> vpn = rows(sessions, columns, OpenBmpParsedMessage.L3VPN);
        Map<String, String> row = vpn.stream().filter(r -> r.get("Prefix").equals("192.0.2.11")
                && r.get("Peer IP").equals("203.0.113.28") && r.get("isPrePolicy").equals("0")
                && r.get("Action").equals("add")).findFirst().orElseThrow();
        String routerHash = md5(row.get("Router IP") + md5(ADMIN));
        String peerHash = md5("203.0.113.28" + "0:0" + routerHash);
        assertThat(row).containsEntry("Peer Hash", peerHash).containsEntry("Length", "32").containsEntry("isIPv4", "1")
                .containsEntry("Route Distinguisher", "4226809929:11").containsEntry("RD Type", "2")
                .containsEntry("Labels", "24045").containsEntry("Next Hop", "203.0.113.73")
                .containsEntry("AS Path", " 64496 4226809929 65000").containsEntry("AS Path Count", "3")
                .containsEntry("Origin AS", "65000").containsEntry("Origin", "igp")
                .containsEntry("Community List", "64496:299 64496:1001 64496:1033 64497:1 64499:11")
                .containsEntry("Ext Community List", "rt=64497:1").containsEntry("isAdjIn", "1")
                .containsEntry("Timestamp", "2024-01-15 15:53:35.446284");
        // prefix, length byte, RD administrator and number, peer hash, label byte 1, RIB byte 2 (post-policy)
        assertThat(row.get("Hash")).isEqualTo(md5(bytes("192.0.2.11"), new byte[] {32},
                bytes("4226809929", "11", peerHash), new byte[] {1}, new byte[] {2}));
        assertThat(rows(sessions, columns, OpenBmpParsedMessage.UNICAST_PREFIX))
                .anySatisfy(r -> assertThat(r).containsEntry("Action", "del").containsEntry("Base Attr Hash", "")
                        .containsEntry("Origin", "").containsEntry("AS Path", ""));
    }

    // --- hand-built messages -------------------------------------------------------------------

    private static final String PEER = "192.0.2.9";
    private static final long PEER_AS = 65001;
    private static final long PEER_SECONDS = 1_700_000_100L;

    private static BmpBytes peerHeader() {
        return BmpBytes.body().peer(0, 0, 0, PEER, PEER_AS, "192.0.2.99", PEER_SECONDS, 42);
    }

    private static byte[] open(long as, int holdTime, int bgpId, AfiSafi family) {
        return BgpMessageEncoder.encode(OpenMessage.of(as, holdTime, bgpId,
                List.of(new Capability.Multiprotocol(family), new Capability.FourOctetAs(as))), PeerCapabilities.LEGACY);
    }

    @Test
    void routerPeerEvpnStatisticsAndCollectorRowsOfHandBuiltMessages() throws Exception {
        Map<String, List<String>> columns = columns();
        InetAddress router = InetAddress.getByName("198.51.100.1");
        OpenBmpParsedEncoder encoder = new OpenBmpParsedEncoder(ADMIN, router);
        String collectorHash = md5(ADMIN);
        String routerHash = md5("198.51.100.1" + collectorHash);
        String peerHash = md5(PEER + "0:0" + routerHash);
        String peerTime = "2023-11-14 22:15:00.000042";
        assertThat(encoder.routerHash()).isEqualTo(routerHash);
        assertThat(encoder.collectorHash()).isEqualTo(collectorHash);

        byte[] init = BmpBytes.body().tlv(InformationTlv.SYS_DESCR, "line one\nline\ttwo")
                .tlv(InformationTlv.SYS_NAME, "edge-1").tlv(InformationTlv.STRING, "hello").message(BmpMessage.INITIATION);
        OpenBmpParsedMessage routerMessage = single(encoder.encode(init, RECEIVED));
        checkHeader(routerMessage, collectorHash);
        assertThat(routerMessage.key()).isEqualTo(routerHash);
        assertThat(fields(columns, OpenBmpParsedMessage.ROUTER, routerMessage.rows()[0])).containsExactly(
                Map.entry("Action", "init"), Map.entry("Sequence", "0"), Map.entry("Name", "edge-1"),
                Map.entry("Hash", routerHash), Map.entry("IP Address", "198.51.100.1"),
                Map.entry("Description", "line one\\nline two"), Map.entry("Term Code", "0"),
                Map.entry("Term Reason", ""), Map.entry("Init Data", "hello"), Map.entry("Term Data", ""),
                Map.entry("Timestamp", RECEIVED_TEXT), Map.entry("BGP-ID", ""));

        byte[] up = peerHeader().localAddress("192.0.2.1").u16(179).u16(40000)
                .bytes(open(65000, 90, 0xC0000201, AfiSafi.L2VPN_EVPN))
                .bytes(open(PEER_AS, 180, 0xC0000263, AfiSafi.L2VPN_EVPN))
                .tlv(InformationTlv.VRF_TABLE_NAME, "blue").message(BmpMessage.PEER_UP);
        OpenBmpParsedMessage peerUp = single(encoder.encode(up, RECEIVED));
        checkHeader(peerUp, collectorHash);
        assertThat(peerUp.key()).isEqualTo(peerHash);
        Map<String, String> p = fields(columns, OpenBmpParsedMessage.PEER, peerUp.rows()[0]);
        assertThat(p).containsEntry("Action", "up").containsEntry("Sequence", "0").containsEntry("Hash", peerHash)
                .containsEntry("Router Hash", routerHash).containsEntry("Name", "")
                .containsEntry("Remote BGP-ID", "192.0.2.99").containsEntry("Router IP", "198.51.100.1")
                .containsEntry("Timestamp", peerTime).containsEntry("Remote ASN", "65001")
                .containsEntry("Remote IP", PEER).containsEntry("Peer RD", "0:0").containsEntry("Remote Port", "40000")
                .containsEntry("Local ASN", "65000").containsEntry("Local IP", "192.0.2.1")
                .containsEntry("Local Port", "179").containsEntry("Local BGP-ID", "192.0.2.1")
                .containsEntry("Info Data", "")
                .containsEntry("Adv Cap", "MPBGP (1) : afi=25 safi=70 : BGP EVPNs unknown, 4 Octet ASN (65)")
                .containsEntry("Remote Holddown", "180").containsEntry("Adv Holddown", "90")
                .containsEntry("BMP Reason", "").containsEntry("isL3VPN", "0").containsEntry("isPrePolicy", "1")
                .containsEntry("isIPv4", "1").containsEntry("isLocRib", "0").containsEntry("isLocRibFiltered", "0")
                .containsEntry("Table Name", "blue");

        // An EVPN MAC/IP route, then its withdrawal.
        EvpnRoute mac = new EvpnRoute.MacIpAdvertisement(-1, RouteDistinguisher.ofAs2(65000, 100),
                EthernetSegmentId.ZERO, 0, 0x001122334455L, InetAddress.getByName("10.0.0.5"), 1601, -1);
        UpdateMessage announce = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(PEER_AS), new PathAttribute.LocalPref(200),
                new PathAttribute.ExtendedCommunities(new long[] {0x0002FDE800000064L}),
                new PathAttribute.LargeCommunities(List.of(new net.rampart.wire.bgp.attr.LargeCommunity(65001, 1, 2))),
                new PathAttribute.MpReach(AfiSafi.L2VPN_EVPN, BmpBytes.literal("192.0.2.7"), List.<Nlri>of(mac))),
                List.of());
        List<OpenBmpParsedMessage> added = encoder.encode(peerHeader()
                .bytes(BgpMessageEncoder.encode(announce, PeerCapabilities.FOUR_OCTET_AS))
                .message(BmpMessage.ROUTE_MONITORING), RECEIVED);
        assertThat(added).extracting(OpenBmpParsedMessage::topic)
                .containsExactly(OpenBmpParsedMessage.BASE_ATTRIBUTE, OpenBmpParsedMessage.EVPN);
        String attrHash = md5(bytes(" 65001", "192.0.2.7", "", "igp"), le32(0), le32(200),
                bytes("", "rt=65000:100", peerHash));
        String esi = "0 000000000000000000";
        String evpnHash = md5(bytes(peerHash, "00:11:22:33:44:55", "10.0.0.5"), new byte[] {32},
                bytes(esi, "65000", "100"));
        OpenBmpParsedMessage evpn = added.get(1);
        checkHeader(evpn, collectorHash);
        assertThat(evpn.key()).isEqualTo(peerHash);
        Map<String, String> e = fields(columns, OpenBmpParsedMessage.EVPN, evpn.rows()[0]);
        assertThat(e).containsEntry("Action", "add").containsEntry("Sequence", "0").containsEntry("Hash", evpnHash)
                .containsEntry("Base Attr Hash", attrHash).containsEntry("Peer Hash", peerHash)
                .containsEntry("Peer IP", PEER).containsEntry("Peer ASN", "65001").containsEntry("Timestamp", peerTime)
                .containsEntry("Origin", "igp").containsEntry("AS Path", " 65001").containsEntry("Origin AS", "65001")
                .containsEntry("Next Hop", "192.0.2.7").containsEntry("Local Pref", "200")
                .containsEntry("Ext Community List", "rt=65000:100").containsEntry("Path ID", "0")
                .containsEntry("Route Distinguisher", "65000:100").containsEntry("Originating Router Ip Len", "0")
                .containsEntry("Ethernet Tag Id Hex", "00000000").containsEntry("Ethernet Segment Identifier", esi)
                .containsEntry("Mac Len", "48").containsEntry("Mac", "00:11:22:33:44:55").containsEntry("Ip Len", "32")
                .containsEntry("Ip", "10.0.0.5").containsEntry("MPLS Label 1", "1601").containsEntry("MPLS Label 2", "0")
                .containsEntry("Large Community List", "65001:1:2");
        assertThat(evpn.rows()[0].split("\t", -1)[28]).as("RD type, the second column named Route Distinguisher")
                .isEqualTo("0");
        assertThat(fields(columns, OpenBmpParsedMessage.BASE_ATTRIBUTE, added.get(0).rows()[0]))
                .containsEntry("Hash", attrHash).containsEntry("Local Pref", "200")
                .containsEntry("Large Community List", "65001:1:2");

        UpdateMessage withdraw = new UpdateMessage(List.of(),
                List.of(new PathAttribute.MpUnreach(AfiSafi.L2VPN_EVPN, List.<Nlri>of(mac))), List.of());
        OpenBmpParsedMessage deleted = single(encoder.encode(peerHeader()
                .bytes(BgpMessageEncoder.encode(withdraw, PeerCapabilities.FOUR_OCTET_AS))
                .message(BmpMessage.ROUTE_MONITORING), RECEIVED));
        Map<String, String> d = fields(columns, OpenBmpParsedMessage.EVPN, deleted.rows()[0]);
        assertThat(d).containsEntry("Action", "del").containsEntry("Sequence", "1").containsEntry("Hash", evpnHash)
                .containsEntry("Base Attr Hash", "").containsEntry("AS Path", "").containsEntry("Next Hop", "")
                .containsEntry("Mac", "00:11:22:33:44:55");

        byte[] stats = peerHeader().u32(3).u16(0).u16(4).u32(3).u16(7).u16(8).u64(1000).u16(9).u16(11).u16(1).u8(1)
                .u64(7).message(BmpMessage.STATISTICS_REPORT);
        OpenBmpParsedMessage stat = single(encoder.encode(stats, RECEIVED));
        assertThat(stat.rows()[0]).isEqualTo(String.join("\t", "add", "0", routerHash, "198.51.100.1", peerHash, PEER,
                "65001", peerTime, "3", "0", "0", "0", "0", "0", "0", "1000", "0"));

        byte[] down = peerHeader().u8(BmpMessage.PeerDown.LOCAL_NO_NOTIFICATION).u16(24).message(BmpMessage.PEER_DOWN);
        Map<String, String> pd = fields(columns, OpenBmpParsedMessage.PEER, single(encoder.encode(down, RECEIVED)).rows()[0]);
        assertThat(pd).containsEntry("Action", "down").containsEntry("Sequence", "1").containsEntry("Hash", peerHash)
                .containsEntry("BMP Reason", "2").containsEntry("BGP Error Code", "0")
                .containsEntry("Error Text", "Local (198.51.100.1) closed peer (192.0.2.9) session: fsm_event=24, "
                        + "No BGP notify message.").containsEntry("Remote Port", "").containsEntry("Table Name", "");

        // After the peer went down, a statistics report announces it again with action "first".
        List<OpenBmpParsedMessage> again = encoder.encode(stats, RECEIVED);
        assertThat(again).extracting(OpenBmpParsedMessage::topic)
                .containsExactly(OpenBmpParsedMessage.PEER, OpenBmpParsedMessage.BMP_STAT);
        assertThat(fields(columns, OpenBmpParsedMessage.PEER, again.get(0).rows()[0])).containsEntry("Action", "first")
                .containsEntry("Sequence", "2").containsEntry("Hash", peerHash).containsEntry("Remote IP", PEER)
                .containsEntry("Local ASN", "").containsEntry("isIPv4", "1");

        byte[] term = BmpBytes.body().u16(InformationTlv.TERMINATION_REASON).u16(2).u16(0)
                .message(BmpMessage.TERMINATION);
        Map<String, String> t = fields(columns, OpenBmpParsedMessage.ROUTER, single(encoder.encode(term, RECEIVED)).rows()[0]);
        assertThat(t).containsEntry("Action", "term").containsEntry("Sequence", "1").containsEntry("Term Code", "0")
                .containsEntry("Term Reason", "Remote session administratively closed").containsEntry("Name", "");
        assertThat(fields(columns, OpenBmpParsedMessage.ROUTER, encoder.connectionClosed(RECEIVED).rows()[0]))
                .containsEntry("Sequence", "2").containsEntry("Term Code", "65533")
                .containsEntry("Term Reason", "Connection closed");

        OpenBmpParsedMessage collector = OpenBmpParsedEncoder.collector(ADMIN,
                OpenBmpParsedEncoder.CollectorAction.HEARTBEAT, 7,
                List.of(router, InetAddress.getByName("2001:db8::1")), RECEIVED);
        checkHeader(collector, collectorHash);
        assertThat(collector.key()).isEqualTo(collectorHash);
        assertThat(fields(columns, OpenBmpParsedMessage.COLLECTOR, collector.rows()[0])).containsExactly(
                Map.entry("Action", "heartbeat"), Map.entry("Sequence", "7"), Map.entry("Admin Id", ADMIN),
                Map.entry("Hash", collectorHash), Map.entry("Routers", "198.51.100.1, 2001:db8::1"),
                Map.entry("Router Count", "2"), Map.entry("Timestamp", RECEIVED_TEXT));
    }

    @Test
    void aLocRibPeerHashesItsKindAndAPostPolicyRouteItsRibView() throws Exception {
        OpenBmpParsedEncoder encoder = new OpenBmpParsedEncoder(ADMIN, InetAddress.getByName("2001:db8::1"));
        String routerHash = md5("2001:db8::1" + md5(ADMIN));
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.EGP),
                new PathAttribute.AsPath(List.of(net.rampart.wire.bgp.attr.AsPathSegment.sequence(65010),
                        net.rampart.wire.bgp.attr.AsPathSegment.of(net.rampart.wire.bgp.attr.AsPathSegment.Type.AS_SET,
                                65020, 65030))),
                new PathAttribute.NextHop(0xC0000207), new PathAttribute.MultiExitDisc(5),
                new PathAttribute.Aggregator(65030, 0x0A000001), new PathAttribute.AtomicAggregate(),
                new PathAttribute.OriginatorId(0x0A000002), new PathAttribute.ClusterList(new int[] {0x0A000003, 0x0A000004})),
                List.of(new net.rampart.wire.bgp.nlri.UnicastNlri(net.rampart.wire.ip.Ipv4Prefix.parse("10.9.0.0/16"))));
        byte[] locRib = BmpBytes.body().peer(3, 0, 0, "0.0.0.0", 65000, "192.0.2.1", 10, 0)
                .bytes(BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS)).message(BmpMessage.ROUTE_MONITORING);
        List<OpenBmpParsedMessage> out = encoder.encode(locRib, RECEIVED);
        assertThat(out).extracting(OpenBmpParsedMessage::topic).containsExactly(OpenBmpParsedMessage.PEER,
                OpenBmpParsedMessage.BASE_ATTRIBUTE, OpenBmpParsedMessage.UNICAST_PREFIX);
        String peerHash = md5(bytes("::", "0:0", routerHash), new byte[] {(byte) 0x80});
        Map<String, List<String>> columns = columns();
        assertThat(fields(columns, OpenBmpParsedMessage.PEER, out.get(0).rows()[0])).containsEntry("Hash", peerHash)
                .containsEntry("Remote IP", "::").containsEntry("isLocRib", "1").containsEntry("isIPv4", "0")
                .containsEntry("isPrePolicy", "0").containsEntry("Timestamp", RECEIVED_TEXT);
        Map<String, String> route = fields(columns, OpenBmpParsedMessage.UNICAST_PREFIX, out.get(2).rows()[0]);
        assertThat(route).containsEntry("AS Path", " 65010 { 65020 65030 }").containsEntry("AS Path Count", "3")
                .containsEntry("Origin AS", "65030").containsEntry("Origin", "egp").containsEntry("MED", "5")
                .containsEntry("Aggregator", "65030 10.0.0.1").containsEntry("isAtomicAgg", "1")
                .containsEntry("Originator Id", "10.0.0.2").containsEntry("Cluster List", "10.0.0.3 10.0.0.4 ")
                .containsEntry("isPrePolicy", "0").containsEntry("isAdjIn", "0");
        // Loc-RIB is neither Adj-RIB-In (1) nor pre-policy (2): RIB byte 3.
        assertThat(route.get("Hash")).isEqualTo(md5(bytes("10.9.0.0"), new byte[] {16}, bytes(peerHash), new byte[] {3}));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static OpenBmpParsedMessage single(List<OpenBmpParsedMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private static byte[] bytes(String... parts) {
        return String.join("", parts).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static String md5(String text) {
        return md5(bytes(text));
    }

    private static String md5(byte[]... parts) {
        try {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                all.write(p);
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(all.toByteArray()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
