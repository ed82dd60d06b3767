package net.rampart.wire.openbmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpMessageDecoder;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;

class OpenBmpRawFrameTest {

    /** Frames recorded from RouteViews' OpenBMP feed (see the test data's README). */
    private static byte[] recorded(String name) throws IOException {
        return Files.readAllBytes(TestData.folder("openbmp").resolve(name));
    }

    @Test
    void aRecordedPeerDownFrameDecodesToItsCollectorRouterAndMessage() throws Exception {
        OpenBmpRawFrame frame = OpenBmpRawFrame.decode(recorded("bgpkit-parser-route-views5-peer-down.bin"));

        assertThat(frame.adminId()).isEqualTo("is-cc-bmp1");
        assertThat(frame.routerGroup()).isEqualTo("route-views5");
        assertThat(frame.router()).isEqualTo(InetAddress.getByName("128.223.51.105"));
        assertThat(frame.collectedAt()).isBetween(Instant.parse("2021-11-05T04:57:38Z"),
                Instant.parse("2021-11-05T04:57:39Z"));
        BmpMessage.PeerDown down = (BmpMessage.PeerDown) BmpMessageDecoder.decode(frame.bmpMessage());
        assertThat(down.peer().address()).isEqualTo(InetAddress.getByName("63.218.6.14"));
        assertThat(down.peer().peerAs()).isEqualTo(3491);
        assertThat(down.reason()).isEqualTo(2);
    }

    @Test
    void aRecordedRouteMonitoringFrameCarriesTheRouteOfItsUpdate() throws Exception {
        OpenBmpRawFrame frame = OpenBmpRawFrame.decode(recorded("bgpkit-parser-linx-route-monitoring.bin"));

        assertThat(frame.adminId()).isEqualTo("is-ah-bmp1");
        assertThat(frame.routerGroup()).isEqualTo("linx");
        assertThat(frame.router()).isEqualTo(InetAddress.getByName("195.66.241.146"));
        BmpMessage.RouteMonitoring monitoring = (BmpMessage.RouteMonitoring) BmpMessageDecoder.decode(frame.bmpMessage());
        assertThat(monitoring.peer().address()).isEqualTo(InetAddress.getByName("2001:7f8:4::1aae:4"));
        assertThat(monitoring.peer().peerAs()).isEqualTo(6830);
        assertThat(monitoring.update().mpReach().orElseThrow().nlri())
                .containsExactly(new UnicastNlri(Nlri.NO_PATH_ID, IpPrefix.parse("2a0f:ca80:1::/48")));
        assertThat(monitoring.update().attribute(PathAttribute.AsPath.class).orElseThrow())
                .isEqualTo(PathAttribute.AsPath.sequence(6447, 6830, 9002, 207083, 208046));
    }

