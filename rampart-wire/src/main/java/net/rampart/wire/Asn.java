package net.rampart.wire;

/**
 * Autonomous System numbers: unsigned 32-bit values (RFC 6793). {@link #parse} is the one
 * reader of ASNs written as text, wherever they come from (settings, policy YAML, query
 * parameters, RPKI sources); each caller names the field in its own error message.
 */
public final class Asn {

    public static final long MAX = 0xFFFF_FFFFL;

    private static final int MAX_HALF = 0xFFFF;

    private Asn() {
    }

    public static void check(long asn) {
        if (asn < 0 || asn > MAX) {
            throw new IllegalArgumentException("ASN " + asn + " outside 0.." + MAX);
        }
    }

    /**
     * Reads {@code 65000}, {@code AS65000} or {@code as65000}, and asdot (RFC 5396)
     * {@code 1.10}, which is 1 * 65536 + 10 = 65546; 0 to 4294967295. No sign and no
     * surrounding blanks: callers strip what their format allows.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static long parse(String text) {
        boolean prefixed = text.regionMatches(true, 0, "AS", 0, 2);
        String number = prefixed ? text.substring(2) : text;
        if (number.isEmpty()) {
            throw new IllegalArgumentException(prefixed ? "'" + text + "' is not an AS number: no digits follow AS"
                    : "an empty text is not an AS number");
        }
        int dot = number.indexOf('.');
        if (dot < 0) {
            return digits(number, MAX, text);
        }
        long high = digits(number.substring(0, dot), MAX_HALF, text);
        long low = digits(number.substring(dot + 1), MAX_HALF, text);
        return high << 16 | low;
    }

    /**
     * A decimal number of at most {@code max}. The value is checked digit by digit, so that no
     * length of text can overflow the long before the range check refuses it.
     */
    private static long digits(String digits, long max, String text) {
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not an AS number: asdot needs a number on both sides of the dot");
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("'" + text
                        + "' is not an AS number such as 65000, AS65000 or asdot 1.10");
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw new IllegalArgumentException("'" + text + "' is not an AS number: "
                        + (max == MAX ? "the largest is 4294967295" : "each half of asdot is at most 65535"));
            }
        }
        return value;
    }
}
