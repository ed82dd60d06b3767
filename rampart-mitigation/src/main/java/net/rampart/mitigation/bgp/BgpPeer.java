package net.rampart.mitigation.bgp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.Asn;
import net.rampart.wire.ip.AddressText;

/**
 * A router Rampart sends FlowSpec to.
 *
 * @param port the router's BGP port (179), for active sessions
 */
public record BgpPeer(InetAddress address, int port, long asn) {

    public BgpPeer {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
        if (asn < 1 || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ASN " + asn + " out of range");
        }
    }

    /**
     * Parses {@code address[:port]/asn}: {@code 192.0.2.1/65001}, {@code 192.0.2.1:1179/AS65001},
     * {@code [2001:db8::1]:179/65001} or {@code 2001:db8::1/65001}.
     */
    public static BgpPeer parse(String text) {
        String s = text.strip();
        int slash = s.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not address[:port]/asn");
        }
        long asn = parseAsn(s.substring(slash + 1));
        String host = s.substring(0, slash);
        int port = 179;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has an unclosed [");
            }
            if (close + 1 < host.length()) {
                if (host.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "' is not address[:port]/asn");
                }
                port = parsePort(host.substring(close + 2), text);
            }
            host = host.substring(1, close);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
            // One colon: IPv4 with a port. Several: a bare IPv6 address.
            port = parsePort(host.substring(host.indexOf(':') + 1), text);
            host = host.substring(0, host.indexOf(':'));
        }
        return new BgpPeer(AddressText.parse(host), port, asn);
    }

    /**
     * The entries of a comma-separated list of peers, as in {@code RAMPART_BGP_PEERS}, blank ones
     * skipped. Split, not parsed: {@link SpeakerSettingsValidator} reads each with {@link #parse}
     * and reports every bad one.
     */
    public static List<String> splitList(String text) {
        List<String> entries = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                entries.add(part.strip());
            }
        }
        return entries;
    }

    /**
     * {@code 65000}, {@code AS65000} or asdot {@code 1.10}, as {@link Asn#parse} reads them, but
     * not 0: AS 0 is reserved (RFC 7607), no speaker's AS.
     */
    public static long parseAsn(String text) {
        try {
            long asn = Asn.parse(text.strip());
            if (asn >= 1) {
                return asn;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not an AS number 1-4294967295");
    }

    private static int parsePort(String text, String whole) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + whole + "'");
        }
    }

    @Override
    public String toString() {
        String a = AddressText.of(address);
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port + "/" + asn;
    }
}
