package net.rampart.rpki;

/** RFC 1982 serial number arithmetic for the 32-bit RTR serial. */
public final class Serial {

    private Serial() {
    }

    /** The serial after this one, wrapping from 2^32-1 to 0. */
    public static int next(int serial) {
        return serial + 1;
    }

    /**
     * Compares two serials per RFC 1982: negative when {@code a} is before {@code b}, positive
     * when after, zero when equal. Two serials exactly 2^31 apart are undefined in the RFC;
     * here they compare as "after" so that the order is total and callers never see equality
     * for different serials.
     */
    public static int compare(int a, int b) {
        if (a == b) {
            return 0;
        }
        int d = b - a;
        return d > 0 ? -1 : 1;
    }

    public static String toString(int serial) {
        return Integer.toUnsignedString(serial);
    }
}
