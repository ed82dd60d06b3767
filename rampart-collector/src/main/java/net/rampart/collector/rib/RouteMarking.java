package net.rampart.collector.rib;

/**
 * What a BMP router says about a route beside its BGP attributes, in the TLVs it appends to a
 * Route Monitoring message (draft-ietf-grow-bmp-tlv): the VRF or table the route is in, and
 * how the router marks the path (draft-ietf-grow-bmp-path-marking-tlv: best, backup,
 * filtered, ...). Part of a route's {@link PathAttributes}, so that routes marked alike share
 * one interned set and a route whose marking changes is a changed route.
 *
 * <p>A route without any of these has no marking at all ({@code null}), never one with every
 * field absent: one state, one representation, so that equality and interning stay exact.
 *
 * @param tableName  the VRF or table name, or null when the router sent none
 * @param pathStatus the 32 path status bits as an unsigned value, or -1 when the router sent none
 * @param reasonCode the path status reason code (16 bits), or -1 when the router sent none
 */
public record RouteMarking(String tableName, long pathStatus, int reasonCode) {
    public static final long ABSENT_STATUS = -1;
    public static final int ABSENT_REASON = -1;

    public RouteMarking {
        if (pathStatus < ABSENT_STATUS || pathStatus > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("path status is 32 bits: " + pathStatus);
        }
        if (reasonCode < ABSENT_REASON || reasonCode > 0xFFFF) {
            throw new IllegalArgumentException("reason code is 16 bits: " + reasonCode);
        }
        // The reason code travels inside the path status TLV; it cannot come without one.
        if (reasonCode != ABSENT_REASON && pathStatus == ABSENT_STATUS) {
            throw new IllegalArgumentException("a reason code needs a path status");
        }
        if (tableName == null && pathStatus == ABSENT_STATUS) {
            throw new IllegalArgumentException("a marking with nothing in it is no marking: use null");
        }
    }

    public boolean hasPathStatus() {
        return pathStatus != ABSENT_STATUS;
    }
}
