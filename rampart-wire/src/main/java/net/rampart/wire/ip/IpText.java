package net.rampart.wire.ip;

/**
 * The one reader of IP address and prefix text, strict and without name lookups: what
 * {@link IpPrefix#parse} and {@link AddressText#parse} promise is written here once.
 */
final class IpText {

    private IpText() {
    }

    static IpPrefix prefix(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty prefix");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            // The address is read first, so that text which is no address at all is called that
            // rather than an address missing its length.
            IpPrefix host = address(s);
            throw new IllegalArgumentException("'" + s + "' has no prefix length; write address/length, e.g. "
                    + (host.isIpv6() ? "2001:db8::/32" : "192.0.2.0/24"));
        }
        IpPrefix host = address(s.substring(0, slash));
        String lengthText = s.substring(slash + 1);
        int length = decimal(lengthText);
        if (length < 0) {
            throw new IllegalArgumentException("bad prefix length in '" + s + "'");
        }
        if (length > host.maxLength()) {
            throw new IllegalArgumentException("prefix length " + length + " exceeds " + host.maxLength()
                    + " in '" + s + "'");
        }
        IpPrefix prefix = host.truncate(length);
        if (prefix.high() != host.high() || prefix.low() != host.low()) {
            throw new IllegalArgumentException("'" + s + "' has host bits set; did you mean " + prefix + "?");
        }
        return prefix;
    }

    /** An address as the prefix of that one address. */
    static IpPrefix address(String text) {
        String s = text.strip();
        if (s.indexOf(':') >= 0) {
            return ipv6(s);
        }
        return new Ipv4Prefix(ipv4(s, text), 32);
    }

    /** A decimal of 1-3 digits without a leading zero, or -1. */
    private static int decimal(String s) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int ipv4(String s, String whole) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            throw notAnAddress(whole);
        }
        int a = 0;
        for (String octet : octets) {
            int v = decimal(octet);
            if (v < 0 && octet.length() > 1 && octet.length() <= 3 && octet.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + whole + "' is not a canonical IPv4 address: octet '"
                        + octet + "' has a leading zero");
            }
            if (v < 0 || v > 255) {
                throw notAnAddress(whole);
            }
            a = a << 8 | v;
        }
        return a;
    }

    private static Ipv6Prefix ipv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address: more than one '::'");
        }
        int[] head = groups(doubleColon >= 0 ? s.substring(0, doubleColon) : s, doubleColon < 0, s);
        int[] tail = doubleColon >= 0 ? groups(s.substring(doubleColon + 2), true, s) : new int[0];
        int total = head.length + tail.length;
        if (doubleColon >= 0 ? total > 7 : total != 8) {
            throw notAnAddress(s);
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = high << 16 | all[i];
            low = low << 16 | all[i + 4];
        }
        if (high == 0 && low >>> 32 == 0xFFFF) {
            throw new IllegalArgumentException("'" + s + "' is an IPv4-mapped IPv6 address; write the IPv4 address "
                    + Ipv4Prefix.formatAddress((int) low));
        }
        return new Ipv6Prefix(high, low, 128);
    }

    /**
     * The 16-bit groups of a colon-separated run; the last may be a dotted quad (two groups,
     * RFC 4291 section 2.2) when the run ends the address.
     */
    private static int[] groups(String part, boolean endsAddress, String whole) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        int last = texts.length - 1;
        boolean dotted = endsAddress && texts[last].indexOf('.') >= 0;
        int[] out = new int[texts.length + (dotted ? 1 : 0)];
        for (int i = 0; i < texts.length; i++) {
            String g = texts[i];
            if (i == last && dotted) {
                int v4 = ipv4(g, whole);
                out[i] = v4 >>> 16;
                out[i + 1] = v4 & 0xFFFF;
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                throw notAnAddress(whole);
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) {
                    throw notAnAddress(whole);
                }
                v = v << 4 | d;
            }
            out[i] = v;
        }
        return out;
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IP address");
    }
}
