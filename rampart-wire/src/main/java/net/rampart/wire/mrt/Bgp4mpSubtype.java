package net.rampart.wire.mrt;

/** BGP4MP subtypes (RFC 6396 section 4.4, RFC 8050 section 4). */
final class Bgp4mpSubtype {

    static final int STATE_CHANGE = 0;
    static final int MESSAGE = 1;
    static final int MESSAGE_AS4 = 4;
    static final int STATE_CHANGE_AS4 = 5;
    static final int MESSAGE_LOCAL = 6;
    static final int MESSAGE_AS4_LOCAL = 7;
    static final int MESSAGE_ADDPATH = 8;
    static final int MESSAGE_AS4_ADDPATH = 9;
    static final int MESSAGE_LOCAL_ADDPATH = 10;
    static final int MESSAGE_AS4_LOCAL_ADDPATH = 11;

    private Bgp4mpSubtype() {
    }

    static boolean isMessage(int subtype) {
        return subtype == MESSAGE || (subtype >= MESSAGE_AS4 && subtype <= MESSAGE_AS4_LOCAL_ADDPATH && subtype != STATE_CHANGE_AS4);
    }

    static boolean isStateChange(int subtype) {
        return subtype == STATE_CHANGE || subtype == STATE_CHANGE_AS4;
    }

    /** Whether the header AS fields, and for messages the AS_PATH, use 4 octets. */
    static boolean isAs4(int subtype) {
        return switch (subtype) {
            case MESSAGE_AS4, STATE_CHANGE_AS4, MESSAGE_AS4_LOCAL, MESSAGE_AS4_ADDPATH, MESSAGE_AS4_LOCAL_ADDPATH -> true;
            default -> false;
        };
    }

    static boolean isAddPath(int subtype) {
        return subtype >= MESSAGE_ADDPATH && subtype <= MESSAGE_AS4_LOCAL_ADDPATH;
    }

    static boolean isLocal(int subtype) {
        return subtype == MESSAGE_LOCAL || subtype == MESSAGE_AS4_LOCAL
                || subtype == MESSAGE_LOCAL_ADDPATH || subtype == MESSAGE_AS4_LOCAL_ADDPATH;
    }
}
