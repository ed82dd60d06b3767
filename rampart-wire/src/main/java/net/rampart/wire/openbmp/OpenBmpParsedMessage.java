package net.rampart.wire.openbmp;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One value of an OpenBMP v1.7 parsed topic, ready to publish: the topic's name after the
 * prefix ({@code parsed.unicast_prefix} goes to {@code openbmp.parsed.unicast_prefix} under the
 * default prefix), the record key as OpenBMP keys it (a 32-digit lower-case hex hash), and the
 * value: the text header {@code V: 1.7\nC_HASH_ID: …\nT: …\nL: …\nR: …\n\n} and then its rows,
 * each a line of tab-separated fields in the schema's order.
 *
 * <p>The value array is the message's own; a record of arrays compares it by identity.
 *
 * @param topic the topic's name after the prefix, such as {@code parsed.peer}
 * @param key   the record key: collector hash, router hash or peer hash by topic
 * @param value the UTF-8 text of header and rows
 */
public record OpenBmpParsedMessage(String topic, String key, byte[] value) {

    public static final String COLLECTOR = "parsed.collector";
    public static final String ROUTER = "parsed.router";
    public static final String PEER = "parsed.peer";
    public static final String BASE_ATTRIBUTE = "parsed.base_attribute";
    public static final String UNICAST_PREFIX = "parsed.unicast_prefix";
    public static final String L3VPN = "parsed.l3vpn";
    public static final String EVPN = "parsed.evpn";
    public static final String BMP_STAT = "parsed.bmp_stat";

    public OpenBmpParsedMessage {
        Objects.requireNonNull(topic);
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
    }

    /** The value as text. */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The rows without the header, each without its line end. */
    public String[] rows() {
        String text = text();
        int body = text.indexOf("\n\n");
        String rows = text.substring(body + 2);
        if (rows.isEmpty()) {
            return new String[0];
        }
        return rows.substring(0, rows.length() - 1).split("\n", -1);
    }

    /** Builds the value from the collector hash, the header's topic name ({@code T}) and the rows. */
    static OpenBmpParsedMessage of(String topic, String key, String collectorHash, CharSequence rows, int rowCount) {
        byte[] body = rows.toString().getBytes(StandardCharsets.UTF_8);
        String header = "V: 1.7\nC_HASH_ID: " + collectorHash + "\nT: " + topic.substring(topic.indexOf('.') + 1)
                + "\nL: " + body.length + "\nR: " + rowCount + "\n\n";
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[head.length + body.length];
        System.arraycopy(head, 0, value, 0, head.length);
        System.arraycopy(body, 0, value, head.length, body.length);
        return new OpenBmpParsedMessage(topic, key, value);
    }
}
