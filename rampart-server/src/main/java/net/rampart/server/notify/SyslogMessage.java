package net.rampart.server.notify;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One RFC 5424 syslog message, and the two ways to send it: a UDP datagram each (RFC 5426) or
 * a TCP stream with octet-counting framing (RFC 6587). Header fields are kept within what the
 * RFC allows them (printable US-ASCII, their maximum lengths), so a name from a config file
 * cannot break a receiver's parsing.
 *
 * @param facility 0 to 23
 * @param severity 0 (emergency) to 7 (debug)
 * @param sdId     the SD-ID of the one structured-data element, {@code name@enterprise-number}
 * @param params   its parameters, in order; values are UTF-8, escaped as RFC 5424 says
 * @param text     the MSG, UTF-8 without a BOM; may be empty
 */
public record SyslogMessage(int facility, int severity, Instant time, String hostname, String appName,
                            String procId, String msgId, String sdId, Map<String, String> params, String text) {

    public static final int EMERGENCY = 0;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;

    /** RFC 3339 as RFC 5424 restricts it: UTC, at most 6 fraction digits; here always 3. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    public SyslogMessage {
        if (facility < 0 || facility > 23 || severity < 0 || severity > 7) {
            throw new IllegalArgumentException("facility " + facility + " or severity " + severity + " out of range");
        }
    }

    /** The message as RFC 5424's SYSLOG-MSG, without any framing. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder(256);
        out.append('<').append(facility * 8 + severity).append(">1 ")
                .append(TIMESTAMP.format(time.truncatedTo(ChronoUnit.MILLIS))).append(' ')
                .append(field(hostname, 255)).append(' ')
                .append(field(appName, 48)).append(' ')
                .append(field(procId, 128)).append(' ')
                .append(field(msgId, 32)).append(' ');
        out.append('[').append(sdName(sdId));
        params.forEach((name, value) -> out.append(' ').append(sdName(name)).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]")).append('"'));
        out.append(']');
        if (!text.isEmpty()) {
            out.append(' ').append(text);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A header field: printable US-ASCII (anything else becomes '_'), at most {@code max}; "-" when empty. */
    private static String field(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '_');
        }
        return out.toString();
    }

    /** An SD-NAME: a header field of at most 32 that has no '=', ']' or '"' either. */
    private static String sdName(String name) {
        return field(name, 32).replace('=', '_').replace(']', '_').replace('"', '_');
    }

    /** One datagram, as RFC 5426 says; a receiver that is not there is not noticed, as with any UDP. */
    public static void sendUdp(String host, int port, byte[] message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(message, message.length, InetAddress.getByName(host), port));
        }
    }

    /**
     * One connection per message, framed by octet counting ({@code LENGTH SP SYSLOG-MSG}), so a
     * receiver never mistakes a newline inside a message for its end.
     */
    public static void sendTcp(String host, int port, byte[] message, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(message);
            out.flush();
            // An orderly close: the receiver reads the whole message before it sees the end.
            socket.shutdownOutput();
        }
    }

    /** This host's name as syslog receivers want it: fully qualified when the resolver knows it, else "-". */
    public static String localHostname() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.isEmpty() ? "-" : name;
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
