package net.rampart.wire.rtr;

/** Serial Notify (type 0): the cache tells the router a new serial is available. Serial numbers are unsigned 32-bit values held in an int. */
public record SerialNotify(int version, int sessionId, int serial) implements RtrPdu {

    public SerialNotify {
        RtrPdu.checkVersion(version);
        RtrPdu.checkSessionId(sessionId);
    }

    @Override
    public PduType type() {
        return PduType.SERIAL_NOTIFY;
    }
}
