package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.bgp.ErrorAction;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's BMP and BGP dissectors, run by tshark over {@link RouterLikeBmp}'s cases written
 * as a capture, and our decoder read the same messages: the same message types, and the same
 * routes where tshark reads them. Where tshark 4.0 cannot follow (TLVs after the UPDATE), or
 * guesses where RFC 7854 says what to do (the AS number size), the test states the difference.
 */
class RouterLikeBmpTsharkIT {
    private static final int PORT = 11019;

    @TempDir
    Path work;

    /** One frame of tshark's view: BMP type, IPv4 prefixes, path ids, IPv6 prefixes, AS path (4- and 2-octet), expert messages. */
    private record Frame(String type, String ipv4, String pathIds, String ipv6, String as4, String as2, String expert) {
    }

    private List<Frame> tshark(List<byte[]> messages) throws Exception {
        assumeTrue(Daemon.onPath("tshark"), "skipped: tshark is not installed");
        Path pcap = work.resolve("case.pcap");
        PcapWriter.write(pcap, new byte[] {127, 0, 0, 2}, new byte[] {127, 0, 0, 1}, PORT, messages);
        String out = Daemon.run(work, List.of("tshark", "-r", pcap.toString(), "-d", "tcp.port==" + PORT + ",bmp",
                "-T", "fields", "-e", "bmp.type", "-e", "bgp.nlri_prefix", "-e", "bgp.nlri_path_id",
                "-e", "bgp.mp_reach_nlri_ipv6_prefix", "-e", "bgp.update.path_attribute.as_path_segment.as4",
                "-e", "bgp.update.path_attribute.as_path_segment.as2", "-e", "_ws.expert.message",
                "-E", "occurrence=a", "-E", "aggregator=,"));
        List<Frame> frames = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 7 || f[0].isEmpty()) {
                continue; // the SYN, and tshark's notes
            }
            frames.add(new Frame(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
        }
        assertThat(frames).as("one frame per message").hasSize(messages.size());
        return frames;
    }

    private static List<BmpMessage> ours(List<byte[]> messages) {
        BmpSession session = new BmpSession();
        return messages.stream().map(session::decode).toList();
    }

    private static void sameTypes(List<Frame> tshark, List<BmpMessage> ours) {
        assertThat(tshark).extracting(Frame::type).containsExactlyElementsOf(
                ours.stream().map(m -> Integer.toString(m.type())).toList());
    }

    private static BmpMessage.RouteMonitoring monitoring(List<BmpMessage> ours, int index) {
        return (BmpMessage.RouteMonitoring) ours.get(index);
    }

    @Test
    void tlvsAfterTheUpdate() throws Exception {
        List<byte[]> messages = RouterLikeBmp.tlvsAfterTheUpdate();
        List<Frame> tshark = tshark(messages);
        List<BmpMessage> ours = ours(messages);
        sameTypes(tshark, ours);
        BmpMessage.RouteMonitoring rm = monitoring(ours, 2);
        assertThat(tshark.get(2).ipv4()).isEqualTo("10.1.0.0");
        assertThat(rm.update().announced()).containsExactly(new UnicastNlri(
                Ipv4Prefix.parse(RouterLikeBmp.TLV_CASE_PREFIX)));
        // tshark 4.0 knows no TLVs after the UPDATE and reads them as a broken second BGP message;
        // we read them as TLVs.
        assertThat(tshark.get(2).expert()).contains("Marker is not all ones");
        assertThat(rm.vrfTableName()).isEqualTo(RouterLikeBmp.TLV_CASE_VRF);
        assertThat(rm.unknownTlvCount()).isEqualTo(1);
        assertThat(rm.hasMalformedTrailer()).isFalse();
    }

    @Test
    void perFamilyPeerUps() throws Exception {
        List<byte[]> messages = RouterLikeBmp.perFamilyPeerUps();
        List<Frame> tshark = tshark(messages);
        List<BmpMessage> ours = ours(messages);
        sameTypes(tshark, ours);
        // tshark guesses ADD-PATH from the bytes; we know it from the first Peer Up. Same routes.
        for (int i = 3; i <= 4; i++) {
            UnicastNlri route = (UnicastNlri) monitoring(ours, i).update().announced().get(0);
            Ipv4Prefix prefix = (Ipv4Prefix) route.prefix();
            assertThat(tshark.get(i).ipv4() + " path " + tshark.get(i).pathIds())
                    .isEqualTo(Ipv4Prefix.formatAddress(prefix.address()) + " path " + route.pathId());
            assertThat(monitoring(ours, i).update().errors()).isEmpty();
        }
        assertThat(tshark.get(5).ipv6()).isEqualTo("2001:db8:2::");
        assertThat(monitoring(ours, 5).update().mpReach().orElseThrow().nlri()).hasSize(1);
    }

    @Test
    void vpnv4WithSixteenByteNextHop() throws Exception {
        List<byte[]> messages = RouterLikeBmp.vpnv4WithSixteenByteNextHop();
        List<Frame> tshark = tshark(messages);
        List<BmpMessage> ours = ours(messages);
        sameTypes(tshark, ours);
        assertThat(tshark.get(2).expert()).contains("Unknown Next Hop length (16 bytes)");
        assertThat(monitoring(ours, 2).update().errors()).extracting(UpdateError::attributeType, UpdateError::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PathAttribute.MP_REACH_NLRI, ErrorAction.TREAT_AS_WITHDRAW));
    }

    @Test
    void twoOctetAsPathOnFourOctetSession() throws Exception {
        List<byte[]> messages = RouterLikeBmp.twoOctetAsPathOnFourOctetSession();
        List<Frame> tshark = tshark(messages);
        List<BmpMessage> ours = ours(messages);
        sameTypes(tshark, ours);
        // tshark guesses the 2-octet form from the bytes. RFC 7854 section 4.2 says the A flag
        // decides, and it says 4-octet: the AS_PATH is malformed, the route treated as withdrawn
        // (which the collector counts and explains).
        assertThat(tshark.get(2).as2()).isEqualTo("65001,65002");
        assertThat(tshark.get(2).ipv4()).isEqualTo("10.4.0.0");
        assertThat(monitoring(ours, 2).update().errors()).extracting(UpdateError::attributeType, UpdateError::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PathAttribute.AS_PATH, ErrorAction.TREAT_AS_WITHDRAW));
    }
}
