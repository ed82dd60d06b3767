package net.rampart.wire.bgp.attr;

/** RFC 8092 large community: three unsigned 32-bit values. */
public record LargeCommunity(long globalAdministrator, long localData1, long localData2) {

    public LargeCommunity {
        if (((globalAdministrator | localData1 | localData2) & ~0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("large community parts are unsigned 32-bit");
        }
    }

    @Override
    public String toString() {
        return globalAdministrator + ":" + localData1 + ":" + localData2;
    }
}
