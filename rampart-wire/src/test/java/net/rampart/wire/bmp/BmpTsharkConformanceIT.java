package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's BMP dissector, run by tshark over the real captures, and our decoder agree
 * field by field on every message: message type, peer type, peer flags, peer address, peer
 * AS, BGP ID, timestamps, and every statistics counter.
 */
class BmpTsharkConformanceIT {

    @TempDir
    Path work;

    @Test
    void tsharkAndDecoderAgreeOnEveryMessage() throws Exception {
        List<Path> captures = BmpCaptures.captures();
        assumeTrue(Daemon.onPath("tshark"), "skipped: tshark is not installed");
        int compared = 0;
        for (Path capture : captures) {
            Map<String, List<String>> tshark = tsharkView(capture);
            Map<String, List<String>> ours = new LinkedHashMap<>();
            for (BmpCaptures.Session s : BmpCaptures.sessions(capture)) {
                List<String> list = ours.computeIfAbsent(s.stream().sourcePort() + ">" + s.stream().destinationPort(),
                        k -> new ArrayList<>());
                BmpSession state = new BmpSession();
                for (byte[] m : s.messages()) {
                    list.add(fingerprint(state.decode(m)));
                }
            }
            assertThat(ours.keySet()).as("streams in %s", capture.getFileName()).isEqualTo(tshark.keySet());
            for (String stream : ours.keySet()) {
                assertThat(ours.get(stream)).as("messages of %s in %s", stream, capture.getFileName())
                        .containsExactlyElementsOf(tshark.get(stream));
                compared += ours.get(stream).size();
            }
        }
        assertThat(compared).isPositive();
    }

    private static String fingerprint(BmpMessage message) {
        StringBuilder sb = new StringBuilder("type=").append(message.type());
        if (message instanceof BmpMessage.PeerMessage pm) {
            PerPeerHeader p = pm.peer();
            sb.append(" peerType=").append(p.peerType())
                    .append(" flags=").append(p.flags())
                    .append(" addr=").append(address(p.peerType(), p.address().getHostAddress()))
                    .append(" as=").append(p.peerAs())
                    .append(" id=").append(p.bgpId().getHostAddress())
                    .append(" ts=").append(p.timestampSeconds()).append('.').append(p.timestampMicroseconds());
        }
        if (message instanceof BmpMessage.StatisticsReport sr) {
            sb.append(" stats=[");
            for (Statistic s : sr.statistics()) {
                sb.append(s.type()).append(':');
                if (s.isPerAfiSafi()) {
                    sb.append(s.afi()).append('/').append(s.safi()).append('/');
                }
                sb.append(s.hasValue() ? Long.toUnsignedString(s.value()) : HexFormat.of().formatHex(s.raw())).append(' ');
            }
            sb.append(']');
        }
        if (message instanceof BmpMessage.PeerDown pd) {
            sb.append(" reason=").append(pd.reason());
        }
        return sb.toString();
    }

