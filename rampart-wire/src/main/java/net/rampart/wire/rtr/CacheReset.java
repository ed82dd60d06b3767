package net.rampart.wire.rtr;

/** Cache Reset (type 8): the cache cannot answer a Serial Query incrementally; the router must reset. */
public record CacheReset(int version) implements RtrPdu {

    public CacheReset {
        RtrPdu.checkVersion(version);
    }

    @Override
    public PduType type() {
        return PduType.CACHE_RESET;
    }
}
