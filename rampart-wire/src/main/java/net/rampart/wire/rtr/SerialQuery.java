package net.rampart.wire.rtr;

/** Serial Query (type 1): the router asks for the changes since its serial. Serial numbers are unsigned 32-bit values held in an int. */
public record SerialQuery(int version, int sessionId, int serial) implements RtrPdu {

    public SerialQuery {
        RtrPdu.checkVersion(version);
        RtrPdu.checkSessionId(sessionId);
    }

    @Override
    public PduType type() {
        return PduType.SERIAL_QUERY;
    }
}