    /** Per TCP stream ("srcport>dstport"), the fingerprint of every BMP message tshark dissected. */
    private Map<String, List<String>> tsharkView(Path capture) throws Exception {
        Path pdml = work.resolve(capture.getFileName() + ".pdml");
        Process tshark = new ProcessBuilder("tshark", "-r", capture.toString(), "-d", "tcp.port==1790,bmp", "-T", "pdml")
                .redirectOutput(pdml.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(tshark.waitFor(120, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        } finally {
            tshark.destroyForcibly();
        }
        assertThat(tshark.exitValue()).as("tshark exit status").isZero();
        Map<String, List<String>> view = new LinkedHashMap<>();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        try (InputStream in = Files.newInputStream(pdml)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            String srcPort = null;
            String dstPort = null;
            Map<String, String> fields = null;
            StringBuilder stats = null;
            String statType = null;
            int bmpDepth = -1;
            int depth = 0;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String element = xml.getLocalName();
                    String name = xml.getAttributeValue(null, "name");
                    String show = xml.getAttributeValue(null, "show");
                    if (element.equals("packet")) {
                        srcPort = null;
                        dstPort = null;
                    } else if ("tcp.srcport".equals(name)) {
                        srcPort = show;
                    } else if ("tcp.dstport".equals(name)) {
                        dstPort = show;
                    } else if (element.equals("proto") && "bmp".equals(name) && bmpDepth < 0) {
                        bmpDepth = depth;
                        fields = new LinkedHashMap<>();
                        stats = new StringBuilder();
                    } else if (bmpDepth > 0 && name != null && name.startsWith("bmp.")) {
                        if (name.equals("bmp.stats.type")) {
                            statType = show;
                        } else if (name.equals("bmp.stats.data")) {
                            stats.append(statValue(statType, show)).append(' ');
                        } else {
                            fields.putIfAbsent(name, show);
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (depth == bmpDepth) {
                        view.computeIfAbsent(srcPort + ">" + dstPort, k -> new ArrayList<>())
                                .add(tsharkFingerprint(fields, stats));
                        bmpDepth = -1;
                    }
                    depth--;
                }
            }
        }
        return view;
    }

    private static String statValue(String type, String hexShow) {
        byte[] data = HexFormat.ofDelimiter(":").parseHex(hexShow);
        HexFormat hex = HexFormat.of();
        return type + ":" + switch (data.length) {
            case 4 -> Long.toString(Long.parseLong(hex.formatHex(data), 16));
            case 8 -> Long.toUnsignedString(Long.parseUnsignedLong(hex.formatHex(data), 16));
            case 11 -> Integer.parseInt(hex.formatHex(data, 0, 2), 16) + "/" + (data[2] & 0xff) + "/"
                    + Long.toUnsignedString(Long.parseUnsignedLong(hex.formatHex(data, 3, 11), 16));
            default -> hex.formatHex(data);
        };
    }

    private static String tsharkFingerprint(Map<String, String> f, StringBuilder stats) {
        StringBuilder sb = new StringBuilder("type=").append(f.get("bmp.type"));
        if (f.containsKey("bmp.peer.type")) {
            String address = f.containsKey("bmp.peer.ipv6.addr") ? f.get("bmp.peer.ipv6.addr") : f.get("bmp.peer.ip.addr");
            sb.append(" peerType=").append(f.get("bmp.peer.type"))
                    .append(" flags=").append(Integer.decode(f.get("bmp.peer.flags")))
                    .append(" addr=").append(address(Integer.parseInt(f.get("bmp.peer.type")), literal(address)))
                    .append(" as=").append(f.get("bmp.peer.asn"))
                    .append(" id=").append(f.get("bmp.peer.id"))
                    // Wireshark 4.0 labels the microseconds field "msec"; it is the same four octets.
                    .append(" ts=").append(f.get("bmp.peer.timestamp.sec")).append('.').append(f.get("bmp.peer.timestamp.msec"));
        }
        if ("1".equals(f.get("bmp.type"))) {
            sb.append(" stats=[").append(stats).append(']');
        }
        if (f.containsKey("bmp.peer.down.reason")) {
            sb.append(" reason=").append(f.get("bmp.peer.down.reason"));
        }
        return sb.toString();
    }

    /**
     * A Loc-RIB instance peer (RFC 9069) has a zero-filled address, and its F flag is the bit
     * that means IPv6 for other peer types: Wireshark 4.0 prints it as {@code ::}, we decode it
     * as {@code 0.0.0.0} (as pmacct does). Both mean "no peer address".
     */
    private static String address(int peerType, String text) {
        return peerType == PerPeerHeader.LOC_RIB_INSTANCE && (text.equals("0:0:0:0:0:0:0:0") || text.equals("0.0.0.0"))
                ? "unspecified" : text;
    }

    /** Canonical text of an address literal (never a name lookup: tshark prints literals). */
    private static String literal(String address) {
        try {
            return java.net.InetAddress.getByName(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("tshark printed an address that is not a literal: " + address, e);
        }
    }
}