    @Test
    void theRecordedHashesAreTheMd5OfTheAdminIdAndOfTheRoutersAddress() throws Exception {
        for (String name : new String[] {"bgpkit-parser-route-views5-peer-down.bin",
                "bgpkit-parser-linx-route-monitoring.bin", "go-openbmp-route-views2-peer-down.bin"}) {
            OpenBmpRawFrame frame = OpenBmpRawFrame.decode(recorded(name));
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            assertThat(frame.collectorHash()).as(name)
                    .isEqualTo(md5.digest(frame.adminId().getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(OpenBmpHashes.collector(frame.adminId()));
            assertThat(frame.routerHash()).as(name)
                    .isEqualTo(md5.digest(frame.router().getAddress()))
                    .isEqualTo(OpenBmpHashes.router(frame.router()));
        }
    }

    @Test
    void theEncoderWritesTheRecordedFramesByteForByte() throws Exception {
        for (String name : new String[] {"bgpkit-parser-route-views5-peer-down.bin",
                "bgpkit-parser-linx-route-monitoring.bin", "go-openbmp-route-views2-peer-down.bin"}) {
            byte[] recorded = recorded(name);
            OpenBmpRawFrame frame = OpenBmpRawFrame.decode(recorded);
            Instant at = frame.collectedAt();
            long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;

            OpenBmpRawEncoder encoder = new OpenBmpRawEncoder(frame.adminId(), frame.router(), frame.routerGroup());
            byte[] encoded = encoder.frame(micros, frame.bmpMessage(), 0, frame.bmpMessage().length);

            // Two of the recordings end with a newline after the frame.
            assertThat(encoded).as(name).isEqualTo(Arrays.copyOf(recorded, encoded.length));
            assertThat(recorded.length - encoded.length).as(name).isBetween(0, 1);
            assertThat(encoder.routerHash()).isEqualTo(frame.routerHash());
        }
    }

    @Test
    void anIpv6RoutersFrameIsFlaggedAndReadBack() throws Exception {
        InetAddress router = InetAddress.getByName("2001:db8::1");
        byte[] bmp = initiation();
        OpenBmpRawEncoder encoder = new OpenBmpRawEncoder("collector-1", router, "");
        byte[] encoded = encoder.frame(1_700_000_000_123_456L, bmp, 0, bmp.length);

        assertThat(encoded[12] & 0xFF).isEqualTo(OpenBmpRawFrame.FLAG_ROUTER | OpenBmpRawFrame.FLAG_IPV6);
        OpenBmpRawFrame frame = OpenBmpRawFrame.decode(encoded);
        assertThat(frame.router()).isEqualTo(router);
        assertThat(frame.routerGroup()).isEmpty();
        assertThat(frame.adminId()).isEqualTo("collector-1");
        assertThat(frame.collectedAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20.123456Z"));
        assertThat(frame.bmpMessage()).isEqualTo(bmp);
        assertThat(BmpMessageDecoder.decode(frame.bmpMessage())).isInstanceOf(BmpMessage.Initiation.class);
    }

    @Test
    void everyMalformedHeaderFieldIsNamed() throws Exception {
        byte[] bmp = initiation();
        byte[] valid = new OpenBmpRawEncoder("c", InetAddress.getByName("192.0.2.1"), "g").frame(0, bmp, 0, bmp.length);
        int headerLength = valid.length - bmp.length;

        assertRefused(valid, f -> f[0] = 'X', "magic");
        assertRefused(valid, f -> f[5] = 6, "version 1.6");
        assertRefused(valid, f -> f[12] = 0, "lack 0x80");
        assertRefused(valid, f -> f[13] = 0, "object type 0");
        assertRefused(valid, f -> f[18] = (byte) 0xFF, "microseconds");
        assertRefused(valid, f -> f[headerLength - 1] = 2, "one row, not 2");
        assertRefused(valid, f -> f[7]++, "header length says");
        assertRefused(valid, f -> f[11]++, "BMP message length");
        assertRefused(valid, f -> f[headerLength + 4]++, "the BMP message says");
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertThatThrownBy(() -> OpenBmpRawFrame.decode(truncated)).isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void anAdminIdAndGroupTooLongForTheHeaderAreRefusedAtConstruction() throws Exception {
        String group = "g".repeat(0xFFFF);
        assertThatThrownBy(() -> new OpenBmpRawEncoder("c", InetAddress.getByName("192.0.2.1"), group))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin id and router group");
    }

    private static void assertRefused(byte[] valid, Consumer<byte[]> damage, String message) {
        byte[] frame = valid.clone();
        damage.accept(frame);
        assertThatThrownBy(() -> OpenBmpRawFrame.decode(frame))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining(message);
    }

    /** A BMP Initiation message with one sysName TLV. */
    private static byte[] initiation() {
        byte[] name = "router-1".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(6 + 4 + name.length)
                .put((byte) 3).putInt(6 + 4 + name.length).put((byte) 4)
                .putShort((short) 2).putShort((short) name.length).put(name)
                .array();
    }

    @Test
    void hashesAreHexOfMd5() {
        assertThat(HexFormat.of().formatHex(OpenBmpHashes.collector("is-ah-bmp1")))
                .isEqualTo("fef880938d19e9d632c815d1e95a87e1");
    }
}
