package net.rampart.collector.rib;

import java.util.Locale;

/** Which of a router's RIBs a route was reported from (RFC 7854, RFC 8671, RFC 9069). */
public enum RibView {
    ADJ_RIB_IN_PRE,
    ADJ_RIB_IN_POST,
    ADJ_RIB_OUT_PRE,
    ADJ_RIB_OUT_POST,
    LOC_RIB;

    /** The view's name as the API, the logs and the store's rib_view table give it: {@code adj-rib-in-pre}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The view a BMP Route Monitoring message describes, from its peer type and flags. */
    public static RibView of(PeerType type, boolean postPolicy, boolean adjRibOut) {
        if (type == PeerType.LOC_RIB_INSTANCE) {
            return LOC_RIB;
        }
        if (adjRibOut) {
            return postPolicy ? ADJ_RIB_OUT_POST : ADJ_RIB_OUT_PRE;
        }
        return postPolicy ? ADJ_RIB_IN_POST : ADJ_RIB_IN_PRE;
    }
}
