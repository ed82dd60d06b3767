package net.rampart.collector.rib;

/** The BMP peer type of RFC 7854 section 4.2 and RFC 9069 (Loc-RIB instance). */
public enum PeerType {
    GLOBAL_INSTANCE(0),
    RD_INSTANCE(1),
    LOCAL_INSTANCE(2),
    LOC_RIB_INSTANCE(3);

    private final int code;

    PeerType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static PeerType ofCode(int code) {
        for (PeerType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown BMP peer type " + code);
    }
}
