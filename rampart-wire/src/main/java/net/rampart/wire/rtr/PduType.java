package net.rampart.wire.rtr;

/** The RTR PDU types (RFC 6810, RFC 8210, draft-ietf-sidrops-8210bis) and the first version that has each. */
public enum PduType {
    SERIAL_NOTIFY(0, 0),
    SERIAL_QUERY(1, 0),
    RESET_QUERY(2, 0),
    CACHE_RESPONSE(3, 0),
    IPV4_PREFIX(4, 0),
    IPV6_PREFIX(6, 0),
    END_OF_DATA(7, 0),
    CACHE_RESET(8, 0),
    ROUTER_KEY(9, 1),
    ERROR_REPORT(10, 0),
    ASPA(11, 2);

    private static final PduType[] BY_CODE = new PduType[12];

    static {
        for (PduType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int sinceVersion;

    PduType(int code, int sinceVersion) {
        this.code = code;
        this.sinceVersion = sinceVersion;
    }

    public int code() {
        return code;
    }

    /** Whether a PDU of this type may be sent in the given protocol version. */
    public boolean existsIn(int version) {
        return version >= sinceVersion && version <= RtrPdu.MAX_VERSION;
    }

    /** The type with this code, or null when the code is not an RTR PDU type. */
    public static PduType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
