package net.rampart.wire.rtr;

/**
 * End of Data (type 7): the end of the cache's answer. Version 0 carries only the serial
 * (12 bytes); versions 1 and 2 add the refresh, retry and expire intervals in seconds
 * (24 bytes). In a version 0 PDU the intervals are zero.
 */
public record EndOfData(int version, int sessionId, int serial, long refreshInterval, long retryInterval,
        long expireInterval) implements RtrPdu {

    public static final int LENGTH_V0 = 12;
    public static final int LENGTH_V1 = 24;

    public EndOfData {
        RtrPdu.checkVersion(version);
        RtrPdu.checkSessionId(sessionId);
        if (version == 0 && (refreshInterval | retryInterval | expireInterval) != 0) {
            throw new IllegalArgumentException("version 0 End of Data has no intervals");
        }
        checkInterval(refreshInterval);
        checkInterval(retryInterval);
        checkInterval(expireInterval);
    }

    /** An End of Data for a version 0 session. */
    public static EndOfData v0(int sessionId, int serial) {
        return new EndOfData(0, sessionId, serial, 0, 0, 0);
    }

    private static void checkInterval(long seconds) {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("interval out of range: " + seconds);
        }
    }

    public int length() {
        return version == 0 ? LENGTH_V0 : LENGTH_V1;
    }

    @Override
    public PduType type() {
        return PduType.END_OF_DATA;
    }
}
