package net.rampart.wire.rtr;

/** Cache Response (type 3): the start of the cache's answer to a query. */
public record CacheResponse(int version, int sessionId) implements RtrPdu {

    public CacheResponse {
        RtrPdu.checkVersion(version);
        RtrPdu.checkSessionId(sessionId);
    }

    @Override
    public PduType type() {
        return PduType.CACHE_RESPONSE;
    }
}
