package net.rampart.rpki;

/** Autonomous System numbers: unsigned 32-bit values, written "AS65000" or "65000". */
public final class Asn {

    public static final long MAX = 0xFFFF_FFFFL;

    private Asn() {
    }

    public static void check(long asn) {
        if (asn < 0 || asn > MAX) {
            throw new IllegalArgumentException("ASN " + asn + " outside 0.." + MAX);
        }
    }

    /** Parses "AS65000", "as65000" or "65000". */
    public static long parse(String text) {
        String digits = text.regionMatches(true, 0, "AS", 0, 2) ? text.substring(2) : text;
        if (digits.isEmpty() || digits.length() > 10) {
            throw new IllegalArgumentException("bad ASN '" + text + "'");
        }
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad ASN '" + text + "'");
            }
            v = v * 10 + (c - '0');
        }
        if (v > MAX) {
            throw new IllegalArgumentException("ASN " + v + " outside 0.." + MAX);
        }
        return v;
    }
}
