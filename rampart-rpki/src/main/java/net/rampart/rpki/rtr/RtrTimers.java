package net.rampart.rpki.rtr;

/**
 * The intervals a cache tells routers in End of Data (RFC 8210 section 6), in seconds.
 * Defaults are the RFC's recommendations.
 */
public record RtrTimers(long refresh, long retry, long expire) {

    public static final RtrTimers DEFAULT = new RtrTimers(3600, 600, 7200);

    public RtrTimers {
        check("refresh", refresh, 1, 86400);
        check("retry", retry, 1, 7200);
        check("expire", expire, 600, 172800);
        if (expire <= refresh || expire <= retry) {
            throw new IllegalArgumentException("expire must exceed refresh and retry");
        }
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " interval " + value + " outside " + min + ".." + max);
        }
    }
}
