package net.rampart.wire.rtr;

/** Error Report codes (RFC 8210 section 12, draft-ietf-sidrops-8210bis). */
public enum ErrorCode {
    CORRUPT_DATA(0),
    INTERNAL_ERROR(1),
    NO_DATA_AVAILABLE(2),
    INVALID_REQUEST(3),
    UNSUPPORTED_PROTOCOL_VERSION(4),
    UNSUPPORTED_PDU_TYPE(5),
    WITHDRAWAL_OF_UNKNOWN_RECORD(6),
    DUPLICATE_ANNOUNCEMENT(7),
    UNEXPECTED_PROTOCOL_VERSION(8),
    ASPA_PROVIDER_LIST_ERROR(9);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error with this code, or null for a code this implementation does not know. */
    public static ErrorCode ofCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
