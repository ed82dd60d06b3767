package net.rampart.collector.rib;

/** Text form of an 8-byte route distinguisher (RFC 4364 section 4.2), held as a long. */
public final class RouteDistinguisher {
    private RouteDistinguisher() {
    }

    public static String format(long rd) {
        int type = (int) (rd >>> 48);
        return switch (type) {
            case 0 -> ((rd >>> 32) & 0xFFFF) + ":" + (rd & 0xFFFFFFFFL);
            case 1 -> ((rd >>> 40) & 0xFF) + "." + ((rd >>> 32) & 0xFF) + "." + ((rd >>> 24) & 0xFF) + "."
                    + ((rd >>> 16) & 0xFF) + ":" + (rd & 0xFFFF);
            case 2 -> ((rd >>> 16) & 0xFFFFFFFFL) + ":" + (rd & 0xFFFF);
            default -> "0x" + Long.toHexString(rd);
        };
    }
}
