package net.rampart.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 5424 messages, byte for byte, and both transports against real sockets on the loopback address. */
class SyslogMessageTest {

    private static final Instant TIME = Instant.parse("2026-12-01T10:00:00.123456Z");

    private static SyslogMessage message(Map<String, String> params, String text) {
        return new SyslogMessage(16, SyslogMessage.WARNING, TIME, "rampart1.example.net", "rampart", "4242",
                "alert_opened", "alert@32473", params, text);
    }

    @Test
    void encodesTheHeaderStructuredDataAndMessageAsRfc5424Says() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", "42");
        params.put("prefix", "192.0.2.0/24");
        assertThat(new String(message(params, "AS64666 originates 192.0.2.0/24").encode(), StandardCharsets.UTF_8))
                .isEqualTo("<132>1 2026-12-01T10:00:00.123Z rampart1.example.net rampart 4242 alert_opened"
                        + " [alert@32473 id=\"42\" prefix=\"192.0.2.0/24\"] AS64666 originates 192.0.2.0/24");
    }

    @Test
    void escapesParameterValuesAndKeepsHeaderFieldsPrintableAndShort() {
        SyslogMessage m = new SyslogMessage(23, SyslogMessage.NOTICE, TIME, "host name\n", "", "1".repeat(200),
                "x".repeat(40), "alert@32473", Map.of("note", "a \"quoted\" [x] back\\slash"), "");
        assertThat(new String(m.encode(), StandardCharsets.UTF_8)).isEqualTo("<189>1 2026-12-01T10:00:00.123Z"
                + " host_name_ - " + "1".repeat(128) + " " + "x".repeat(32)
                + " [alert@32473 note=\"a \\\"quoted\\\" [x\\] back\\\\slash\"]");
    }

    @Test
    void refusesAFacilityOrSeverityOutOfRange() {
        assertThatThrownBy(() -> new SyslogMessage(24, 0, TIME, "h", "a", "p", "m", "s@1", Map.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyslogMessage(0, 8, TIME, "h", "a", "p", "m", "s@1", Map.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overUdpEachMessageIsOneDatagram() throws Exception {
        byte[] sent = message(Map.of("id", "1"), "über alles").encode();
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(10_000);
            SyslogMessage.sendUdp("127.0.0.1", receiver.getLocalPort(), sent);
            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            receiver.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(sent, StandardCharsets.UTF_8)).endsWith("] über alles");
        }
    }

    @Test
    void overTcpTheMessageIsFramedByItsOctetCount() throws Exception {
        byte[] sent = message(Map.of("id", "1"), "two\nlines, über").encode();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            SyslogMessage.sendTcp("127.0.0.1", server.getLocalPort(), sent, Duration.ofSeconds(10));
            try (Socket connection = server.accept()) {
                connection.setSoTimeout(10_000);
                byte[] stream = readAll(connection.getInputStream());
                String prefix = sent.length + " ";
                assertThat(new String(stream, 0, prefix.length(), StandardCharsets.US_ASCII)).isEqualTo(prefix);
                assertThat(stream).hasSize(prefix.length() + sent.length)
                        .endsWith(sent);
            }
        }
    }

    @Test
    void aTcpReceiverThatIsNotThereIsAnError() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> SyslogMessage.sendTcp("127.0.0.1", port, new byte[] {'x'}, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
